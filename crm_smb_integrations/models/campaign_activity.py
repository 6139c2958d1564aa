"""What a contact did with one Mailchimp campaign: opens, clicks, bounces.

One record, and one chatter message, per campaign and contact: a later
import of the same report updates both instead of posting again.
"""

from markupsafe import Markup

from odoo import _, api, fields, models

from ..services.mailchimp import activity_summary
from ..services.mapping import payload_hash


class CrmSmbCampaignActivity(models.Model):
    _name = "crm.smb.campaign.activity"
    _inherit = ["crm.smb.connector.record"]
    _description = "Mailchimp campaign activity of a contact"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )
    campaign_id = fields.Char(string="Campaign ID", required=True)
    campaign_title = fields.Char(string="Campaign")
    opens = fields.Integer()
    clicks = fields.Integer()
    bounces = fields.Integer()
    activity_hash = fields.Char()
    message_id = fields.Many2one("mail.message", ondelete="set null")

    _backend_campaign_partner_uniq = models.Constraint(
        "UNIQUE(backend_id, campaign_id, partner_id)",
        "A contact's activity in a campaign is recorded once per connector.",
    )

    @api.model
    def _record(self, backend, campaign_id, title, partners_actions):
        """Record ``[(partner, actions)]`` of one campaign; returns
        (created, updated, skipped)."""
        existing = {
            activity.partner_id: activity
            for activity in self.search(
                [
                    ("backend_id", "=", backend.id),
                    ("campaign_id", "=", campaign_id),
                    ("partner_id", "in", [p.id for p, _a in partners_actions]),
                ]
            )
        }
        created = updated = skipped = 0
        for partner, actions in partners_actions:
            summary = activity_summary(actions)
            if not (summary["opens"] or summary["clicks"] or summary["bounces"]):
                skipped += 1
                continue
            digest = payload_hash(summary)
            activity = existing.get(partner)
            if activity and activity.activity_hash == digest:
                skipped += 1
                continue
            body = self._body(title or campaign_id, summary)
            vals = {
                "campaign_title": title,
                "opens": summary["opens"],
                "clicks": summary["clicks"],
                "bounces": summary["bounces"],
                "activity_hash": digest,
            }
            if activity and activity.message_id:
                activity.message_id.sudo().write({"body": body})
                activity.write(vals)
                updated += 1
                continue
            message = partner.message_post(body=body, subtype_xmlid="mail.mt_note")
            vals["message_id"] = message.id
            if activity:
                activity.write(vals)
                updated += 1
            else:
                existing[partner] = self.create(
                    {
                        "backend_id": backend.id,
                        "partner_id": partner.id,
                        "campaign_id": campaign_id,
                        **vals,
                    }
                )
                created += 1
        return created, updated, skipped

    @api.model
    def _body(self, title, summary):
        parts = []
        if summary["opens"] == 1:
            parts.append(_("opened once"))
        elif summary["opens"]:
            parts.append(_("opened %(count)s times", count=summary["opens"]))
        urls = ", ".join(summary["urls"][:5])
        if summary["clicks"] == 1:
            parts.append(_("clicked once (%(urls)s)", urls=urls))
        elif summary["clicks"]:
            parts.append(
                _(
                    "clicked %(count)s times (%(urls)s)",
                    count=summary["clicks"],
                    urls=urls,
                )
            )
        if summary["bounces"]:
            parts.append(
                _("bounced (%(type)s)", type=summary["bounce_type"] or _("unknown"))
            )
        return Markup("%s <b>%s</b>: %s") % (
            _("Mailchimp campaign"),
            title,
            "; ".join(parts),
        )
