from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_smb_dedup.matching.normalize import normalize_email

from ..services.identity import email_key, phone_key

REVENUE_KINDS = ("shopify_order", "qbo_invoice")
NOT_REVENUE_STATUSES = ("refunded", "voided")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Marketing consent, as recorded by us or a connected service
    smb_marketing_consent = fields.Boolean(
        string="Marketing Consent",
        tracking=True,
        help="The contact agreed to receive marketing email. Connectors never "
        "subscribe a contact to a mailing audience without it.",
    )
    smb_consent_date = fields.Datetime(string="Consent Date")
    smb_consent_source = fields.Char(string="Consent Source")
    smb_marketing_opt_out = fields.Boolean(
        string="Marketing Opt-out",
        tracking=True,
        help="Unsubscribed or bounced. Wins over consent; no sync clears it.",
    )
    smb_opt_out_reason = fields.Selection(
        [("unsubscribed", "Unsubscribed"), ("bounced", "Bounced")],
        string="Opt-out Reason",
    )

    # External activity
    smb_binding_ids = fields.One2many(
        "crm.smb.connector.binding", "partner_id", string="Connector Links"
    )
    smb_external_order_ids = fields.One2many(
        "crm.smb.external.order", "partner_id", string="External Orders"
    )
    smb_external_revenue = fields.Monetary(
        string="External Revenue",
        compute="_compute_smb_external_revenue",
        currency_field="smb_revenue_currency_id",
        help="Shopify orders and QuickBooks invoices of this contact.",
    )
    smb_external_paid = fields.Monetary(
        string="External Payments",
        compute="_compute_smb_external_revenue",
        currency_field="smb_revenue_currency_id",
    )
    smb_revenue_currency_id = fields.Many2one(
        "res.currency", compute="_compute_smb_external_revenue"
    )

    def _compute_smb_external_revenue(self):
        # Each order counts at its amount in its company's currency, converted
        # at the order date; orders whose currency has no rate (no_rate) are
        # left out rather than summed unconverted.
        Order = self.env["crm.smb.external.order"]
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        totals = {"revenue": {}, "paid": {}}
        for key, domain in (
            (
                "revenue",
                [
                    ("kind", "in", REVENUE_KINDS),
                    ("financial_status", "not in", NOT_REVENUE_STATUSES),
                ],
            ),
            ("paid", [("kind", "=", "qbo_payment")]),
        ):
            for partner, company, amount in Order._read_group(
                [("partner_id", "in", self.ids), ("no_rate", "=", False), *domain],
                ["partner_id", "company_id"],
                ["amount_company:sum"],
            ):
                source = company.currency_id or currency
                if source != currency:
                    # Another company's currency: at today's rate.
                    amount = source._convert(amount, currency, self.env.company, today)
                totals[key][partner] = totals[key].get(partner, 0.0) + amount
        for partner in self:
            partner.smb_external_revenue = totals["revenue"].get(partner, 0.0)
            partner.smb_external_paid = totals["paid"].get(partner, 0.0)
            partner.smb_revenue_currency_id = currency

    # Connector hooks ------------------------------------------------------
    @api.model
    def _smb_identity_candidates(self, values):
        """Scored candidates for an incoming customer, best first.

        The single door to crm_smb_dedup's matching; see
        ``_smb_identity_candidates_batch``, which it calls.
        """
        return self._smb_identity_candidates_batch([values])[0]

    @api.model
    def _smb_identity_queries(self, values_list):
        """crm_smb_dedup's duplicate queries (match keys, kind) of incoming
        customers, for ``_smb_identity_candidates_batch``."""
        return self._smb_duplicate_queries(
            [self._smb_identity_values(values) for values in values_list]
        )

    @api.model
    def _smb_identity_values(self, values):
        query = {
            "name": values.get("name"),
            "email": values.get("email"),
            "phone": values.get("phone"),
            "zip": values.get("zip"),
            "city": values.get("city"),
        }
        if values.get("country_code"):
            # Phone numbers without a prefix are read in the customer's country.
            query["country_id"] = self._smb_country(values["country_code"]).id
        return query

    @api.model
    def _smb_identity_candidates_batch(self, values_list, queries=None):
        """Scored candidates of a page of incoming customers, one list each.

        Each list is what the customer alone would get: crm_smb_dedup's
        candidates plus every contact with the same email, best first, at
        most ten. A page costs the same few queries whatever its length: one
        per duplicate rule, one for the emails. ``queries`` are the customers' queries
        when the caller built them already (``_smb_identity_queries``).
        """
        if queries is None:
            queries = self._smb_identity_queries(values_list)
        found = self._smb_candidates_batch(queries, limit=10)
        # A shop or ledger keys its customers by email: the same address is
        # the same customer even when phone or zip differ, which the
        # duplicate rules (built for typed-in contacts) score below their
        # threshold. Exact email matches therefore always take part.
        emails = [normalize_email(values.get("email")) for values in values_list]
        same_email = self._smb_same_email(sorted({e for e in emails if e}))
        results = []
        for candidates, email in zip(found, emails, strict=True):
            known = {candidate["record"] for candidate in candidates}
            candidates = candidates + [
                {"record": partner, "score": 1.0, "reasons": ["email"]}
                for partner in same_email.get(email, [])
                if partner not in known
            ]
            results.append(sorted(candidates, key=lambda c: -c["score"])[:10])
        return results

    @api.model
    def _smb_same_email(self, emails, limit=10):
        """{email key: the first ``limit`` contacts with it, in the default
        order}, as one limited search per email would give them."""
        if not emails:
            return {}
        # crm_smb_dedup's indexed key: Odoo's email_normalized has no index.
        query = self._search([("smb_email_key", "in", emails)])
        key = SQL.identifier(self._table, "smb_email_key")
        ranked = query.select(
            SQL.identifier(self._table, "id"),
            SQL("%s AS email_key", key),
            SQL(
                "row_number() OVER (PARTITION BY %s ORDER BY %s) AS position",
                key,
                self._order_to_sql(self._order, query),
            ),
        )
        # SQL: a window function keeps ten contacts per email in one query,
        # where a placeholder address shared by thousands would load them all.
        rows = self.env.execute_query(
            SQL(
                "SELECT id, email_key FROM (%s) AS ranked WHERE position <= %s "
                "ORDER BY email_key, position",
                ranked,
                limit,
            )
        )
        partners = self.browse([row[0] for row in rows])
        same_email = {}
        for partner, (_id, email) in zip(partners, rows, strict=True):
            same_email.setdefault(email, []).append(partner)
        return same_email

    @api.model
    def _smb_exact_candidates(self, values):
        candidates = {}
        email = email_key(values.get("email"))
        if email:
            for partner in self.search([("email_normalized", "=", email)], limit=10):
                candidates[partner] = (1.0, ["email"])
        phone = phone_key(values.get("phone"))
        if phone:
            self.env["res.partner"].flush_model(["phone"])
            # SQL: the digits-only comparison has no ORM operator.
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE active AND "
                    "right(regexp_replace(phone, '\\D', '', 'g'), 9) = %s LIMIT 10",
                    phone,
                )
            )
            for (pid,) in rows:
                partner = self.browse(pid)
                score, reasons = candidates.get(partner, (0.0, []))
                candidates[partner] = (max(score, 0.9), [*reasons, "phone"])
        if values.get("name") and values.get("zip"):
            domain = [("name", "=ilike", values["name"]), ("zip", "=", values["zip"])]
            for partner in self.search(domain, limit=10):
                score, reasons = candidates.get(partner, (0.0, []))
                candidates[partner] = (max(score, 0.8), [*reasons, "name+zip"])
        result = [
            {"record": partner, "score": score, "reasons": reasons}
            for partner, (score, reasons) in candidates.items()
        ]
        return sorted(result, key=lambda c: -c["score"])[:10]

    @api.model
    def _smb_sync_vals(self, values, source, partner=None, fill_only=False):
        """Contact values from a normalised external customer.

        ``fill_only`` (a match found by identity resolution) only fills empty
        fields. Consent is recorded, never invented: only an explicit
        "subscribed" sets it, and only when the contact has not opted out;
        an explicit "unsubscribed" records an opt-out.
        """
        vals = {}
        for field in ("name", "email", "phone", "zip", "city"):
            value = values.get(field)
            if value and (not fill_only or not partner or not partner[field]):
                vals[field] = value
        if values.get("country_code"):
            country = self._smb_country(values["country_code"])
            if country and (not fill_only or not partner or not partner.country_id):
                vals["country_id"] = country.id
        state = values.get("marketing_state")
        opted_out = partner and partner.smb_marketing_opt_out
        if state == "subscribed" and not opted_out:
            if not partner or not partner.smb_marketing_consent:
                vals.update(
                    smb_marketing_consent=True,
                    smb_consent_date=fields.Datetime.now(),
                    smb_consent_source=source,
                )
        elif state == "unsubscribed":
            vals.update(
                smb_marketing_consent=False,
                smb_marketing_opt_out=True,
                smb_opt_out_reason="unsubscribed",
            )
        if values.get("tags"):
            vals["category_id"] = [
                fields.Command.link(tag.id) for tag in self._smb_tags(values["tags"])
            ]
        return vals

    @api.model
    def _smb_country(self, code):
        cache = self.env.context.get("smb_countries")
        if cache is not None and code.upper() in cache:
            return self.env["res.country"].browse(cache[code.upper()])
        return self.env["res.country"].search([("code", "=", code.upper())], limit=1)

    @api.model
    def _smb_tags(self, names):
        Category = self.env["res.partner.category"]
        cache = self.env.context.get("smb_tags")
        if cache is not None and all(name in cache for name in names):
            return Category.browse([cache[name] for name in names])
        existing = Category.search([("name", "in", names)])
        missing = set(names) - set(existing.mapped("name"))
        return existing | Category.create([{"name": name} for name in sorted(missing)])

    @api.model
    def _smb_batch_context(self, values_list):
        """Countries and tags of a batch looked up once, not per customer."""
        codes = {
            v["country_code"].upper() for v in values_list if v.get("country_code")
        }
        countries = self.env["res.country"].search([("code", "in", list(codes))])
        names = sorted({tag for v in values_list for tag in (v.get("tags") or [])})
        tags = self._smb_tags(names) if names else self.env["res.partner.category"]
        return self.with_context(
            smb_countries={c.code: c.id for c in countries},
            smb_tags={t.name: t.id for t in tags},
        )

    def _smb_opt_out(self, reason, note):
        """Record an unsubscribe or bounce; blocks marketing from here on."""
        for partner in self:
            partner.write(
                {
                    "smb_marketing_opt_out": True,
                    "smb_opt_out_reason": reason,
                    "smb_marketing_consent": False,
                }
            )
            if partner.email:
                self.env["mail.blacklist"].sudo()._add(partner.email, message=note)
            partner.message_post(
                body=note, message_type="comment", subtype_xmlid="mail.mt_note"
            )
