import ast
import logging

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

APPLIES_TO = [
    ("partner_person", "Contacts (people)"),
    ("partner_company", "Contacts (companies)"),
    ("lead", "Leads and opportunities"),
]
MODEL_OF_KIND = {
    "partner_person": "res.partner",
    "partner_company": "res.partner",
    "lead": "crm.lead",
}
# The records each kind is about; a rule's own domain narrows this further.
KIND_DOMAIN = {
    "partner_person": [("is_company", "=", False)],
    "partner_company": [("is_company", "=", True)],
    "lead": [],
}


class CrmSmbDuplicateRule(models.Model):
    _name = "crm.smb.duplicate.rule"
    _description = "Duplicate Rule"
    _order = "applies_to, sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    applies_to = fields.Selection(APPLIES_TO, required=True, default="partner_person")
    model_name = fields.Char(compute="_compute_model_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the rule in every company.",
    )
    line_ids = fields.One2many(
        "crm.smb.duplicate.rule.line", "rule_id", string="Compared Fields", copy=True
    )
    threshold = fields.Float(
        default=0.8,
        required=True,
        help="Score (0 to 1) from which two records count as duplicates. The "
        "score is the weighted average of the compared fields that both "
        "records fill in; when they share less than half of the total weight, "
        "the missing half counts as a mismatch.",
    )
    domain = fields.Char(
        default="[]",
        help="Only records matching this filter are proposed as duplicates.",
    )
    company_aware = fields.Boolean(
        default=True,
        help="Only look for duplicates in the record's own company and among "
        "records shared by all companies.",
    )
    action = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        default="warn",
        required=True,
        help="Warn shows the likely duplicates on the form; Block also refuses "
        "to save a record that matches an existing one.",
    )

    auto_merge_threshold = fields.Float(
        "Merge Automatically From",
        default=0.0,
        help="0 keeps every merge manual. Otherwise the batch scan merges "
        "pairs scoring at least this much into the older record; such merges "
        "are in the merge journal and can be undone.",
    )

    _threshold_range = models.Constraint(
        "CHECK (threshold > 0 AND threshold <= 1)",
        "The threshold of a duplicate rule lies between 0 (excluded) and 1.",
    )

    @api.depends("applies_to")
    def _compute_model_name(self):
        for rule in self:
            rule.model_name = MODEL_OF_KIND.get(rule.applies_to)

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            try:
                domain = ast.literal_eval(rule.domain or "[]")
                self.env[rule.model_name].search_count(domain, limit=1)
            except (ValueError, SyntaxError, TypeError, KeyError) as err:
                _logger.warning("Rejected rule domain %r: %s", rule.domain, err)
                raise ValidationError(
                    self.env._(
                        "The filter of rule %(rule)s is not valid (%(error)s). "
                        "Use the filter editor to build it.",
                        rule=rule.name,
                        error=err,
                    )
                ) from err

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

    @api.model
    def _smb_rule_data(self, kind):
        """Active rules of one kind as plain data, cached until a rule changes.

        Kept out of the ORM's record cache so a live duplicate check costs no
        query for the rules.  Company-specific rules apply in their company.
        """
        company = self.env.company.id
        return [
            rule
            for rule in self._smb_rule_data_cached(kind)
            if not rule["company_id"] or rule["company_id"] == company
        ]

    @tools.ormcache("kind")
    def _smb_rule_data_cached(self, kind):
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search([("applies_to", "=", kind)])
        )
        data = []
        for rule in rules:
            lines = tuple(
                (
                    line.field,
                    line.comparator,
                    line.weight,
                    line.field_label,
                    line.mismatch_counts,
                )
                for line in rule.line_ids
                if line.weight > 0
            )
            if not lines:
                continue
            data.append(
                {
                    "id": rule.id,
                    "threshold": rule.threshold,
                    "action": rule.action,
                    "company_aware": rule.company_aware,
                    "auto_merge": rule.auto_merge_threshold,
                    "company_id": rule.company_id.id,
                    "domain": tuple(
                        KIND_DOMAIN[kind] + ast.literal_eval(rule.domain or "[]")
                    ),
                    "lines": lines,
                }
            )
        return tuple(data)
