"""Merge journal: what a merge changed, so that "Undo merge" can put it back.

A merge keeps the surviving record, writes the chosen values on it, moves
every reference from the other records to it and archives them (they are not
deleted, so undo can bring them back with their ids).  Each moved reference is
one journal line: a many2one column found through ``ir.model.fields``, a
many2many relation row, or a ``res_model``/``res_id`` pair (messages,
activities, followers, attachments).
"""

import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Tables that point to any record through a model name and an id.
RES_ID_REFERENCES = (
    ("mail_message", "model", "res_id"),
    ("mail_activity", "res_model", "res_id"),
    ("mail_followers", "res_model", "res_id"),
    ("ir_attachment", "res_model", "res_id"),
)
# Our own bookkeeping points to merged records on purpose and must not move.
SKIPPED_MODELS = {
    "crm.smb.duplicate.group.member",
    "crm.smb.merge.journal",
    "crm.smb.merge.journal.line",
}
MERGE_GROUP = "crm_smb_core.group_smb_manager"


class CrmSmbMergeJournal(models.Model):
    _name = "crm.smb.merge.journal"
    _description = "Merge Journal"
    _order = "id desc"

    name = fields.Char(required=True)
    res_model = fields.Char("Model", required=True)
    dst_id = fields.Many2oneReference(
        "Surviving Record", model_field="res_model", required=True
    )
    src_ids = fields.Json("Merged Records", required=True)
    prior_values = fields.Json(
        help="Values of the surviving record before the merge, by field."
    )
    state = fields.Selection(
        [("done", "Merged"), ("undone", "Undone")], default="done", required=True
    )
    line_ids = fields.One2many(
        "crm.smb.merge.journal.line", "journal_id", string="Moved References"
    )
    line_count = fields.Integer(compute="_compute_line_count")
    restored_count = fields.Integer(readonly=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        for journal in self:
            journal.line_count = len(journal.line_ids)

    # ------------------------------------------------------------------
    # Merge
    # ------------------------------------------------------------------

    @api.model
    def _smb_check_merge(self, records, dst):
        if not self.env.user.has_group(MERGE_GROUP):
            _logger.warning("Merge refused to user %s: not a manager", self.env.uid)
            raise AccessError(self.env._("Only CRM managers can merge records."))
        if len(records) < 2 or dst not in records:
            raise UserError(
                self.env._("Select at least two records, one of them surviving.")
            )
        if "company_id" in records._fields:
            companies = records.mapped("company_id")
            if len(companies) > 1:
                _logger.warning("Cross-company merge refused: %s", records.ids)
                raise UserError(
                    self.env._(
                        "These records belong to different companies "
                        "(%(companies)s) and cannot be merged. Move them to one "
                        "company first.",
                        companies=", ".join(companies.mapped("name")),
                    )
                )
        if records._name == "res.partner":
            users = (
                self.env["res.users"]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", (records - dst).ids)])
            )
            if users:
                raise UserError(
                    self.env._(
                        "%(names)s are the contacts of users and cannot be merged "
                        "away; keep them as the surviving contact.",
                        names=", ".join(users.mapped("partner_id.display_name")),
                    )
                )

    @api.model
    def _smb_merge(self, records, dst, values):
        """Merge ``records`` into ``dst``, writing ``values`` on it; journalled.

        Runs inside a savepoint: when any step fails nothing is changed and a
        ``UserError`` says why.
        """
        self._smb_check_merge(records, dst)
        sources = records - dst
        try:
            with self.env.cr.savepoint():
                journal = self.sudo()._smb_merge_unchecked(sources, dst, values)
        except (UserError, AccessError):
            raise
        except Exception as err:
            _logger.exception("Merge of %s into %s failed", sources.ids, dst.id)
            self.env.invalidate_all()
            raise UserError(
                self.env._(
                    "The merge was cancelled and nothing was changed: %(error)s",
                    error=err,
                )
            ) from err
        self.env.invalidate_all()
        _logger.info(
            "Merged %s %s into %s: %s references moved",
            dst._name,
            sources.ids,
            dst.id,
            len(journal.line_ids),
        )
        return journal

    @api.model
    def _smb_merge_unchecked(self, sources, dst, values):
        model = dst._name
        self.env.flush_all()
        prior = self._smb_snapshot(dst, list(values))
        journal = self.create(
            {
                "name": self.env._(
                    "%(dst)s absorbed %(count)s records",
                    dst=dst.display_name,
                    count=len(sources),
                ),
                "res_model": model,
                "dst_id": dst.id,
                "src_ids": sources.ids,
                "prior_values": prior,
                "company_id": dst.company_id.id
                if "company_id" in dst._fields and dst.company_id
                else self.env.company.id,
            }
        )
        lines = []
        lines += self._smb_move_followers(model, sources.ids, dst.id)
        lines += self._smb_move_many2one(model, sources.ids, dst.id)
        lines += self._smb_move_many2many(model, sources.ids, dst.id)
        lines += self._smb_move_res_id(model, sources.ids, dst.id)
        self.env["crm.smb.merge.journal.line"].create(
            [dict(line, journal_id=journal.id) for line in lines]
        )
        self.env.invalidate_all()
        merge_ctx = {"smb_dedup_skip_check": True, "tracking_disable": True}
        if values:
            dst.with_context(**merge_ctx).write(values)
        sources.with_context(**merge_ctx).write({"active": False})
        self.env.flush_all()
        return journal

    @api.model
    def _smb_snapshot(self, record, fnames):
        snapshot = {}
        for fname in fnames:
            field = record._fields[fname]
            snapshot[fname] = field.convert_to_write(record[fname], record)
            if field.type in ("many2many", "one2many"):
                snapshot[fname] = [(6, 0, snapshot[fname] or [])]
        return json.loads(json.dumps(snapshot, default=str))

    @api.model
    def _smb_reference_fields(self, model):
        """Stored many2one and many2many fields that point to ``model``."""
        fields_data = (
            self.env["ir.model.fields"]
            .sudo()
            .search_read(
                [
                    ("relation", "=", model),
                    ("ttype", "in", ("many2one", "many2many")),
                    ("store", "=", True),
                ],
                ["model", "name", "ttype"],
            )
        )
        found = []
        for data in fields_data:
            if data["model"] in SKIPPED_MODELS or data["model"] not in self.env:
                continue
            owner = self.env[data["model"]]
            field = owner._fields.get(data["name"])
            if (
                owner._abstract
                or owner._transient
                or not owner._auto
                or not field
                or not field.store
                or (field.type == "many2one" and not field.column_type)
                or field.inherited
            ):
                continue
            found.append((owner, field))
        return found

    @api.model
    def _smb_move_followers(self, model, src_ids, dst_id):
        """Followers rows of the sources: moved, or removed when ``dst`` follows."""
        if model != "res.partner":
            return []
        # SQL: mail_followers is unique per (document, partner), so a row whose
        # document the surviving contact already follows is deleted (journalled
        # with its data) instead of moved.
        rows = self.env.execute_query(
            SQL(
                """SELECT f.id, f.res_model, f.res_id, f.partner_id,
                          EXISTS (SELECT 1 FROM mail_followers d
                                  WHERE d.res_model = f.res_model
                                    AND d.res_id = f.res_id
                                    AND d.partner_id = %s) AS clash
                   FROM mail_followers f WHERE f.partner_id = ANY(%s)""",
                dst_id,
                src_ids,
            )
        )
        lines = []
        for row_id, res_model, res_id, partner_id, clash in rows:
            if clash:
                subtypes = self.env.execute_query(
                    SQL(
                        """SELECT mail_message_subtype_id
                           FROM mail_followers_mail_message_subtype_rel
                           WHERE mail_followers_id = %s""",
                        row_id,
                    )
                )
                lines.append(
                    {
                        "kind": "deleted_follower",
                        "table_name": "mail_followers",
                        "column_name": "partner_id",
                        "row_id": row_id,
                        "old_value": partner_id,
                        "data": {
                            "res_model": res_model,
                            "res_id": res_id,
                            "subtype_ids": [subtype for (subtype,) in subtypes],
                        },
                    }
                )
                self.env.cr.execute(
                    SQL("DELETE FROM mail_followers WHERE id = %s", row_id)
                )
        return lines

    @api.model
    def _smb_move_many2one(self, model, src_ids, dst_id):
        lines = []
        for owner, field in self._smb_reference_fields(model):
            if field.type != "many2one":
                continue
            table, column = SQL.identifier(owner._table), SQL.identifier(field.name)
            # SQL: references are moved in place, one UPDATE per column, and the
            # returned rows are the journal (this is what undo replays).
            rows = self.env.execute_query(
                SQL(
                    """WITH old AS (SELECT id, %(column)s AS value FROM %(table)s
                                    WHERE %(column)s = ANY(%(src)s))
                       UPDATE %(table)s SET %(column)s = %(dst)s FROM old
                       WHERE %(table)s.id = old.id
                       RETURNING old.id, old.value""",
                    table=table,
                    column=column,
                    src=src_ids,
                    dst=dst_id,
                )
            )
            lines.extend(
                {
                    "kind": "many2one",
                    "table_name": owner._table,
                    "column_name": field.name,
                    "row_id": row_id,
                    "old_value": old_value,
                }
                for row_id, old_value in rows
            )
        return lines

    @api.model
    def _smb_move_many2many(self, model, src_ids, dst_id):
        lines = []
        for __, field in self._smb_reference_fields(model):
            if field.type != "many2many":
                continue
            relation = SQL.identifier(field.relation)
            mine, other = SQL.identifier(field.column2), SQL.identifier(field.column1)
            # SQL: relation rows have no id; each (owner, source) row becomes
            # (owner, surviving) unless that row exists already.
            rows = self.env.execute_query(
                SQL(
                    """SELECT r.%(other)s, r.%(mine)s,
                              EXISTS (SELECT 1 FROM %(rel)s d
                                      WHERE d.%(other)s = r.%(other)s
                                        AND d.%(mine)s = %(dst)s)
                       FROM %(rel)s r WHERE r.%(mine)s = ANY(%(src)s)""",
                    rel=relation,
                    mine=mine,
                    other=other,
                    dst=dst_id,
                    src=src_ids,
                )
            )
            inserted = set()
            for owner_id, old_value, exists in rows:
                added = not exists and owner_id not in inserted
                if added:
                    inserted.add(owner_id)
                    self.env.cr.execute(
                        SQL(
                            "INSERT INTO %s (%s, %s) VALUES (%s, %s)",
                            relation,
                            other,
                            mine,
                            owner_id,
                            dst_id,
                        )
                    )
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = %s AND %s = %s",
                        relation,
                        other,
                        owner_id,
                        mine,
                        old_value,
                    )
                )
                lines.append(
                    {
                        "kind": "many2many",
                        "table_name": field.relation,
                        "column_name": field.column2,
                        "row_id": owner_id,
                        "old_value": old_value,
                        "data": {"other_column": field.column1, "added": added},
                    }
                )
        return lines

    @api.model
    def _smb_move_res_id(self, model, src_ids, dst_id):
        lines = []
        for table, model_column, id_column in RES_ID_REFERENCES:
            # SQL: generic (model, id) references have no foreign key the ORM
            # knows about; they are moved like Odoo's own partner merge does.
            rows = self.env.execute_query(
                SQL(
                    """WITH old AS (SELECT id, %(id_col)s AS value FROM %(table)s
                                    WHERE %(model_col)s = %(model)s
                                      AND %(id_col)s = ANY(%(src)s))
                       UPDATE %(table)s SET %(id_col)s = %(dst)s FROM old
                       WHERE %(table)s.id = old.id
                       RETURNING old.id, old.value""",
                    table=SQL.identifier(table),
                    id_col=SQL.identifier(id_column),
                    model_col=SQL.identifier(model_column),
                    model=model,
                    src=src_ids,
                    dst=dst_id,
                )
            )
            lines.extend(
                {
                    "kind": "res_id",
                    "table_name": table,
                    "column_name": id_column,
                    "row_id": row_id,
                    "old_value": old_value,
                }
                for row_id, old_value in rows
            )
        return lines

    # ------------------------------------------------------------------
    # Undo
    # ------------------------------------------------------------------

    def action_undo(self):
        """Restore the merged records, the survivor's values and every reference."""
        self.ensure_one()
        if not self.env.user.has_group(MERGE_GROUP):
            raise AccessError(self.env._("Only CRM managers can undo merges."))
        if self.state != "done":
            raise UserError(self.env._("This merge was already undone."))
        try:
            with self.env.cr.savepoint():
                restored = self.sudo()._smb_undo_unchecked()
        except Exception as err:
            _logger.exception("Undo of merge journal %s failed", self.id)
            self.env.invalidate_all()
            raise UserError(
                self.env._(
                    "The merge could not be undone and nothing was changed: "
                    "%(error)s",
                    error=err,
                )
            ) from err
        _logger.info(
            "Undid merge journal %s: %s of %s references restored",
            self.id,
            restored,
            len(self.line_ids),
        )
        return True

    def _smb_undo_unchecked(self):
        self.env.flush_all()
        model = self.env[self.res_model].with_context(
            active_test=False, smb_dedup_skip_check=True, tracking_disable=True
        )
        restored = 0
        for line in self.line_ids.sorted("id", reverse=True):
            restored += line._smb_restore(self.dst_id)
        self.env.invalidate_all()
        model.browse(self.src_ids).write({"active": True})
        if self.prior_values:
            model.browse(self.dst_id).write(self.prior_values)
        groups = self.env["crm.smb.duplicate.group"].search(
            [("journal_id", "=", self.id)]
        )
        groups.write({"state": "pending", "journal_id": False})
        self.write({"state": "undone", "restored_count": restored})
        self.env.flush_all()
        return restored
