from odoo import api, fields, models

KEY_FIELDS = [
    ("name", "Person name"),
    ("company", "Company name"),
    ("email", "Email"),
    ("email_domain", "Email domain"),
    ("phone", "Phone"),
    ("website", "Website"),
    ("vat", "VAT"),
    ("zip", "Zip"),
    ("street", "Street"),
]
# Words used in the reasons ("same phone ...", "company name 92% similar").
FIELD_LABELS = {
    "name": "name",
    "company": "company name",
    "email": "email",
    "email_domain": "email domain",
    "phone": "phone",
    "website": "website",
    "vat": "VAT",
    "zip": "zip",
    "street": "street",
}


class CrmSmbDuplicateRuleLine(models.Model):
    _name = "crm.smb.duplicate.rule.line"
    _description = "Duplicate Rule Field"
    _order = "rule_id, weight desc, id"

    rule_id = fields.Many2one(
        "crm.smb.duplicate.rule", required=True, ondelete="cascade", index=True
    )
    field = fields.Selection(KEY_FIELDS, required=True)
    comparator = fields.Selection(
        [
            ("exact", "Exact key"),
            ("trigram", "Trigram similarity"),
            ("fuzzy", "String similarity"),
            ("person_name", "Person name (nicknames, initials)"),
        ],
        required=True,
        default="exact",
    )
    weight = fields.Float(default=1.0, required=True)
    mismatch_counts = fields.Boolean(
        "Difference Counts Against",
        help="For exact keys: two different values lower the score. Leave it "
        "off for fields people have several of, such as emails.",
    )
    field_label = fields.Char(compute="_compute_field_label")

    _weight_positive = models.Constraint(
        "CHECK (weight >= 0)", "A field's weight cannot be negative."
    )

    @api.depends("field")
    def _compute_field_label(self):
        for line in self:
            line.field_label = FIELD_LABELS.get(line.field, line.field or "")

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
