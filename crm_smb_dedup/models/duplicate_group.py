import logging
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..matching import score_pair
from ..wizards.merge_wizard import MERGE_FIELDS
from .dedup_mixin import (
    FUZZY_BLOCKING_KEYS,
    MATCH_KEYS,
    blocking_lines,
    key_column,
)
from .duplicate_rule import APPLIES_TO, MODEL_OF_KIND

_logger = logging.getLogger(__name__)

SCAN_BATCH_SIZE = 20000
# Blocks shared by more records than this ("john|s") say too little to pair
# everyone in them; such records still meet through their exact keys.
MAX_BLOCK_SIZE = 200


class CrmSmbDuplicateGroup(models.Model):
    _name = "crm.smb.duplicate.group"
    _description = "Duplicate Group"
    _order = "state, score desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    applies_to = fields.Selection(APPLIES_TO, required=True, index=True)
    res_model = fields.Char("Model", required=True)
    state = fields.Selection(
        [
            ("pending", "To Review"),
            ("merged", "Merged"),
            ("dismissed", "Not Duplicates"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    score = fields.Float(aggregator="max")
    reasons = fields.Text()
    member_ids = fields.One2many(
        "crm.smb.duplicate.group.member", "group_id", string="Members"
    )
    member_count = fields.Integer(compute="_compute_member_count", store=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    journal_id = fields.Many2one("crm.smb.merge.journal", readonly=True)

    @api.depends("member_ids.res_id")
    def _compute_name(self):
        for group in self:
            names = group.member_ids.mapped("display_name")
            group.name = " / ".join(names[:3]) + (" ..." if len(names) > 3 else "")

    @api.depends("member_ids")
    def _compute_member_count(self):
        for group in self:
            group.member_count = len(group.member_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_review(self):
        """Open the side-by-side review and merge screen of one group."""
        self.ensure_one()
        wizard = self.env["crm.smb.merge.wizard"].create({"group_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review Duplicates"),
            "res_model": "crm.smb.merge.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def action_dismiss(self):
        """Mark every pair of the group as "not a duplicate"."""
        exclusions = self.env["crm.smb.duplicate.exclusion"].sudo()
        for group in self:
            ids = group.member_ids.mapped("res_id")
            pairs = [(a, b) for a in ids for b in ids if a < b]
            exclusions._smb_exclude_pairs(group.res_model, pairs)
        self.write({"state": "dismissed"})

    @api.model
    def action_scan_all(self):
        """Button and scheduled action: rescan every kind of record."""
        self.check_access("create")
        for kind, __ in APPLIES_TO:
            self.sudo()._smb_scan(kind)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Duplicates to Review"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("state", "=", "pending")],
        }

    @api.model
    def _cron_scan(self):
        for kind, __ in APPLIES_TO:
            self._smb_scan(kind)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _smb_create_from_candidates(self, record, found):
        """A pending group of ``record`` and the candidates found for it."""
        if not found:
            raise UserError(
                self.env._("No likely duplicate of %(name)s was found.", name=record)
            )
        members = [{"res_id": record.id, "score": 1.0}] + [
            {
                "res_id": item["id"],
                "score": item["score"],
                "reasons": "; ".join(item["reasons"]),
            }
            for item in found
        ]
        return self.create(
            {
                "applies_to": record._smb_rule_kind(record._smb_key_source_values()),
                "res_model": record._name,
                "score": max(item["score"] for item in found),
                "reasons": "; ".join(found[0]["reasons"]),
                "company_id": record.company_id.id or self.env.company.id,
                "member_ids": [(0, 0, vals) for vals in members],
            }
        )

    @api.model
    def _smb_scan(self, kind, batch_size=SCAN_BATCH_SIZE):
        """Find, score and group the duplicates of one kind of record.

        Candidate pairs come from SQL self-joins on equal exact keys and on
        shared block keys of fuzzy names, in batches of ``batch_size``
        left-hand ids; only those pairs are scored in Python.  Pending groups
        of the kind are replaced; pairs marked "not a duplicate" and archived
        records are left out.  Returns figures and the matched pairs.
        """
        started = time.monotonic()
        model = self.env[MODEL_OF_KIND[kind]].with_context(active_test=True)
        rules = self.env["crm.smb.duplicate.rule"]._smb_rule_data(kind)
        self.search([("applies_to", "=", kind), ("state", "=", "pending")]).unlink()
        model.flush_model()
        # Fresh statistics: after a bulk import the planner would otherwise
        # expect a handful of rows and nest the joins quadratically.
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(model._table)))
        matched, automatic = {}, set()
        pair_count = 0
        for rule in rules:
            scope = model._search(list(rule["domain"])).subselect()
            bounds = self.env.execute_query(
                SQL("SELECT min(id), max(id) FROM %s", SQL.identifier(model._table))
            )[0]
            if bounds[0] is None:
                continue
            low = bounds[0]
            while low <= bounds[1]:
                high = low + batch_size
                pairs = self._smb_scan_pairs(model, rule, scope, low, high)
                pair_count += len(pairs)
                self._smb_score_pairs(model, rule, pairs, matched, automatic)
                _logger.info(
                    "Duplicate scan %s ids %s-%s: %s candidate pairs, %s matched",
                    kind,
                    low,
                    high,
                    len(pairs),
                    len(matched),
                )
                low = high
        matched = self._smb_drop_excluded(model._name, matched)
        groups = self._smb_group_pairs(kind, model, matched)
        auto_merged = groups._smb_auto_merge(automatic)
        figures = {
            "candidate_pairs": pair_count,
            "matched_pairs": len(matched),
            "groups": len(groups),
            "auto_merged": auto_merged,
            "seconds": time.monotonic() - started,
            "pairs": matched,
        }
        _logger.info(
            "Duplicate scan %s: %s pairs scored, %s matched, %s groups in %.1f s",
            kind,
            pair_count,
            len(matched),
            len(groups),
            figures["seconds"],
        )
        return figures

    @api.model
    def _smb_scan_pairs(self, model, rule, scope, low, high):
        """Candidate pairs ``(a, b)``, ``a < b``, with ``low <= a < high``."""
        table = SQL.identifier(model._table)
        selects = []
        for key, comparator in blocking_lines(rule):
            if key in FUZZY_BLOCKING_KEYS and comparator != "exact":
                selects.append(self._smb_block_pairs(table, key, scope, low, high))
                continue
            column = SQL.identifier(key_column(key))
            selects.append(
                SQL(
                    """SELECT a.id, b.id FROM %(table)s a JOIN %(table)s b
                       ON a.%(column)s = b.%(column)s AND a.id < b.id
                       WHERE a.id >= %(low)s AND a.id < %(high)s
                         AND a.%(column)s IS NOT NULL
                         AND a.id IN %(scope)s AND b.id IN %(scope)s""",
                    table=table,
                    column=column,
                    low=low,
                    high=high,
                    scope=scope,
                )
            )
        if not selects:
            return []
        # SQL because blocking is a set of self-joins on indexed keys that the
        # ORM cannot express.
        query = SQL(" UNION ").join(SQL("(%s)", select) for select in selects)
        return self.env.execute_query(query)

    @api.model
    def _smb_block_pairs(self, table, key, scope, low, high):
        """Pairs sharing a block key of a fuzzy key (see ``block_keys``).

        A hash join on the blocks: one trigram index probe per record would not
        fit 100k records, while a typo, swapped words, an initial or a nickname
        still leave two names one block in common; scoring decides.
        """
        return SQL(
            """WITH block AS MATERIALIZED (
                   SELECT t.id, unnest(string_to_array(t.%(blocks)s, ' ')) AS value
                   FROM %(table)s t
                   WHERE t.%(blocks)s IS NOT NULL AND t.id IN %(scope)s
               ), small AS (
                   SELECT value FROM block GROUP BY value
                   HAVING count(*) <= %(max_block)s
               )
               SELECT DISTINCT a.id, b.id FROM block a
               JOIN block b ON a.value = b.value AND a.id < b.id
               WHERE a.id >= %(low)s AND a.id < %(high)s
                 AND a.value IN (SELECT value FROM small)""",
            blocks=SQL.identifier(f"smb_{key}_blocks"),
            table=table,
            scope=scope,
            max_block=MAX_BLOCK_SIZE,
            low=low,
            high=high,
        )

    @api.model
    def _smb_score_pairs(self, model, rule, pairs, matched, automatic=None):
        if not pairs:
            return
        ids = list({record_id for pair in pairs for record_id in pair})
        columns = [SQL.identifier(key_column(key)) for key in MATCH_KEYS]
        rows = self.env.execute_query(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(columns),
                SQL.identifier(model._table),
                ids,
            )
        )
        keys = {row[0]: dict(zip(MATCH_KEYS, row[1:], strict=True)) for row in rows}
        for a, b in pairs:
            score, reasons = score_pair(rule["lines"], keys[a], keys[b])
            if score >= rule["threshold"] and score > matched.get((a, b), (0,))[0]:
                matched[(a, b)] = (score, reasons)
                if automatic is not None and 0 < rule["auto_merge"] <= score:
                    automatic.add((a, b))

    def _smb_auto_merge(self, automatic):
        """Merge two-record groups whose pair a rule merges automatically.

        The older record survives and keeps its values, taking the other's
        only where it is empty. A merge that is refused (other company, a
        user's contact) leaves the group for review and is logged.
        """
        merged = 0
        journal = self.env["crm.smb.merge.journal"]
        for group in self:
            ids = sorted(group.member_ids.mapped("res_id"))
            if len(ids) != 2 or tuple(ids) not in automatic:
                continue
            model = self.env[group.res_model]
            keep, other = model.browse(ids[0]), model.browse(ids[1])
            values = {}
            for fname in MERGE_FIELDS.get(group.res_model, []):
                field = model._fields.get(fname)
                if field and not keep[fname] and other[fname]:
                    values[fname] = field.convert_to_write(other[fname], other)
            try:
                done = journal._smb_merge(keep | other, keep, values)
            except UserError as err:
                _logger.warning("Automatic merge of %s skipped: %s", ids, err)
                continue
            group.write({"state": "merged", "journal_id": done.id})
            merged += 1
        return merged

    @api.model
    def _smb_drop_excluded(self, res_model, matched):
        if not matched:
            return matched
        rows = self.env.execute_query(
            SQL(
                """SELECT res_id_low, res_id_high FROM crm_smb_duplicate_exclusion
                   WHERE res_model = %s""",
                res_model,
            )
        )
        excluded = set(rows)
        return {pair: value for pair, value in matched.items() if pair not in excluded}

    @api.model
    def _smb_group_pairs(self, kind, model, matched):
        """Connected records become one group (union-find over matched pairs)."""
        parent = {}

        def find(node):
            while parent.setdefault(node, node) != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for a, b in matched:
            parent[find(a)] = find(b)
        clusters = {}
        for node in list(parent):
            clusters.setdefault(find(node), []).append(node)
        best = {}
        for (a, b), (score, reasons) in matched.items():
            for node in (a, b):
                if score > best.get(node, (0,))[0]:
                    best[node] = (score, reasons)
        companies = {}
        if "company_id" in model._fields:
            for record in model.browse(list(parent)):
                companies[record.id] = record.company_id.id
        vals_list = []
        for members in clusters.values():
            members.sort()
            top = max(best[node] for node in members)
            vals_list.append(
                {
                    "applies_to": kind,
                    "res_model": model._name,
                    "score": top[0],
                    "reasons": "; ".join(top[1]),
                    "company_id": companies.get(members[0]) or self.env.company.id,
                    "member_ids": [
                        (
                            0,
                            0,
                            {
                                "res_id": node,
                                "score": best[node][0],
                                "reasons": "; ".join(best[node][1]),
                            },
                        )
                        for node in members
                    ],
                }
            )
        return self.create(vals_list)
