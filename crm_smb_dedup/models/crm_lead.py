from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.smb.dedup.mixin"]

    # GIN trigram indexes so that pg_trgm's similarity operator finds fuzzy
    # name candidates without scanning the table.
    _smb_name_key_trgm = models.Index("USING gin (smb_name_key gin_trgm_ops)")
    _smb_company_key_trgm = models.Index("USING gin (smb_company_key gin_trgm_ops)")

    smb_duplicate_ids = fields.Many2many(
        "crm.lead",
        string="Likely Duplicates",
        compute="_compute_smb_duplicates",
    )
    smb_duplicate_count = fields.Integer(compute="_compute_smb_duplicates")
    smb_duplicate_html = fields.Html(
        "Duplicate Warning", compute="_compute_smb_duplicates", sanitize=False
    )

    @api.depends(
        "contact_name",
        "partner_name",
        "email_from",
        "phone",
        "country_id",
        "website",
        "zip",
        "street",
    )
    def _compute_smb_keys(self):
        return super()._compute_smb_keys()

    @api.depends(
        "name",
        "contact_name",
        "partner_name",
        "email_from",
        "phone",
        "website",
        "zip",
        "street",
        "company_id",
    )
    def _compute_smb_duplicates(self):
        return super()._compute_smb_duplicates()

    @api.depends(
        "contact_name",
        "partner_name",
        "email_from",
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
        leads = super().create(vals_list)
        leads._smb_check_blocking()
        leads._smb_flag_imported_duplicates()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & {"contact_name", "partner_name", "email_from", "phone"}:
            self._smb_check_blocking()
        return result

    def _smb_key_source_values(self):
        self.ensure_one()
        return self._smb_source_from_lead_values(
            {
                "contact_name": self.contact_name,
                "partner_name": self.partner_name,
                "email_from": self.email_from,
                "phone": self.phone,
                "website": self.website,
                "zip": self.zip,
                "street": self.street,
            },
            self.country_id.code,
        )

    @api.model
    def _smb_source_from_lead_values(self, values, country_code=False):
        return {
            "name": values.get("contact_name"),
            "company_name": values.get("partner_name"),
            "email": values.get("email_from"),
            "phone": values.get("phone"),
            "country_code": country_code,
            "website": values.get("website"),
            "zip": values.get("zip"),
            "street": values.get("street"),
        }

    def _smb_quality_values(self):
        self.ensure_one()
        return {
            "kind": "person",
            "name": self.contact_name or self.partner_name,
            "email": self.email_from,
            "phone": self.phone,
            "website": self.website,
            "street": self.street,
            "city": self.city,
            "zip": self.zip,
            "country_code": self.country_id.code,
        }

    def _smb_last_change(self):
        return max(
            filter(None, [self.write_date, self.date_last_stage_update]),
            default=False,
        )

    @api.model
    def _smb_rule_kind(self, values):
        return "lead"

    @api.model
    def _smb_duplicate_candidates(self, values, limit=10):
        """Open leads that look like a lead with ``values`` (crm.lead fields).

        Same contract as ``res.partner._smb_duplicate_candidates``: a list of
        ``{"record", "score", "reasons"}`` dicts, best first.
        """
        values = dict(values or {})
        country = self.env["res.country"].browse(values.get("country_id") or [])
        source = self._smb_source_from_lead_values(values, country.code)
        keys = self._smb_keys_from_values(source)
        exclude = [values["id"]] if values.get("id") else []
        return self._smb_candidates(
            keys,
            "lead",
            company_id=values.get("company_id") or False,
            exclude_ids=exclude,
            limit=limit,
        )
