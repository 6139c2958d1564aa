"""A record rejected during a sync run, and where its retries stand."""

from odoo import api, fields, models

from ..services import retry
from .sync_log import scrub

LINE_KINDS = [
    ("customer", "Customer"),
    ("shopify_order", "Shopify order"),
    ("qbo_invoice", "QuickBooks invoice"),
    ("qbo_payment", "QuickBooks payment"),
    ("contact_export", "Contact sent out"),
]


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
    kind = fields.Selection(LINE_KINDS, string="Record")
    customer_external_id = fields.Char(
        string="Customer External ID",
        index="btree_not_null",
        help="For an order: the customer it waits for.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        ondelete="cascade",
        help="For a contact sent out: the contact to send again.",
    )
    error_type = fields.Selection(
        [
            (retry.DEPENDENCY, "Waits for another record"),
            (retry.REVIEW, "Waits for a review"),
            (retry.VALIDATION, "Refused data"),
        ],
        default=retry.VALIDATION,
        required=True,
    )
    state = fields.Selection(
        [
            ("pending", "To retry"),
            ("waiting", "Waiting for review"),
            ("resolved", "Resolved"),
            ("gave_up", "Gave up"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer(default=1, required=True)
    max_attempts = fields.Integer(compute="_compute_max_attempts")

    @api.depends("error_type")
    def _compute_max_attempts(self):
        for line in self:
            line.max_attempts = retry.MAX_ATTEMPTS.get(line.error_type, 0)

    def _failed_again(self, reason, error_type, secrets=()):
        """Record one more failed attempt of this line."""
        attempts = self.attempts + 1
        self.write(
            {
                "attempts": attempts,
                "reason": scrub(reason, secrets),
                "error_type": error_type,
                "state": retry.state_after(error_type, attempts, self.external_id),
            }
        )
