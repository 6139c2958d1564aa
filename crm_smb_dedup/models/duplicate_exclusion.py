from odoo import api, fields, models
from odoo.tools import SQL


class CrmSmbDuplicateExclusion(models.Model):
    """A pair of records a person said are not duplicates; never proposed again."""

    _name = "crm.smb.duplicate.exclusion"
    _description = "Not a Duplicate"

    res_model = fields.Char("Model", required=True, index=True)
    res_id_low = fields.Integer(required=True)
    res_id_high = fields.Integer(required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _pair_unique = models.Constraint(
        "UNIQUE (res_model, res_id_low, res_id_high)",
        "This pair is already marked as not a duplicate.",
    )

    @api.model
    def _smb_exclude_pairs(self, res_model, pairs):
        """Record pairs of ids as "not a duplicate", ignoring known ones."""
        rows = {(min(a, b), max(a, b)) for a, b in pairs if a != b}
        if not rows:
            return
        # SQL so that pairs recorded earlier are skipped in one statement.
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_smb_duplicate_exclusion
                   (res_model, res_id_low, res_id_high, company_id,
                    create_uid, create_date, write_uid, write_date)
                   SELECT %s, low, high, %s, %s, now() at time zone 'UTC',
                          %s, now() at time zone 'UTC'
                   FROM unnest(%s::int[], %s::int[]) AS pair(low, high)
                   ON CONFLICT DO NOTHING""",
                res_model,
                self.env.company.id,
                self.env.uid,
                self.env.uid,
                [low for low, __ in rows],
                [high for __, high in rows],
            )
        )

    @api.model
    def _smb_excluded_ids(self, res_model, record_ids, candidate_ids):
        """Which ``candidate_ids`` are excluded as duplicates of ``record_ids``."""
        pairs = self._smb_excluded_pairs(res_model, record_ids, candidate_ids)
        record_set = set(record_ids)
        return {high if low in record_set else low for low, high in pairs}

    @api.model
    def _smb_excluded_pairs(self, res_model, record_ids, candidate_ids):
        """``(low, high)`` pairs marked "not a duplicate" between the two sets."""
        # SQL: one indexed lookup per batch of candidates, both orientations.
        rows = self.env.execute_query(
            SQL(
                """SELECT res_id_low, res_id_high FROM crm_smb_duplicate_exclusion
                   WHERE res_model = %s
                     AND ((res_id_low = ANY(%s) AND res_id_high = ANY(%s))
                       OR (res_id_high = ANY(%s) AND res_id_low = ANY(%s)))""",
                res_model,
                list(record_ids),
                list(candidate_ids),
                list(record_ids),
                list(candidate_ids),
            )
        )
        return [tuple(row) for row in rows]
