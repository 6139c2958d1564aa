"""One sync run of a backend: what it created, updated, skipped and failed."""

import logging
import re

from odoo import fields, models

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
    _description = "Connector sync run"
    _order = "id desc"

    backend_id = fields.Many2one(
        "crm.smb.connector.backend",
        string="Connector",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
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

    def _count(self, created=0, updated=0, skipped=0, failed=()):
        """Add counts and failure lines; ``failed`` is [(external_id, reason)]."""
        self.ensure_one()
        secrets = self.backend_id._secret_values()
        self.write(
            {
                "created_count": self.created_count + created,
                "updated_count": self.updated_count + updated,
                "skipped_count": self.skipped_count + skipped,
                "failed_count": self.failed_count + len(failed),
                "line_ids": [
                    fields.Command.create(
                        {"external_id": ext or "", "reason": scrub(reason, secrets)}
                    )
                    for ext, reason in failed
                ],
            }
        )
        for ext, reason in failed:
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
