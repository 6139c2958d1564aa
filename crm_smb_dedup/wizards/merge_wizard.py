from odoo import api, fields, models
from odoo.exceptions import UserError

# Fields offered for a choice in the review screen, per model.
MERGE_FIELDS = {
    "res.partner": [
        "name",
        "email",
        "phone",
        "street",
        "zip",
        "city",
        "country_id",
        "website",
        "vat",
        "function",
        "parent_id",
        "user_id",
    ],
    "crm.lead": [
        "name",
        "contact_name",
        "partner_name",
        "email_from",
        "phone",
        "street",
        "zip",
        "city",
        "country_id",
        "website",
        "partner_id",
        "user_id",
        "team_id",
        "expected_revenue",
    ],
}


class CrmSmbMergeWizard(models.TransientModel):
    _name = "crm.smb.merge.wizard"
    _description = "Review and Merge Duplicates"

    group_id = fields.Many2one("crm.smb.duplicate.group", required=True)
    res_model = fields.Char(related="group_id.res_model")
    member_ids = fields.One2many(
        "crm.smb.merge.wizard.member", "wizard_id", string="Records"
    )
    dst_member_id = fields.Many2one(
        "crm.smb.merge.wizard.member",
        string="Surviving Record",
        domain="[('wizard_id', '=', id), ('include', '=', True)]",
    )
    line_ids = fields.One2many(
        "crm.smb.merge.wizard.line", "wizard_id", string="Values to Keep"
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._smb_fill()
        return wizards

    def _smb_fill(self):
        """One row per record and one row per field whose values differ."""
        group = self.group_id
        model = self.env[group.res_model].with_context(active_test=False)
        records = model.browse(group.member_ids.mapped("res_id")).exists()
        if not records:
            raise UserError(self.env._("The records of this group no longer exist."))
        members = self.env["crm.smb.merge.wizard.member"].create(
            [
                {"wizard_id": self.id, "res_id": record.id, "include": record.active}
                for record in records
            ]
        )
        self.dst_member_id = members.filtered("include")[:1] or members[:1]
        lines = []
        for fname in MERGE_FIELDS.get(group.res_model, []):
            if fname not in model._fields:
                continue
            values = [record[fname] for record in records]
            distinct = {repr(value) for value in values if value}
            if len(distinct) <= 1:
                continue
            survivor = self.dst_member_id
            chosen = survivor if survivor.record_ref[fname] else None
            if not chosen:
                chosen = next(m for m in members if m.record_ref[fname])
            lines.append(
                {
                    "wizard_id": self.id,
                    "field_name": fname,
                    "field_label": model._fields[fname].get_description(self.env)[
                        "string"
                    ],
                    "member_id": chosen.id,
                }
            )
        self.env["crm.smb.merge.wizard.line"].create(lines)

    def action_merge(self):
        """Merge the included records into the surviving one, with the choices."""
        self.ensure_one()
        included = self.member_ids.filtered("include")
        survivor = self.dst_member_id
        if survivor not in included:
            raise UserError(self.env._("Pick a surviving record among the included."))
        model = self.env[self.res_model]
        records = model.browse(included.mapped("res_id"))
        dst = model.browse(survivor.res_id)
        values = {}
        for line in self.line_ids:
            if line.member_id not in included or line.member_id == survivor:
                continue
            source = line.member_id.record_ref
            field = model._fields[line.field_name]
            values[line.field_name] = field.convert_to_write(
                source[line.field_name], source
            )
        journal = self.env["crm.smb.merge.journal"]._smb_merge(records, dst, values)
        self.group_id.write({"state": "merged", "journal_id": journal.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": dst.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_not_duplicates(self):
        """Never propose these records as duplicates of one another again."""
        self.group_id.action_dismiss()
        return {"type": "ir.actions.act_window_close"}
