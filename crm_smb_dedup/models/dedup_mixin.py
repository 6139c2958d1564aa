"""Match keys and duplicate candidates shared by contacts and leads.

A model that inherits ``crm.smb.dedup.mixin`` stores one normalised *match key*
per field that duplicate rules compare, and answers "which records look like
these values?" with a ranked list of candidates, each with a score and the
reasons behind it.  Concrete models provide ``_smb_key_values`` (raw field
values to keys) and ``_smb_rule_kind`` (which rules apply).
"""

import logging
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..matching import (
    best_possible_score,
    block_keys,
    normalize_company_name,
    normalize_email,
    normalize_email_domain,
    normalize_person_name,
    normalize_phone,
    normalize_street,
    normalize_vat,
    normalize_website,
    normalize_zip,
    score_pair,
)
from ..matching.quality import quality_score

_logger = logging.getLogger(__name__)

# Keys that select candidates in SQL: exact keys through their btree index,
# fuzzy keys through their trigram index and pg_trgm's ``%`` operator.  Zip
# and street only score, they are far too common to select on.
EXACT_BLOCKING_KEYS = ("email", "email_domain", "phone", "website", "vat")
FUZZY_BLOCKING_KEYS = ("name", "company")
MATCH_KEYS = (*EXACT_BLOCKING_KEYS, *FUZZY_BLOCKING_KEYS, "zip", "street")

# A line selects candidates only when it carries this share of the rule's
# weight: minor evidence (a zip, a colleague's company) would flood scoring.
BLOCKING_SHARE = 0.2

# How many rows the candidate query hands to Python scoring per rule.
CANDIDATE_FETCH = 40


def key_column(key):
    return f"smb_{key}_key"


def blocking_lines(rule):
    """``(key, comparator)`` of the lines of ``rule`` that select candidates."""
    total = sum(line[2] for line in rule["lines"])
    return [
        (line[0], line[1])
        for line in rule["lines"]
        if line[2] >= BLOCKING_SHARE * total
        and line[0] in (*EXACT_BLOCKING_KEYS, *FUZZY_BLOCKING_KEYS)
    ]


def selection_lines(rule):
    """``(index, key, fuzzy)`` of the lines of ``rule`` that select candidates:
    through a trigram lookup when ``fuzzy``, else through equal keys."""
    blocking = blocking_lines(rule)
    return [
        (index, line[0], line[0] in FUZZY_BLOCKING_KEYS and line[1] != "exact")
        for index, line in enumerate(rule["lines"])
        if (line[0], line[1]) in blocking
    ]


def fuzzy_lookup_useful(rule, keys, threshold):
    """Whether a trigram lookup can add a candidate scoring ``threshold``.

    A row found only that way shares none of the exact keys that select
    candidates, so those lines earn nothing; when the best score left stays
    below the threshold, the lookup (the costly part of a query) is skipped.
    This is the case of an imported customer with a name, an email and a zip
    but no company under the default rule for people.
    """
    lines = rule["lines"]
    unmatched = {
        index
        for index, __, fuzzy in selection_lines(rule)
        if not fuzzy and lines[index][1] == "exact"
    }
    return best_possible_score(lines, keys, unmatched=unmatched) >= threshold


class CrmSmbDedupMixin(models.AbstractModel):
    _name = "crm.smb.dedup.mixin"
    _description = "Duplicate matching keys"

    smb_email_key = fields.Char(
        "Email Key", compute="_compute_smb_keys", store=True, index="btree_not_null"
    )
    smb_email_domain_key = fields.Char(
        "Email Domain Key",
        compute="_compute_smb_keys",
        store=True,
        index="btree_not_null",
        help="Empty for free-mail providers such as gmail.com.",
    )
    smb_phone_key = fields.Char(
        "Phone Key", compute="_compute_smb_keys", store=True, index="btree_not_null"
    )
    smb_name_key = fields.Char("Name Key", compute="_compute_smb_keys", store=True)
    smb_company_key = fields.Char(
        "Company Name Key", compute="_compute_smb_keys", store=True
    )
    smb_website_key = fields.Char(
        "Website Key", compute="_compute_smb_keys", store=True, index="btree_not_null"
    )
    smb_vat_key = fields.Char(
        "VAT Key", compute="_compute_smb_keys", store=True, index="btree_not_null"
    )
    smb_zip_key = fields.Char("Zip Key", compute="_compute_smb_keys", store=True)
    # Blocking keys of the fuzzy keys, for the batch scan (see block_keys).
    smb_name_blocks = fields.Char(compute="_compute_smb_keys", store=True)
    smb_company_blocks = fields.Char(compute="_compute_smb_keys", store=True)
    smb_street_key = fields.Char("Street Key", compute="_compute_smb_keys", store=True)

    smb_import_duplicate = fields.Boolean(
        "Imported as Possible Duplicate",
        copy=False,
        index="btree_not_null",
        help="Set when an import created this record while a similar one "
        "already existed; review it under Duplicates to Review.",
    )

    # Data quality
    smb_quality_score = fields.Integer(
        "Data Quality",
        compute="_compute_smb_quality",
        store=True,
        aggregator="avg",
        help="0 to 100: completeness of key fields (50%), valid email, phone "
        "and website (30%), changed in the last 6 months (20%).",
    )
    smb_quality_issues = fields.Char(
        "Data Problems", compute="_compute_smb_quality", store=True
    )
    smb_quality_incomplete = fields.Boolean(
        "Incomplete", compute="_compute_smb_quality", store=True, index=True
    )
    smb_quality_stale = fields.Boolean(
        "Stale", compute="_compute_smb_quality", store=True, index=True
    )

    def _compute_smb_keys(self):
        for record in self:
            keys = self._smb_keys_from_values(record._smb_key_source_values())
            for key in MATCH_KEYS:
                record[key_column(key)] = keys.get(key) or False
            record.smb_name_blocks = block_keys(keys.get("name")) or False
            record.smb_company_blocks = block_keys(keys.get("company")) or False

    def _compute_smb_quality(self):
        now = fields.Datetime.now()
        for record in self:
            values = record._smb_quality_values()
            changed = record._smb_last_change() or now
            score, issues, incomplete, stale = quality_score(
                values, values.get("kind"), (now - changed).days
            )
            record.smb_quality_score = score
            record.smb_quality_issues = ", ".join(issues) or False
            record.smb_quality_incomplete = incomplete
            record.smb_quality_stale = stale

    # ------------------------------------------------------------------
    # Keys
    # ------------------------------------------------------------------

    def _smb_key_source_values(self):
        """Raw values of one record, in the shape ``_smb_keys_from_values`` reads."""
        raise NotImplementedError

    def _smb_quality_values(self):
        """Values the quality score reads (see ``matching.quality``)."""
        raise NotImplementedError

    def _smb_last_change(self):
        """When the record last changed or had activity; freshness counts from it."""
        return self.write_date

    @api.model
    def _smb_rule_kind(self, values):
        """Which rules (``applies_to``) apply to records with these values."""
        raise NotImplementedError

    @api.model
    def _smb_keys_from_values(self, values):
        """Match keys from a dict of raw values.

        Recognised entries: ``name`` (a person), ``company_name``, ``email``,
        ``phone``, ``country_code``, ``website``, ``vat``, ``zip``, ``street``.
        """
        country = values.get("country_code") or self.env.company.country_id.code
        return {
            "email": normalize_email(values.get("email")),
            "email_domain": normalize_email_domain(values.get("email")),
            "phone": normalize_phone(values.get("phone"), country),
            "name": normalize_person_name(values.get("name")),
            "company": normalize_company_name(values.get("company_name")),
            "website": normalize_website(values.get("website")),
            "vat": normalize_vat(values.get("vat")),
            "zip": normalize_zip(values.get("zip")),
            "street": normalize_street(values.get("street")),
        }

    def _smb_keys(self):
        """Stored keys of one record."""
        self.ensure_one()
        return {key: self[key_column(key)] or None for key in MATCH_KEYS}

    # ------------------------------------------------------------------
    # Candidates
    # ------------------------------------------------------------------

    @api.model
    def _smb_candidates(
        self,
        keys,
        kind,
        company_id=False,
        exclude_ids=(),
        limit=10,
        actions=("warn", "block"),
        min_score=None,
    ):
        """Ranked duplicate candidates of the records with match ``keys``.

        Returns a list of ``{"record", "score", "reasons", "rule_id",
        "action"}`` sorted by descending score.  One SQL query per applicable
        rule selects candidates on the indexed keys; Python only scores the
        few rows it returns.  Pairs marked "not a duplicate" are left out.
        The batch form, ``_smb_candidates_batch``, gives the same answer.
        """
        query = {
            "keys": keys,
            "kind": kind,
            "company_id": company_id,
            "exclude_ids": exclude_ids,
        }
        return self._smb_candidates_batch(
            [query], limit=limit, actions=actions, min_score=min_score
        )[0]

    @api.model
    def _smb_candidates_batch(
        self, queries, limit=10, actions=("warn", "block"), min_score=None
    ):
        """Ranked duplicate candidates of many records, one list per query.

        ``queries`` holds dicts with the arguments of ``_smb_candidates``:
        ``keys`` and ``kind``, optionally ``company_id`` and ``exclude_ids``.
        Each answer is what ``_smb_candidates`` returns for that query alone,
        but the whole list costs one SQL query per applicable rule (plus one
        for "not a duplicate" pairs when records are excluded), which is what
        an import of thousands of rows needs.  Extension point: override
        ``_smb_candidate_rows_batch`` to select candidates differently.
        """
        queries = [dict(query) for query in queries]
        found = [{} for __ in queries]
        by_kind = {}
        for position, query in enumerate(queries):
            by_kind.setdefault(query["kind"], []).append(position)
        if queries:
            self.flush_model(
                [key_column(key) for key in MATCH_KEYS]
                + [name for name in ("company_id", "active") if name in self._fields]
            )
        Rule = self.env["crm.smb.duplicate.rule"]
        with self._smb_without_jit(len(queries) > 1):
            for kind, positions in by_kind.items():
                for rule in Rule._smb_rule_data(kind):
                    if rule["action"] not in actions:
                        continue
                    threshold = rule["threshold"] if min_score is None else min_score
                    rows = self._smb_candidate_rows_batch(
                        [queries[position] for position in positions], rule, threshold
                    )
                    for index, row in rows:
                        position = positions[index]
                        keys = queries[position]["keys"]
                        score, reasons = score_pair(rule["lines"], keys, row)
                        if score < threshold:
                            continue
                        best = found[position].get(row["id"])
                        if not best or score > best["score"]:
                            found[position][row["id"]] = {
                                "id": row["id"],
                                "score": score,
                                "reasons": reasons,
                                "rule_id": rule["id"],
                                "action": rule["action"],
                            }
        self._smb_drop_excluded(queries, found)
        ranked_lists = []
        for candidates in found:
            ranked = sorted(
                candidates.values(), key=lambda item: (-item["score"], item["id"])
            )
            ranked_lists.append(ranked[:limit])
        # One prefetch set: reading the candidates of a page costs one query.
        ids = sorted({item["id"] for ranked in ranked_lists for item in ranked})
        records = {record.id: record for record in self.browse(ids)}
        for ranked in ranked_lists:
            for item in ranked:
                item["record"] = records[item["id"]]
        return ranked_lists

    @api.model
    def _smb_candidates_affected(self, queries, before, after, min_score=None):
        """Positions of ``queries`` whose candidates may change when one
        record's match keys go from ``before`` to ``after`` (``_smb_keys``).

        For callers that look up a page of records in one batch and then
        write some of the records found: only the queries listed here need a
        new look.  A query is listed when the record can be selected for it
        before or after the write: an equal selecting key, or a trigram
        lookup the query runs on a key the record has.
        """
        selecting = (*EXACT_BLOCKING_KEYS, *FUZZY_BLOCKING_KEYS)
        fuzzy_keys = {
            key for key in FUZZY_BLOCKING_KEYS if before.get(key) or after.get(key)
        }
        Rule = self.env["crm.smb.duplicate.rule"]
        rules = {}
        affected = set()
        for position, query in enumerate(queries):
            keys = query["keys"]
            if any(
                keys.get(key) and keys[key] in (before.get(key), after.get(key))
                for key in selecting
            ):
                affected.add(position)
                continue
            if not fuzzy_keys:
                continue
            kind = query["kind"]
            if kind not in rules:
                rules[kind] = Rule._smb_rule_data(kind)
            for rule in rules[kind]:
                threshold = rule["threshold"] if min_score is None else min_score
                looked_up = {
                    key
                    for __, key, fuzzy in selection_lines(rule)
                    if fuzzy and keys.get(key)
                }
                if looked_up & fuzzy_keys and fuzzy_lookup_useful(
                    rule, keys, threshold
                ):
                    affected.add(position)
                    break
        return affected

    def _smb_drop_excluded(self, queries, found):
        """Remove pairs marked "not a duplicate" from ``found``, in one query."""
        asked = [
            position
            for position, query in enumerate(queries)
            if query.get("exclude_ids") and found[position]
        ]
        if not asked:
            return
        pairs = self.env["crm.smb.duplicate.exclusion"]._smb_excluded_pairs(
            self._name,
            {rid for position in asked for rid in queries[position]["exclude_ids"]},
            {cid for position in asked for cid in found[position]},
        )
        for position in asked:
            records = set(queries[position]["exclude_ids"])
            candidates = found[position]
            for low, high in pairs:
                if (low in records and high in candidates) or (
                    high in records and low in candidates
                ):
                    candidates.pop(high if low in records else low, None)

    @contextmanager
    def _smb_without_jit(self, active=True):
        """Run the block with PostgreSQL's JIT compiler off, then restore it.

        A batch query adds up the estimated cost of every lookup it holds and
        crosses ``jit_above_cost``; compiling then takes longer (about a
        second) than the index lookups it is meant to speed up.
        """
        if not active:
            yield
            return
        # SQL: planner settings have no ORM interface; local to the transaction.
        previous = self.env.execute_query(
            SQL("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        )[0][0]
        try:
            yield
        finally:
            self.env.execute_query(SQL("SELECT set_config('jit', %s, true)", previous))

    def _smb_candidate_rows_batch(self, queries, rule, threshold):
        """``[(index into queries, row)]``: rows sharing an indexed key with
        each query under ``rule``, the best ``CANDIDATE_FETCH`` per query,
        without the trigram lookups that cannot reach ``threshold`` (see
        ``fuzzy_lookup_useful``)."""
        selecting = selection_lines(rule)
        columns = {"input_index": [], "company": [], "exclude": []}
        for index, __, __ in selecting:
            columns[f"select_{index}"] = []
            columns[f"rank_{index}"] = []
        for position, query in enumerate(queries):
            keys = query["keys"]
            fuzzy_useful = fuzzy_lookup_useful(rule, keys, threshold)
            selected = {
                index: None if fuzzy and not fuzzy_useful else keys.get(key) or None
                for index, key, fuzzy in selecting
            }
            if not any(selected.values()):
                # Nothing to look up: no row could be selected.
                continue
            columns["input_index"].append(position)
            company = query.get("company_id") if rule["company_aware"] else False
            columns["company"].append(company or None)
            columns["exclude"].append(list(query.get("exclude_ids") or []))
            for index, key, __ in selecting:
                columns[f"rank_{index}"].append(keys.get(key) or None)
                columns[f"select_{index}"].append(selected[index])
        if not columns["input_index"]:
            return []
        table = self._table
        source = SQL.identifier("smb_input")
        conditions, ranks = [], []
        for index, key, fuzzy in selecting:
            column = SQL.identifier(table, key_column(key))
            selected = SQL.identifier("smb_input", f"select_{index}")
            ranked = SQL.identifier("smb_input", f"rank_{index}")
            # Columns and inputs can be empty: an empty term ranks 0, as a
            # line the single lookup leaves out.
            if fuzzy:
                conditions.append(SQL("%s %% %s", column, selected))
                ranks.append(SQL("COALESCE(similarity(%s, %s), 0)", column, ranked))
            else:
                conditions.append(SQL("%s = %s", column, selected))
                ranks.append(SQL("COALESCE((%s = %s)::int, 0)", column, ranked))
        # SQL because the blocking condition is an OR over indexed keys with
        # pg_trgm's similarity operator, which the ORM domain cannot express,
        # and because a LATERAL join runs every lookup of a page in one query.
        query = self._search(list(rule["domain"]))
        query.add_where(SQL("(%s)", SQL(" OR ").join(conditions)))
        query.add_where(
            SQL(
                "NOT (%s = ANY(%s::int[]))",
                SQL.identifier(table, "id"),
                SQL.identifier("smb_input", "exclude"),
            )
        )
        if rule["company_aware"]:
            company = SQL.identifier(table, "company_id")
            wanted = SQL.identifier("smb_input", "company")
            query.add_where(
                SQL(
                    "(%s IS NULL OR %s = %s OR %s IS NULL)",
                    wanted,
                    company,
                    wanted,
                    company,
                )
            )
        query.order = SQL(
            "%s DESC, %s", SQL(" + ").join(ranks), SQL.identifier(table, "id")
        )
        query.limit = CANDIDATE_FETCH
        lookup = query.select(
            SQL.identifier(table, "id"),
            *(SQL.identifier(table, key_column(key)) for key in MATCH_KEYS),
        )
        names = list(columns)
        arrays = [
            SQL("%s::int[]", columns["input_index"]),
            SQL("%s::int[]", columns["company"]),
            # Exclusions are lists of ids: a text array unnests into rows.
            SQL(
                "%s::text[]",
                ["{" + ",".join(map(str, ids)) + "}" for ids in columns["exclude"]],
            ),
            *(SQL("%s::varchar[]", columns[name]) for name in names[3:]),
        ]
        rows = self.env.execute_query(
            SQL(
                """SELECT %(source)s.input_index, candidate.*
                     FROM unnest(%(arrays)s) AS %(source)s(%(names)s)
                     CROSS JOIN LATERAL (%(lookup)s) AS candidate""",
                source=source,
                arrays=SQL(", ").join(arrays),
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                lookup=lookup,
            )
        )
        return [
            (row[0], {"id": row[1], **dict(zip(MATCH_KEYS, row[2:], strict=True))})
            for row in rows
        ]

    def _smb_find_duplicates(self, limit=10, actions=("warn", "block")):
        """Candidates for one saved or in-form record, itself excluded."""
        self.ensure_one()
        return self._smb_find_duplicates_batch(limit=limit, actions=actions)[0]

    def _smb_find_duplicates_batch(self, limit=10, actions=("warn", "block")):
        """``_smb_find_duplicates`` of every record of ``self``, one list
        each, in one batch lookup (imports and blocking checks of many rows)."""
        queries = []
        for record in self:
            values = record._smb_key_source_values()
            queries.append(
                {
                    "keys": record._smb_keys_from_values(values),
                    "kind": record._smb_rule_kind(values),
                    "company_id": record.company_id.id
                    if "company_id" in record
                    else False,
                    "exclude_ids": [record._origin.id] if record._origin.id else [],
                }
            )
        return self._smb_candidates_batch(queries, limit=limit, actions=actions)

    # ------------------------------------------------------------------
    # Live detection
    # ------------------------------------------------------------------

    def _compute_smb_duplicates(self):
        checkable = self.filtered(lambda record: record._smb_is_checkable())
        found_by_record = dict(
            zip(checkable, checkable._smb_find_duplicates_batch(), strict=True)
        )
        for record in self:
            found = found_by_record.get(record, [])
            record.smb_duplicate_ids = [item["id"] for item in found]
            record.smb_duplicate_count = len(found)
            record.smb_duplicate_html = self._smb_render_duplicates(found)

    def _smb_is_checkable(self):
        values = self._smb_key_source_values()
        return any(values.get(key) for key in ("name", "company_name", "email"))

    @api.model
    def _smb_render_duplicates(self, found):
        """The warning banner body: one line per candidate with its reasons."""
        if not found:
            return False
        return self.env["ir.qweb"]._render(
            "crm_smb_dedup.dedup_duplicate_banner",
            {"found": found, "model": self._name},
        )

    def _smb_flag_imported_duplicates(self):
        """Mark rows of an import that match records existing before it."""
        if not self.env.context.get("import_file"):
            return
        found_lists = self._smb_find_duplicates_batch(limit=1)
        flagged = self.browse(
            record.id
            for record, found in zip(self, found_lists, strict=True)
            if found and found[0]["id"] not in self.ids
        )
        if flagged:
            flagged.write({"smb_import_duplicate": True})
            _logger.info(
                "Import flagged %s of %s %s rows as possible duplicates",
                len(flagged),
                len(self),
                self._name,
            )

    def _smb_check_blocking(self):
        """Refuse records that a blocking rule says already exist."""
        if self.env.context.get("smb_dedup_skip_check"):
            return
        Rule = self.env["crm.smb.duplicate.rule"]
        checked = self.browse(
            record.id
            for record in self
            if any(
                rule["action"] == "block"
                for rule in Rule._smb_rule_data(
                    self._smb_rule_kind(record._smb_key_source_values())
                )
            )
        )
        found_lists = checked.sudo()._smb_find_duplicates_batch(
            limit=1, actions=("block",)
        )
        for record, found in zip(checked, found_lists, strict=True):
            if found:
                best = found[0]
                _logger.info(
                    "Rejected %s %s as a duplicate of %s (score %.2f)",
                    self._name,
                    record.id,
                    best["id"],
                    best["score"],
                )
                raise ValidationError(
                    self.env._(
                        "%(name)s looks like the existing record %(other)s "
                        "(%(score)s%% match: %(reasons)s). Open that record and "
                        "update it instead, or ask a manager to relax the "
                        "duplicate rule.",
                        name=record.display_name,
                        other=best["record"].sudo().display_name,
                        score=int(best["score"] * 100),
                        reasons=", ".join(best["reasons"]),
                    )
                )

    @api.model
    def _cron_refresh_quality(self, batch_size=5000):
        """Recompute quality scores, which age with time, in batches."""
        self._smb_recompute_in_batches("_compute_smb_quality", batch_size)

    @api.model
    def _cron_recompute_smb_keys(self, batch_size=5000):
        """Recompute match keys of existing records (e.g. after a SQL import)."""
        self._smb_recompute_in_batches("_compute_smb_keys", batch_size)

    @api.model
    def _smb_recompute_in_batches(self, method, batch_size):
        last_id, count = 0, 0
        while True:
            batch = self.with_context(active_test=False).search(
                [("id", ">", last_id)], order="id", limit=batch_size
            )
            if not batch:
                break
            getattr(batch, method)()
            batch.flush_recordset()
            batch.invalidate_recordset()
            last_id, count = batch[-1].id, count + len(batch)
            _logger.info("%s: %s %s records done", method, count, self._name)

    def action_smb_review_duplicates(self):
        """Open the review screen for this record and its likely duplicates."""
        self.ensure_one()
        found = self._smb_find_duplicates()
        group = self.env["crm.smb.duplicate.group"]._smb_create_from_candidates(
            self, found
        )
        return group.action_review()
