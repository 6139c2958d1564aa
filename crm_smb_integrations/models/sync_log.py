"""One sync run of a backend: what it created, updated, skipped and failed.

Each rejected record is a line; lines that may succeed later (an order whose
customer had not arrived yet) are retried by a job with a growing wait, see
:mod:`..services.retry`.
"""

import logging
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services import retry

_logger = logging.getLogger(__name__)

# Anything that looks like a bearer token or key is masked before storing a
# message, so that a log never carries a secret even if an API echoes one.
_SECRET_PATTERN = re.compile(r"(?i)(bearer\s+|token[=:]\s*|key[=:]\s*)[^\s,;]+")


def scrub(message, secrets=()):
    text = _SECRET_PATTERN.sub(r"\1***", str(message or ""))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:500]


class CrmSmbSyncLog(models.Model):
    _name = "crm.smb.sync.log"
    _inherit = ["crm.smb.connector.record"]
    _description = "Connector sync run"
    _order = "id desc"

    service = fields.Selection(related="backend_id.service")
    operation = fields.Char(required=True)
    date_start = fields.Datetime(default=fields.Datetime.now, required=True)
    date_end = fields.Datetime()
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        required=True,
    )
    message = fields.Char()
    created_count = fields.Integer(string="Created")
    updated_count = fields.Integer(string="Updated")
    skipped_count = fields.Integer(string="Skipped")
    failed_count = fields.Integer(string="Failed")
    line_ids = fields.One2many("crm.smb.sync.log.line", "log_id", string="Failures")
    open_failure_count = fields.Integer(
        string="Unresolved", compute="_compute_failure_counts"
    )
    resolved_count = fields.Integer(
        string="Resolved by Retry", compute="_compute_failure_counts"
    )
    retry_count = fields.Integer(
        string="Retries", readonly=True, help="Retry runs of the failed records."
    )
    next_retry_date = fields.Datetime(string="Next Retry", readonly=True)

    @api.depends("operation", "backend_id.name", "date_start")
    def _compute_display_name(self):
        for log in self:
            date = fields.Datetime.context_timestamp(log, log.date_start)
            log.display_name = (
                f"{log.operation} - {log.backend_id.name} "
                f"({date.strftime('%Y-%m-%d %H:%M') if date else ''})"
            )

    @api.depends("line_ids.state", "line_ids.external_id")
    def _compute_failure_counts(self):
        groups = self.env["crm.smb.sync.log.line"]._read_group(
            [("log_id", "in", self.ids), ("external_id", "!=", False)],
            ["log_id", "state"],
            ["__count"],
        )
        counts = {(log.id, state): count for log, state, count in groups}
        for log in self:
            log.resolved_count = counts.get((log.id, "resolved"), 0)
            log.open_failure_count = sum(
                counts.get((log.id, state), 0)
                for state in ("pending", "waiting", "gave_up")
            )

    # Actions --------------------------------------------------------------
    def action_retry_failed(self):
        """Queue a retry of every unresolved failure of these runs now,
        including those given up (the user decides they are worth it)."""
        if not self.env.user.has_group("crm_smb_core.group_smb_manager"):
            raise UserError(_("Only a manager can retry the failures of a sync run."))
        logs = self.sudo().filtered("open_failure_count")
        if not logs:
            raise UserError(_("Nothing to retry: every failure is resolved."))
        for log in logs:
            log.backend_id._queue_retry(log, manual=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Retry queued"),
                "message": _(
                    "%(count)s failed records will be fetched and imported again.",
                    count=sum(logs.mapped("open_failure_count")),
                ),
                "type": "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # Business methods -----------------------------------------------------
    def _count(self, created=0, updated=0, skipped=0, failed=(), kind=None):
        """Add counts and failure lines.

        ``failed`` is [(external_id, reason)] or [(external_id, reason,
        extra)] where extra may set error_type, customer_external_id and
        partner_id; ``kind`` (or the ``smb_line_kind`` context key) says
        what the records are, for their retry.
        """
        self.ensure_one()
        secrets = self.backend_id._secret_values()
        kind = kind or self.env.context.get("smb_line_kind")
        lines = []
        for ext, reason, *rest in failed:
            extra = rest[0] if rest else {}
            error_type = extra.get("error_type", retry.VALIDATION)
            lines.append(
                fields.Command.create(
                    {
                        "external_id": ext or "",
                        "reason": scrub(reason, secrets),
                        "kind": kind,
                        "error_type": error_type,
                        "state": retry.state_after(error_type, 1, ext),
                        "customer_external_id": extra.get("customer_external_id"),
                        "partner_id": extra.get("partner_id"),
                    }
                )
            )
        self.write(
            {
                "created_count": self.created_count + created,
                "updated_count": self.updated_count + updated,
                "skipped_count": self.skipped_count + skipped,
                "failed_count": self.failed_count + len(failed),
                "line_ids": lines,
            }
        )
        for ext, reason, *_rest in failed:
            _logger.warning(
                "Backend %s, %s: record %s rejected: %s",
                self.backend_id.id,
                self.operation,
                ext,
                scrub(reason, secrets),
            )

    def _finish(self, state="done", message=None):
        secrets = self.backend_id._secret_values()
        self.write(
            {
                "state": state,
                "date_end": fields.Datetime.now(),
                "message": scrub(message, secrets) if message else False,
            }
        )
        _logger.info(
            "Backend %s, %s %s: %s created, %s updated, %s skipped, %s failed",
            self.backend_id.id,
            self.operation,
            state,
            self.created_count,
            self.updated_count,
            self.skipped_count,
            self.failed_count,
        )
        for log in self.filtered(lambda log: log.state == "done"):
            if log.line_ids.filtered(lambda line: line.state == "pending"):
                log.backend_id._queue_retry(log)
