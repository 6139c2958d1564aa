import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..logic import checks

_logger = logging.getLogger(__name__)


class CrmSmbValidationMixin(models.AbstractModel):
    """Enforces crm.smb.validation.rule on the models that inherit it.

    Checks run after the ORM wrote the values, inside the same transaction, so
    a refusal rolls everything back: no partial writes. Every problem of every
    record is reported in one message. Warnings do not block; the record shows
    them in ``smb_validation_warnings``.

    Extension point: ``_smb_validation_applies(record, rule)`` decides whether a
    rule applies to a record (leads use it for stage gates).
    """

    _name = "crm.smb.validation.mixin"
    _description = "Validation Rules Enforcement"

    smb_validation_warnings = fields.Text(
        string="Data Warnings",
        compute="_compute_smb_validation_warnings",
    )

    def _compute_smb_validation_warnings(self):
        rules = [
            rule
            for rule in self.env["crm.smb.validation.rule"]._rules_for(self._name)
            if rule["severity"] == "warn"
        ]
        problems = self._smb_problems(rules) if rules and self.ids else {}
        for record in self:
            record.smb_validation_warnings = "\n".join(problems.get(record.id, []))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._smb_validate(None)
        return records

    def write(self, vals):
        result = super().write(vals)
        self._smb_validate(set(vals))
        return result

    @api.model
    def load(self, fields, data):
        """Show the whole-file summary of an import at the top of the dialog.

        Odoo's import tries the whole file first, then row by row, and puts
        the first attempt's error on the first row of the file. That error is
        our summary of every bad record: take it off that row, so the dialog
        shows it above the per-row errors instead of as an error of row 0.
        """
        result = super().load(fields, data)
        summary = self._smb_import_summary()
        for message in result["messages"]:
            text = str(message.get("message", ""))
            if text.startswith(summary):
                message.pop("record", None)
                message.pop("rows", None)
                # The dialog shows a message on one line: separate the records.
                problems = text[len(summary) :].strip().splitlines()
                message["message"] = f"{summary} {'; '.join(problems)}"
        return result

    def _smb_import_summary(self):
        return self.env._("These records break validation rules:")

    def _smb_skip_validation(self):
        """Whether a bulk load of historical data asked to skip the checks.

        Only honoured in superuser mode (scripts, data migrations), so that a
        client cannot switch the rules off by sending a context key.
        """
        return self.env.su and self.env.context.get("crm_smb_skip_validation")

    def _smb_validate(self, written):
        """Raise one ValidationError listing every blocking problem of ``self``."""
        if self._smb_skip_validation() or not self:
            return
        rules = [
            rule
            for rule in self.env["crm.smb.validation.rule"]._rules_for(self._name)
            if rule["severity"] == "block"
            and (
                written is None
                or written.intersection(rule["fields"])
                or (rule["stage_id"] and "stage_id" in written)
            )
        ]
        if not rules:
            return
        problems = self._smb_problems(rules)
        if not problems:
            return
        lines = [
            self.env._(
                "%(record)s: %(problem)s", record=record.display_name, problem=problem
            )
            for record in self
            for problem in problems.get(record.id, [])
        ]
        _logger.warning(
            "Refused %s on %s records: %s", self._name, len(problems), "; ".join(lines)
        )
        if len(problems) > 1 and self.env.context.get("import_file"):
            lines.insert(0, self._smb_import_summary())
        raise ValidationError("\n".join(lines))

    def _smb_problems(self, rules):
        """Map record id to the messages of the rules it breaks."""
        Rule = self.env["crm.smb.validation.rule"]
        problems = {}
        for rule in rules:
            records = self.filtered(
                lambda rec, rule=rule: self._smb_validation_applies(rec, rule)
            )
            if not records:
                continue
            rule_record = Rule.browse(rule["id"]).sudo()
            for fname in rule["fields"]:
                field = self._fields.get(fname)
                if field is None:
                    continue
                if rule["kind"] == "unique":
                    failing = records._smb_not_unique(fname)
                else:
                    failing = records.filtered(
                        lambda rec, fname=fname, rule=rule: not self._smb_value_ok(
                            rule, rec[fname], rec._fields[fname]
                        )
                    )
                if not failing:
                    continue
                text = rule_record._problem_text(
                    field.get_description(self.env)["string"]
                )
                for record in failing:
                    problems.setdefault(record.id, []).append(text)
        return problems

    @api.model
    def _smb_validation_applies(self, record, rule):
        if rule["company_id"]:
            company = record["company_id"] if "company_id" in record._fields else False
            if company and company.id != rule["company_id"]:
                return False
        return not rule["stage_id"]

    @api.model
    def _smb_value_ok(self, rule, value, field):
        kind = rule["kind"]
        if field.type in ("many2one", "many2many", "one2many"):
            value = value.ids
        if kind == "required":
            if field.type in ("integer", "float", "monetary"):
                return bool(value)
            if field.type == "boolean":
                return True
            return not checks.is_empty(value) and value != []
        if kind == "pattern":
            return checks.matches(rule["pattern"], value)
        if kind == "email":
            return checks.is_email(value)
        if kind == "phone":
            return checks.is_phone(value)
        if kind == "url":
            return checks.is_url(value)
        if kind == "min":
            return value is False or value >= rule["limit"]
        if kind == "max":
            return value is False or value <= rule["limit"]
        return True

    def _smb_not_unique(self, fname):
        """Records whose value of ``fname`` another record already has."""
        field = self._fields[fname]
        if not field.store or field.type in ("one2many", "many2many"):
            return self.browse()
        self.flush_model([fname, "active"] if "active" in self._fields else [fname])
        text = field.type in ("char", "text")
        column = SQL.identifier(fname)
        value = SQL("lower(%s)", column) if text else column
        # SQL: one grouped query finds the values held twice among all rows,
        # where the ORM would search once per record.
        self.env.cr.execute(
            SQL(
                """SELECT %(value)s FROM %(table)s
                    WHERE %(value)s IN (
                          SELECT %(value)s FROM %(table)s WHERE id IN %(ids)s)
                      %(active)s
                 GROUP BY %(value)s HAVING count(*) > 1""",
                value=value,
                table=SQL.identifier(self._table),
                ids=tuple(self.ids),
                active=SQL("AND active") if "active" in self._fields else SQL(""),
            )
        )
        duplicated = {row[0] for row in self.env.cr.fetchall()}
        if not duplicated:
            return self.browse()

        def key(record):
            value = record[fname]
            if field.type == "many2one":
                return value.id
            return value.lower() if text and value else value

        return self.filtered(lambda rec: key(rec) in duplicated)
