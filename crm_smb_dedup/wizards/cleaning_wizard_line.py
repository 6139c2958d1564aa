from odoo import fields, models


class CrmSmbCleaningWizardLine(models.TransientModel):
    _name = "crm.smb.cleaning.wizard.line"
    _description = "Proposed Cleaning"

    wizard_id = fields.Many2one(
        "crm.smb.cleaning.wizard", required=True, ondelete="cascade"
    )
    apply = fields.Boolean(default=True)
    res_id = fields.Integer(required=True)
    record_name = fields.Char("Record")
    field_name = fields.Char(required=True)
    field_label = fields.Char("Field")
    old_value = fields.Char("Current Value")
    new_value = fields.Char("Cleaned Value")
