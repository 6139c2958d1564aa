"""Revenue coming from a connected service: Shopify orders, QuickBooks
invoices and payments, attached to the contact for CLV and ROI."""

import logging

from odoo import api, fields, models

from ..services import retry
from ..services.mapping import payload_hash

_logger = logging.getLogger(__name__)

KINDS = [
    ("shopify_order", "Shopify order"),
    ("qbo_invoice", "QuickBooks invoice"),
    ("qbo_payment", "QuickBooks payment"),
]


class CrmSmbExternalOrder(models.Model):
    _name = "crm.smb.external.order"
    _inherit = ["crm.smb.connector.record"]
    _description = "Order, invoice or payment from a connected service"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", ondelete="set null", index=True
    )
    kind = fields.Selection(KINDS, required=True)
    external_id = fields.Char(string="External ID", required=True)
    name = fields.Char()
    date = fields.Date()
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency")
    currency_code = fields.Char(help="The currency code the service sent.")
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Amount in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        help="The amount converted at the order date with the company's "
        "exchange rates; this is what the contact's revenue adds up.",
    )
    no_rate = fields.Boolean(
        string="No Exchange Rate",
        compute="_compute_amount_company",
        store=True,
        help="The order's currency has no exchange rate in Odoo (or is not "
        "an Odoo currency): the order keeps its amount in its own currency "
        "and is left out of the contact's revenue until a rate exists.",
    )
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

    @api.depends("amount", "currency_id", "currency_code", "date", "company_id")
    def _compute_amount_company(self):
        # One conversion rate per currency, company and date: a page of
        # orders in a few currencies costs a few rate queries.
        rated = self.filtered(
            lambda o: o.currency_id
            and o.currency_id != (o.company_id or self.env.company).currency_id
        )._rated_currencies()
        ratios, missing = {}, self.browse()
        for order in self:
            company = order.company_id or self.env.company
            target = company.currency_id
            currency = order.currency_id
            if (not currency and not order.currency_code) or currency == target:
                order.amount_company = order.amount
                order.no_rate = False
                continue
            if (
                not currency
                or not {
                    (currency.id, False),
                    (currency.id, company.root_id.id),
                }
                & rated
            ):
                order.amount_company = 0.0
                order.no_rate = True
                missing |= order
                continue
            date = order.date or fields.Date.context_today(order)
            key = (currency, company, date)
            if key not in ratios:
                ratios[key] = currency._convert(1.0, target, company, date, round=False)
            order.amount_company = target.round(order.amount * ratios[key])
            order.no_rate = False
        if missing:
            _logger.warning(
                "External orders %s: no exchange rate for %s; kept in their own "
                "currency and left out of revenue until a rate exists",
                missing.mapped("external_id"),
                sorted(
                    set(missing.mapped(lambda o: o.currency_id.name or o.currency_code))
                ),
            )

    def _rated_currencies(self):
        """{(currency id, company id or False)} of the currencies of these
        orders that have at least one exchange rate (of all companies when
        the company is False)."""
        currencies = self.currency_id
        if not currencies:
            return set()
        groups = (
            self.env["res.currency.rate"]
            .sudo()
            ._read_group(
                [
                    ("currency_id", "in", currencies.ids),
                    ("company_id", "in", [False, *self.company_id.root_id.ids]),
                ],
                ["currency_id", "company_id"],
            )
        )
        return {(currency.id, company.id or False) for currency, company in groups}

    def _recompute_amount_company(self):
        """Convert these orders again (their currency's rates changed)."""
        for fname in ("amount_company", "no_rate"):
            self.env.add_to_compute(self._fields[fname], self)
        self._recompute_recordset(["amount_company", "no_rate"])

    @api.model
    def _import_batch(self, backend, kind, values_list, log=None):
        """Create or update orders; returns (created, updated, skipped, failed).

        Orders of customers not imported yet, or waiting in the review
        queue, fail with the customer's external id so that their retry can
        fetch the customer first (or wait for the review).
        """
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
        missing = {
            v["customer_external_id"]
            for v in values_list
            if v.get("customer_external_id")
            and v["customer_external_id"] not in partners
        }
        in_review = set()
        if missing:
            in_review = set(
                self.env["crm.smb.identity.review"]
                .sudo()
                .search(
                    [
                        ("backend_id", "=", backend.id),
                        ("external_id", "in", list(missing)),
                        ("state", "=", "pending"),
                    ]
                )
                .mapped("external_id")
            )
        caches = {
            "currency": {},
            "utm.source": {},
            "utm.medium": {},
            "utm.campaign": {},
        }
        to_create, failed, imported = [], [], []
        created = updated = skipped = 0
        for values in values_list:
            ext = values.get("external_id")
            partner = partners.get(values.get("customer_external_id"))
            if not ext:
                failed.append(("", "missing id"))
                continue
            if not partner:
                failed.append(self._missing_customer(ext, values, in_review))
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
                imported.append((order, values))
                updated += 1
            else:
                to_create.append((vals, values))
        if to_create:
            orders = self.create([vals for vals, _values in to_create])
            imported += list(zip(orders, [v for _vals, v in to_create], strict=True))
            created = len(to_create)
        if imported:
            # Converts them now, so that an order without a rate is logged
            # with its import.
            self.browse([order.id for order, _values in imported]).mapped("no_rate")
            self._sync_documents(backend, kind, imported)
        if log:
            log._count(
                created=created,
                updated=updated,
                skipped=skipped,
                failed=failed,
                kind=kind,
            )
        return created, updated, skipped, failed

    @api.model
    def _sync_documents(self, backend, kind, imported):
        """Hook for the bridges: ``imported`` is [(order, normalised values)]
        of the orders just created or changed (the Sales bridge makes sale
        orders of them)."""

    @api.model
    def _missing_customer(self, ext, values, in_review):
        """The failure of an order whose customer is not linked to a contact."""
        customer = values.get("customer_external_id")
        if not customer:
            return (ext, "order without a customer", {"error_type": retry.VALIDATION})
        if customer in in_review:
            return (
                ext,
                f"customer {customer} waits in Customers to Review",
                {"error_type": retry.REVIEW, "customer_external_id": customer},
            )
        return (
            ext,
            f"customer {customer} not imported yet",
            {"error_type": retry.DEPENDENCY, "customer_external_id": customer},
        )

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
        vals["currency_code"] = code or False
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
