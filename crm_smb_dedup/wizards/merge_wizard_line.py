from odoo import api, fields, models


class CrmSmbMergeWizardLine(models.TransientModel):
    _name = "crm.smb.merge.wizard.line"
    _description = "Value to Keep"

    wizard_id = fields.Many2one(
        "crm.smb.merge.wizard", required=True, ondelete="cascade"
    )
    field_name = fields.Char(required=True)
    field_label = fields.Char("Field")
    member_id = fields.Many2one(
        "crm.smb.merge.wizard.member",
        string="Keep Value Of",
        domain="[('wizard_id', '=', wizard_id)]",
    )
    chosen_value = fields.Char("Kept Value", compute="_compute_values")
    all_values = fields.Char("Values", compute="_compute_values")

    @api.depends("member_id", "field_name")
    def _compute_values(self):
        for line in self:
            line.chosen_value = line._smb_format(line.member_id)
            line.all_values = " | ".join(
                line._smb_format(member) or "-" for member in line.wizard_id.member_ids
            )

    def _smb_format(self, member):
        if not member or not self.field_name:
            return ""
        value = member.record_ref[self.field_name]
        if hasattr(value, "display_name"):
            return value.display_name or ""
        return "" if value is False else str(value)
