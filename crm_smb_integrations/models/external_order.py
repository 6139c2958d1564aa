"""Revenue coming from a connected service: Shopify orders, QuickBooks
invoices and payments, attached to the contact for CLV and ROI."""

from odoo import api, fields, models

from ..services.mapping import payload_hash

KINDS = [
    ("shopify_order", "Shopify order"),
    ("qbo_invoice", "QuickBooks invoice"),
    ("qbo_payment", "QuickBooks payment"),
]


class CrmSmbExternalOrder(models.Model):
    _name = "crm.smb.external.order"
    _description = "Order, invoice or payment from a connected service"
    _order = "date desc, id desc"

    backend_id = fields.Many2one(
        "crm.smb.connector.backend",
        string="Connector",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Contact", ondelete="set null", index=True
    )
    kind = fields.Selection(KINDS, required=True)
    external_id = fields.Char(string="External ID", required=True)
    name = fields.Char()
    date = fields.Date()
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency")
    financial_status = fields.Char()
    landing_page = fields.Char()
    referrer = fields.Char()
    source_id = fields.Many2one("utm.source")
    medium_id = fields.Many2one("utm.medium")
    campaign_id = fields.Many2one("utm.campaign")
    payload_hash = fields.Char()

    _backend_kind_external_uniq = models.Constraint(
        "UNIQUE(backend_id, kind, external_id)",
        "An external order can be imported only once per connector.",
    )

    @api.model
    def _import_batch(self, backend, kind, values_list, log=None):
        """Create or update orders; orders of unknown customers fail (retried
        by the next reconciliation once the customer has arrived)."""
        existing = {
            order.external_id: order
            for order in self.search(
                [
                    ("backend_id", "=", backend.id),
                    ("kind", "=", kind),
                    ("external_id", "in", [v["external_id"] for v in values_list]),
                ]
            )
        }
        partners = self.env["crm.smb.connector.binding"]._partner_for(
            backend,
            {
                v["customer_external_id"]
                for v in values_list
                if v.get("customer_external_id")
            },
        )
        caches = {
            "currency": {},
            "utm.source": {},
            "utm.medium": {},
            "utm.campaign": {},
        }
        to_create, failed = [], []
        created = updated = skipped = 0
        for values in values_list:
            ext = values.get("external_id")
            partner = partners.get(values.get("customer_external_id"))
            if not ext:
                failed.append(("", "missing id"))
                continue
            if not partner:
                failed.append((ext, "customer not imported yet"))
                continue
            digest = payload_hash(values)
            order = existing.get(ext)
            if order and order.payload_hash == digest:
                skipped += 1
                continue
            vals = self._prepare_vals(backend, kind, values, partner, caches)
            vals["payload_hash"] = digest
            if order:
                order.write(vals)
                updated += 1
            else:
                to_create.append(vals)
        if to_create:
            self.create(to_create)
            created = len(to_create)
        if log:
            log._count(created=created, updated=updated, skipped=skipped, failed=failed)
        return created, updated, skipped, failed

    def _prepare_vals(self, backend, kind, values, partner, caches):
        vals = {
            "backend_id": backend.id,
            "kind": kind,
            "external_id": values["external_id"],
            "partner_id": partner.id,
            "name": values.get("name"),
            "date": values.get("date"),
            "amount": values.get("amount") or 0.0,
            "financial_status": values.get("financial_status"),
            "landing_page": (values.get("landing_page") or "")[:500] or False,
            "referrer": (values.get("referrer") or "")[:500] or False,
        }
        code = values.get("currency")
        if code:
            if code not in caches["currency"]:
                caches["currency"][code] = (
                    self.env["res.currency"]
                    .with_context(active_test=False)
                    .search([("name", "=", code)], limit=1)
                    .id
                )
            vals["currency_id"] = caches["currency"][code] or False
        for key, model, field in (
            ("utm_source", "utm.source", "source_id"),
            ("utm_medium", "utm.medium", "medium_id"),
            ("utm_campaign", "utm.campaign", "campaign_id"),
        ):
            name = values.get(key)
            if name:
                if name not in caches[model]:
                    caches[model][name] = (
                        self.env["utm.mixin"]._find_or_create_record(model, name).id
                    )
                vals[field] = caches[model][name]
        return vals
