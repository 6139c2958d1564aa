from odoo import api, fields, models


class CrmSmbDuplicateGroupMember(models.Model):
    _name = "crm.smb.duplicate.group.member"
    _description = "Duplicate Group Member"
    _order = "group_id, score desc, res_id"

    group_id = fields.Many2one(
        "crm.smb.duplicate.group", required=True, ondelete="cascade", index=True
    )
    res_model = fields.Char(related="group_id.res_model", store=True)
    res_id = fields.Many2oneReference(
        "Record", model_field="res_model", required=True, index=True
    )
    partner_id = fields.Many2one("res.partner", compute="_compute_record")
    lead_id = fields.Many2one("crm.lead", compute="_compute_record")
    score = fields.Float()
    reasons = fields.Text()

    @api.depends("res_model", "res_id")
    def _compute_record(self):
        for member in self:
            is_partner = member.res_model == "res.partner"
            member.partner_id = member.res_id if is_partner else False
            member.lead_id = member.res_id if member.res_model == "crm.lead" else False

    @api.depends("res_model", "res_id")
    def _compute_display_name(self):
        for member in self:
            record = self.env[member.res_model].browse(member.res_id).exists()
            member.display_name = record.display_name if record else str(member.res_id)
