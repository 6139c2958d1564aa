from odoo import fields, models
from odoo.tools import SQL


class CrmSmbMergeJournalLine(models.Model):
    _name = "crm.smb.merge.journal.line"
    _description = "Moved Reference"
    _order = "journal_id, id"

    journal_id = fields.Many2one(
        "crm.smb.merge.journal", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(
        [
            ("many2one", "Many2one column"),
            ("many2many", "Many2many row"),
            ("res_id", "Document reference"),
            ("deleted_follower", "Duplicate follower removed"),
        ],
        required=True,
    )
    table_name = fields.Char("Table", required=True)
    column_name = fields.Char("Column", required=True)
    row_id = fields.Integer(required=True)
    old_value = fields.Integer("Previous Record")
    data = fields.Json()

    def _smb_restore(self, dst_id):
        """Put this reference back; 1 when restored, 0 when it changed since."""
        self.ensure_one()
        table = SQL.identifier(self.table_name)
        column = SQL.identifier(self.column_name)
        # SQL: the journal addresses rows by table and column, the way the
        # merge moved them.
        if self.kind in ("many2one", "res_id"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = %s AND %s = %s",
                    table,
                    column,
                    self.old_value,
                    self.row_id,
                    column,
                    dst_id,
                )
            )
            return self.env.cr.rowcount
        if self.kind == "many2many":
            other = SQL.identifier(self.data["other_column"])
            if self.data.get("added"):
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = %s AND %s = %s",
                        table,
                        other,
                        self.row_id,
                        column,
                        dst_id,
                    )
                )
            self.env.cr.execute(
                SQL(
                    """INSERT INTO %s (%s, %s) VALUES (%s, %s)
                       ON CONFLICT DO NOTHING""",
                    table,
                    other,
                    column,
                    self.row_id,
                    self.old_value,
                )
            )
            return 1
        # A follower row deleted because the survivor followed the same
        # document: re-create it with its id and subtypes.
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_followers (id, res_model, res_id, partner_id)
                   VALUES (%s, %s, %s, %s)""",
                self.row_id,
                self.data["res_model"],
                self.data["res_id"],
                self.old_value,
            )
        )
        for subtype_id in self.data.get("subtype_ids") or []:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO mail_followers_mail_message_subtype_rel
                       (mail_followers_id, mail_message_subtype_id)
                       VALUES (%s, %s)""",
                    self.row_id,
                    subtype_id,
                )
            )
        return 1
