import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..matching.quality import clean_email, clean_name, clean_phone

_logger = logging.getLogger(__name__)

# What the cleaning action may rewrite, per model: field -> kind of cleaning.
CLEANED_FIELDS = {
    "res.partner": {"name": "name", "email": "email", "phone": "phone"},
    "crm.lead": {
        "contact_name": "name",
        "partner_name": "name",
        "email_from": "email",
        "phone": "phone",
    },
}
# Without a selection the preview looks at this many records, most recent
# first, so that it stays readable and quick on large databases.
PREVIEW_LIMIT = 2000


class CrmSmbCleaningWizard(models.TransientModel):
    _name = "crm.smb.cleaning.wizard"
    _description = "Clean Contact Data"

    res_model = fields.Char(required=True, default="res.partner")
    res_ids = fields.Json(default=list)
    line_ids = fields.One2many(
        "crm.smb.cleaning.wizard.line", "wizard_id", string="Changes"
    )
    change_count = fields.Integer(compute="_compute_change_count")

    @api.depends("line_ids")
    def _compute_change_count(self):
        for wizard in self:
            wizard.change_count = len(wizard.line_ids)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") in CLEANED_FIELDS:
            values["res_model"] = context["active_model"]
            values["res_ids"] = context.get("active_ids") or []
        if "line_ids" in fields_list:
            res_model = values.get("res_model") or "res.partner"
            values["line_ids"] = [
                Command.create(line)
                for line in self._smb_preview(res_model, values.get("res_ids"))
            ]
        return values

    @api.model
    def _smb_preview(self, res_model, res_ids):
        """One line per value the cleaning would change; nothing is written."""
        model = self.env[res_model]
        records = (
            model.browse(res_ids)
            if res_ids
            else model.search([], order="write_date desc", limit=PREVIEW_LIMIT)
        )
        lines = []
        for record in records:
            country = record.country_id.code or self.env.company.country_id.code
            for fname, kind in CLEANED_FIELDS[res_model].items():
                old = record[fname]
                if not old:
                    continue
                if kind == "name":
                    new = clean_name(old)
                elif kind == "email":
                    new = clean_email(old)
                else:
                    new = clean_phone(old, country)
                if new and new != old:
                    lines.append(
                        {
                            "res_id": record.id,
                            "record_name": record.display_name,
                            "field_name": fname,
                            "field_label": model._fields[fname].get_description(
                                self.env
                            )["string"],
                            "old_value": old,
                            "new_value": new,
                        }
                    )
        return lines

    def action_apply(self):
        """Write the ticked changes."""
        self.ensure_one()
        lines = self.line_ids.filtered("apply")
        if not lines:
            raise UserError(self.env._("Tick at least one change to apply."))
        model = self.env[self.res_model].with_context(smb_dedup_skip_check=True)
        by_record = {}
        for line in lines:
            by_record.setdefault(line.res_id, {})[line.field_name] = line.new_value
        for res_id, values in by_record.items():
            model.browse(res_id).write(values)
        _logger.info(
            "Cleaned %s values on %s %s records",
            len(lines),
            len(by_record),
            self.res_model,
        )
        return {"type": "ir.actions.act_window_close"}
