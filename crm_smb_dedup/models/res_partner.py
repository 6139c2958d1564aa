from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.smb.dedup.mixin"]

    # GIN trigram indexes so that pg_trgm's similarity operator finds fuzzy
    # name candidates without scanning the table.
    _smb_name_key_trgm = models.Index("USING gin (smb_name_key gin_trgm_ops)")
    _smb_company_key_trgm = models.Index("USING gin (smb_company_key gin_trgm_ops)")

    smb_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Likely Duplicates",
        compute="_compute_smb_duplicates",
    )
    smb_duplicate_count = fields.Integer(compute="_compute_smb_duplicates")
    smb_duplicate_html = fields.Html(
        "Duplicate Warning", compute="_compute_smb_duplicates", sanitize=False
    )

    @api.depends(
        "name",
        "is_company",
        "company_name",
        "parent_id.name",
        "email",
        "phone",
        "country_id",
        "website",
        "vat",
        "zip",
        "street",
    )
    def _compute_smb_keys(self):
        return super()._compute_smb_keys()

    @api.depends(
        "name",
        "is_company",
        "company_name",
        "parent_id",
        "email",
        "phone",
        "website",
        "vat",
        "zip",
        "street",
        "company_id",
    )
    def _compute_smb_duplicates(self):
        return super()._compute_smb_duplicates()

    @api.depends(
        "name",
        "is_company",
        "email",
        "phone",
        "website",
        "street",
        "city",
        "zip",
        "country_id",
    )
    def _compute_smb_quality(self):
        return super()._compute_smb_quality()

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._smb_check_blocking()
        partners._smb_flag_imported_duplicates()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & {"name", "email", "phone", "vat", "website", "is_company"}:
            self._smb_check_blocking()
        return result

    def _smb_key_source_values(self):
        self.ensure_one()
        if self.is_company:
            company_name = self.name
        else:
            company_name = self.parent_id.name or self.company_name
        return {
            "name": False if self.is_company else self.name,
            "company_name": company_name,
            "email": self.email,
            "phone": self.phone,
            "country_code": self.country_id.code,
            "website": self.website,
            "vat": self.vat,
            "zip": self.zip,
            "street": self.street,
            "is_company": self.is_company,
        }

    def _smb_quality_values(self):
        self.ensure_one()
        return {
            "kind": "company" if self.is_company else "person",
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "website": self.website,
            "street": self.street,
            "city": self.city,
            "zip": self.zip,
            "country_code": self.country_id.code,
        }

    @api.model
    def _smb_rule_kind(self, values):
        return "partner_company" if values.get("is_company") else "partner_person"

    @api.model
    def _smb_duplicate_candidates(self, values, limit=10):
        """Existing contacts that look like a contact with ``values``.

        ``values`` holds res.partner field values (``name``, ``email``,
        ``phone``, ``zip``, ``street``, ``city``, ``vat``, ``website``,
        ``is_company``, ``company_id``, optionally ``country_id``,
        ``parent_id``, ``company_name``).  Returns up to ``limit`` dicts
        ``{"record", "score", "reasons"}`` (plus ``rule_id`` and ``action``),
        best first; ``score`` lies in 0..1 and ``reasons`` are sentences such
        as "same phone +1 415-555-0100".  Used by integrations to resolve
        identities before creating a contact.
        """
        return self._smb_duplicate_candidates_batch([values], limit=limit)[0]

    @api.model
    def _smb_duplicate_candidates_batch(self, values_list, limit=10):
        """``_smb_duplicate_candidates`` of many contacts, one list each.

        Costs one SQL query per duplicate rule for the whole list, whatever
        its length: integrations resolve a page of incoming customers with it.
        """
        return self._smb_candidates_batch(
            self._smb_duplicate_queries(values_list), limit=limit
        )

    @api.model
    def _smb_duplicate_queries(self, values_list):
        """Queries for ``_smb_candidates_batch`` from contact values (as
        ``_smb_duplicate_candidates`` takes them); countries and parents are
        read once for the list."""
        values_list = [dict(values or {}) for values in values_list]
        country_ids = {v["country_id"] for v in values_list if v.get("country_id")}
        parent_ids = {v["parent_id"] for v in values_list if v.get("parent_id")}
        countries = {c.id: c.code for c in self.env["res.country"].browse(country_ids)}
        parents = {p.id: p.name for p in self.browse(parent_ids)}
        return [
            self._smb_duplicate_query(values, countries, parents)
            for values in values_list
        ]

    @api.model
    def _smb_duplicate_query(self, values, countries, parents):
        """Match keys and scope of one contact's ``values``, for
        ``_smb_candidates_batch``; ``countries`` and ``parents`` map the
        country and parent ids of a batch to codes and names (read once)."""
        is_company = bool(values.get("is_company"))
        source = {
            "name": False if is_company else values.get("name"),
            "company_name": values.get("name")
            if is_company
            else parents.get(values.get("parent_id")) or values.get("company_name"),
            "email": values.get("email"),
            "phone": values.get("phone"),
            "country_code": countries.get(values.get("country_id")) or False,
            "website": values.get("website"),
            "vat": values.get("vat"),
            "zip": values.get("zip"),
            "street": values.get("street"),
            "is_company": is_company,
        }
        return {
            "keys": self._smb_keys_from_values(source),
            "kind": self._smb_rule_kind(source),
            "company_id": values.get("company_id") or False,
            "exclude_ids": [values["id"]] if values.get("id") else [],
        }
