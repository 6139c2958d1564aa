from odoo import fields, models


class CrmSmbSyncLogLine(models.Model):
    _name = "crm.smb.sync.log.line"
    _description = "Record rejected during a sync run"
    _order = "id"

    log_id = fields.Many2one(
        "crm.smb.sync.log", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    external_id = fields.Char(string="External ID")
    reason = fields.Char(required=True)
