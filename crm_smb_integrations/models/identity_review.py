"""Review queue: incoming customers that look like more than one contact,
or like one contact but not surely enough, wait here for a person to decide
instead of becoming silent duplicates."""

import json

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..services.mapping import payload_hash


class CrmSmbIdentityReview(models.Model):
    _name = "crm.smb.identity.review"
    _inherit = ["crm.smb.connector.record"]
    _description = "Incoming customer waiting for a match decision"
    _order = "state, id desc"

    service = fields.Selection(related="backend_id.service")
    external_id = fields.Char(string="External ID", required=True)
    name = fields.Char()
    email = fields.Char()
    phone = fields.Char()
    zip = fields.Char()
    values_json = fields.Text(help="Normalised incoming customer.")
    candidate_ids = fields.Many2many("res.partner", string="Possible Matches")
    best_score = fields.Float(digits=(3, 2))
    partner_id = fields.Many2one("res.partner", string="Linked Contact")
    state = fields.Selection(
        [("pending", "To review"), ("linked", "Linked"), ("created", "Created")],
        default="pending",
        required=True,
    )

    _backend_external_uniq = models.Constraint(
        "UNIQUE(backend_id, external_id)",
        "An external customer waits only once in the review queue.",
    )

    def _queue(self, backend, values, candidates, score):
        """Create or refresh the pending review of this external customer."""
        vals = {
            "name": values.get("name"),
            "email": values.get("email"),
            "phone": values.get("phone"),
            "zip": values.get("zip"),
            "values_json": json.dumps(values, default=str),
            "candidate_ids": [fields.Command.set([c.id for c in candidates])],
            "best_score": score,
        }
        review = self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("external_id", "=", values["external_id"]),
            ]
        )
        if review:
            if review.state == "pending":
                review.write(vals)
            return review
        return self.sudo().create(
            {"backend_id": backend.id, "external_id": values["external_id"], **vals}
        )

    def _close_for(self, backend, external_id):
        self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("external_id", "=", external_id),
                ("state", "=", "pending"),
            ]
        ).unlink()

    def _check_pending(self):
        if any(review.state != "pending" for review in self):
            raise UserError(_("This customer was already resolved; reload the list."))

    def action_link(self):
        """Link to the chosen contact (``partner_id``), the best one by default."""
        self._check_pending()
        for review in self:
            partner = review.partner_id or review.candidate_ids[:1]
            if not partner:
                raise UserError(
                    _(
                        "Choose the contact %(name)s should be linked to, or "
                        "create a new contact.",
                        name=review.name or review.external_id,
                    )
                )
            review._bind(partner)
            review.write({"state": "linked", "partner_id": partner.id})
        self._retry_orders()
        return True

    def action_create_contact(self):
        """None of the candidates is this person: create a new contact."""
        self._check_pending()
        Partner = self.env["res.partner"]
        for review in self:
            values = json.loads(review.values_json or "{}")
            partner = Partner.create(
                Partner._smb_sync_vals(values, review.backend_id.service)
            )
            review._bind(partner)
            review.write({"state": "created", "partner_id": partner.id})
        self._retry_orders()
        return True

    def _retry_orders(self):
        """The customer is decided: queue the import of the orders that
        failed while it waited (from any sync run of its connector)."""
        Line = self.env["crm.smb.sync.log.line"].sudo()
        for review in self:
            lines = Line.search(
                [
                    ("log_id.backend_id", "=", review.backend_id.id),
                    ("customer_external_id", "=", review.external_id),
                    ("state", "!=", "resolved"),
                ]
            )
            lines.write({"state": "pending"})
            for log in lines.log_id:
                review.backend_id._queue_retry(
                    log,
                    line_ids=lines.filtered(
                        lambda line, log=log: line.log_id == log
                    ).ids,
                )

    def _bind(self, partner):
        values = json.loads(self.values_json or "{}")
        self.env["crm.smb.connector.binding"].sudo().create(
            {
                "backend_id": self.backend_id.id,
                "partner_id": partner.id,
                "external_id": self.external_id,
                "payload_hash": payload_hash(values),
            }
        )
