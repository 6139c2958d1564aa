from odoo import api, fields, models


class CrmSmbMergeWizardMember(models.TransientModel):
    _name = "crm.smb.merge.wizard.member"
    _description = "Record under Review"

    wizard_id = fields.Many2one(
        "crm.smb.merge.wizard", required=True, ondelete="cascade"
    )
    res_id = fields.Integer(required=True)
    include = fields.Boolean(default=True)
    name = fields.Char(compute="_compute_summary")
    email = fields.Char(compute="_compute_summary")
    phone = fields.Char(compute="_compute_summary")
    company = fields.Char(compute="_compute_summary")
    city = fields.Char(compute="_compute_summary")
    score = fields.Float(compute="_compute_summary")
    reasons = fields.Char(compute="_compute_summary")
    reference_count = fields.Integer(
        "Leads", compute="_compute_summary", help="Leads linked to this record."
    )

    @property
    def record_ref(self):
        model = self.env[self.wizard_id.group_id.res_model]
        return model.with_context(active_test=False).browse(self.res_id)

    @api.depends("res_id", "wizard_id")
    def _compute_summary(self):
        for member in self:
            record = member.record_ref
            is_lead = record._name == "crm.lead"
            group_member = member.wizard_id.group_id.member_ids.filtered(
                lambda m, rid=member.res_id: m.res_id == rid
            )[:1]
            member.name = record.display_name
            member.email = record.email_from if is_lead else record.email
            member.phone = record.phone
            member.company = (
                record.partner_name
                if is_lead
                else record.parent_id.name or record.company_name
            )
            member.city = record.city
            member.score = group_member.score
            member.reasons = group_member.reasons
            member.reference_count = (
                0
                if is_lead
                else self.env["crm.lead"]
                .with_context(active_test=False)
                .search_count([("partner_id", "=", record.id)])
            )

    @api.depends("res_id")
    def _compute_display_name(self):
        for member in self:
            member.display_name = member.record_ref.display_name
