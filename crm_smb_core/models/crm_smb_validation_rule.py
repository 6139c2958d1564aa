"""Validation rules that managers configure without code.

A rule names a model (leads or contacts), one or more of its fields, a kind of
check (required, pattern, email, phone, URL, minimum, maximum, unique), when it
applies (always, or from a pipeline stage on) and what happens when it fails
(block the save, or warn on the record). crm.smb.validation.mixin enforces the
rules on create, write and import and reports every problem at once.
"""

import logging

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..logic import checks

_logger = logging.getLogger(__name__)

VALIDATED_MODELS = ("crm.lead", "res.partner")
NUMERIC_TYPES = ("integer", "float", "monetary")
TEXT_TYPES = ("char", "text", "html")


class CrmSmbValidationRule(models.Model):
    _name = "crm.smb.validation.rule"
    _description = "Validation Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to apply the rule in every company.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Applies To",
        required=True,
        ondelete="cascade",
        domain=[("model", "in", VALIDATED_MODELS)],
        default=lambda self: self.env["ir.model"]._get("crm.lead"),
    )
    model_name = fields.Char(related="model_id.model", store=True, index=True)
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Fields",
        required=True,
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
    )
    field_names = fields.Char(
        compute="_compute_field_names",
        inverse="_inverse_field_names",
        help="Technical names of the fields, separated by commas (for imports "
        "and the API).",
    )
    kind = fields.Selection(
        [
            ("required", "Required"),
            ("pattern", "Matches a pattern"),
            ("email", "Valid email"),
            ("phone", "Valid phone number"),
            ("url", "Valid URL"),
            ("min", "Minimum"),
            ("max", "Maximum"),
            ("unique", "Unique"),
        ],
        required=True,
        default="required",
    )
    pattern = fields.Char(help="A Python regular expression the whole value matches.")
    limit_value = fields.Float(string="Limit", help="Minimum or maximum value.")
    applies = fields.Selection(
        [("always", "Always"), ("from_stage", "From a stage on")],
        required=True,
        default="always",
    )
    stage_id = fields.Many2one(
        "crm.stage",
        string="From Stage",
        ondelete="cascade",
        help="The rule applies in this stage and the later open stages of the "
        "same pipeline. Won stages are never blocked.",
    )
    severity = fields.Selection(
        [("block", "Block the save"), ("warn", "Warn on the record")],
        required=True,
        default="block",
    )
    message = fields.Char(
        translate=True,
        help="What the user reads when the rule fails; say what to fix. "
        "Leave empty for a message built from the rule.",
    )

    @api.depends("field_ids")
    def _compute_field_names(self):
        for rule in self:
            rule.field_names = ",".join(rule.field_ids.mapped("name"))

    def _inverse_field_names(self):
        for rule in self:
            rule.field_ids = rule._resolve_field_names(rule.model_id, rule.field_names)

    @api.model
    def _resolve_field_names(self, model, names_text):
        names = [name.strip() for name in (names_text or "").split(",") if name.strip()]
        found = (
            self.env["ir.model.fields"]
            .sudo()
            .search([("model_id", "=", model.id), ("name", "in", names)])
        )
        unknown = set(names) - set(found.mapped("name"))
        if unknown:
            _logger.warning(
                "Refused validation rule on %s: unknown fields %s", model.model, unknown
            )
            raise ValidationError(
                self.env._(
                    "%(model)s has no field %(fields)s. Use the technical names "
                    "listed in Settings > Technical > Fields.",
                    model=model.name,
                    fields=", ".join(sorted(unknown)),
                )
            )
        return found

    @api.constrains("model_id", "field_ids", "kind", "pattern", "applies", "stage_id")
    def _check_rule(self):
        for rule in self:
            problems = rule._rule_problems()
            if problems:
                _logger.warning("Refused validation rule %s: %s", rule.name, problems)
                raise ValidationError(
                    self.env._(
                        "The rule %(rule)s cannot be saved:\n%(problems)s",
                        rule=rule.name,
                        problems="\n".join(problems),
                    )
                )

    def _rule_problems(self):
        self.ensure_one()
        _ = self.env._
        problems = []
        if self.model_id.model not in VALIDATED_MODELS:
            problems.append(_("Rules apply to leads and contacts only."))
        if not self.field_ids:
            problems.append(_("Pick at least one field."))
        foreign = self.field_ids.filtered(lambda f: f.model_id != self.model_id)
        if foreign:
            problems.append(
                _(
                    "%(model)s has no field %(fields)s.",
                    model=self.model_id.name,
                    fields=", ".join(foreign.mapped("name")),
                )
            )
        types = set(self.field_ids.mapped("ttype"))
        if self.kind == "pattern":
            error = (
                checks.pattern_error(self.pattern or "")
                if self.pattern
                else _("no pattern given")
            )
            if error:
                problems.append(
                    _(
                        "The pattern is not a valid regular expression: %(error)s",
                        error=error,
                    )
                )
        if self.kind in ("pattern", "email", "phone", "url") and types - set(
            TEXT_TYPES
        ):
            problems.append(_("This kind of rule checks text fields only."))
        if self.kind in ("min", "max") and types - set(NUMERIC_TYPES):
            problems.append(_("Minimum and maximum rules check number fields only."))
        if self.applies == "from_stage":
            if self.model_id.model != "crm.lead":
                problems.append(_("Only leads have stages: use 'Always'."))
            elif not self.stage_id:
                problems.append(_("Pick the stage from which the rule applies."))
        return problems

    def _problem_text(self, field_label):
        """What a user reads when ``field_label`` breaks this rule."""
        self.ensure_one()
        if self.message:
            return self.message
        _ = self.env._
        texts = {
            "required": _("%(field)s is required.", field=field_label),
            "pattern": _(
                "%(field)s does not have the expected format (%(pattern)s).",
                field=field_label,
                pattern=self.pattern,
            ),
            "email": _("%(field)s is not a valid email address.", field=field_label),
            "phone": _("%(field)s is not a valid phone number.", field=field_label),
            "url": _("%(field)s is not a valid web address.", field=field_label),
            "min": _(
                "%(field)s must be at least %(limit)s.",
                field=field_label,
                limit=self.limit_value,
            ),
            "max": _(
                "%(field)s must be at most %(limit)s.",
                field=field_label,
                limit=self.limit_value,
            ),
            "unique": _(
                "%(field)s is already used by another record.", field=field_label
            ),
        }
        text = texts[self.kind]
        if self.applies == "from_stage":
            text = _(
                "%(text)s (needed from stage %(stage)s)",
                text=text,
                stage=self.stage_id.name,
            )
        return text

    # ------------------------------------------------------------
    # ORM overrides: the mixin reads the rules from a cache
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "field_names" in vals:
                model = (
                    self.env["ir.model"].browse(vals["model_id"])
                    if vals.get("model_id")
                    else self.env["ir.model"]._get("crm.lead")
                )
                found = self._resolve_field_names(model, vals.pop("field_names"))
                vals["field_ids"] = [(6, 0, found.ids)]
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache("model_name")
    def _rules_for(self, model_name):
        """Active rules of ``model_name`` as plain tuples, cached per registry."""
        rules = (
            self.sudo()
            .with_context(active_test=True, lang="en_US")
            .search([("model_name", "=", model_name)])
        )
        return tuple(
            {
                "id": rule.id,
                "fields": tuple(rule.field_ids.mapped("name")),
                "kind": rule.kind,
                "pattern": rule.pattern,
                "limit": rule.limit_value,
                "stage_id": rule.stage_id.id if rule.applies == "from_stage" else None,
                "severity": rule.severity,
                "company_id": rule.company_id.id,
            }
            for rule in rules
        )

    @api.model
    @tools.ormcache("stage_id")
    def _stage_info(self, stage_id):
        """(order key, is_won, team ids) of a stage, cached: stage gates need them
        on every stage change, and stages rarely change (crm.stage clears it).
        The order key is the pipeline's order, (sequence, id)."""
        stage = self.env["crm.stage"].sudo().browse(stage_id)
        return (stage.sequence, stage.id), stage.is_won, frozenset(stage.team_ids.ids)
