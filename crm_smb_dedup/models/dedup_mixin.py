"""Match keys and duplicate candidates shared by contacts and leads.

A model that inherits ``crm.smb.dedup.mixin`` stores one normalised *match key*
per field that duplicate rules compare, and answers "which records look like
these values?" with a ranked list of candidates, each with a score and the
reasons behind it.  Concrete models provide ``_smb_key_values`` (raw field
values to keys) and ``_smb_rule_kind`` (which rules apply).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..matching import (
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
        """
        rules = self.env["crm.smb.duplicate.rule"]._smb_rule_data(kind)
        found = {}
        for rule in rules:
            if rule["action"] not in actions:
                continue
            rows = self._smb_candidate_rows(keys, rule, company_id, exclude_ids)
            threshold = rule["threshold"] if min_score is None else min_score
            for row in rows:
                score, reasons = score_pair(rule["lines"], keys, row)
                if score < threshold:
                    continue
                best = found.get(row["id"])
                if not best or score > best["score"]:
                    found[row["id"]] = {
                        "id": row["id"],
                        "score": score,
                        "reasons": reasons,
                        "rule_id": rule["id"],
                        "action": rule["action"],
                    }
        if found and exclude_ids:
            excluded = self.env["crm.smb.duplicate.exclusion"]._smb_excluded_ids(
                self._name, exclude_ids, list(found)
            )
            for record_id in excluded:
                found.pop(record_id, None)
        ranked = sorted(found.values(), key=lambda item: (-item["score"], item["id"]))
        ranked = ranked[:limit]
        records = self.browse([item["id"] for item in ranked])
        for item, record in zip(ranked, records, strict=True):
            item["record"] = record
        return ranked

    def _smb_candidate_rows(self, keys, rule, company_id, exclude_ids):
        """Rows that share an indexed key with ``keys`` under ``rule``."""
        conditions, ranks = [], []
        for key, comparator in blocking_lines(rule):
            value = keys.get(key)
            if not value:
                continue
            column = SQL.identifier(self._table, key_column(key))
            if key in FUZZY_BLOCKING_KEYS and comparator != "exact":
                conditions.append(SQL("%s %% %s", column, value))
                ranks.append(SQL("similarity(%s, %s)", column, value))
            elif key in EXACT_BLOCKING_KEYS or key in FUZZY_BLOCKING_KEYS:
                conditions.append(SQL("%s = %s", column, value))
                ranks.append(SQL("(%s = %s)::int", column, value))
        if not conditions:
            return []
        domain = list(rule["domain"])
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        if rule["company_aware"] and company_id:
            domain.append(("company_id", "in", [company_id, False]))
        self.flush_model([key_column(key) for key in MATCH_KEYS])
        # SQL because the blocking condition is an OR over indexed keys with
        # pg_trgm's similarity operator, which the ORM domain cannot express.
        query = self._search(domain)
        query.add_where(SQL("(%s)", SQL(" OR ").join(conditions)))
        query.order = SQL("%s DESC", SQL(" + ").join(ranks))
        query.limit = CANDIDATE_FETCH
        columns = [SQL.identifier(self._table, "id")] + [
            SQL.identifier(self._table, key_column(key)) for key in MATCH_KEYS
        ]
        rows = self.env.execute_query(query.select(*columns))
        return [
            {"id": row[0], **dict(zip(MATCH_KEYS, row[1:], strict=True))}
            for row in rows
        ]

    def _smb_find_duplicates(self, limit=10, actions=("warn", "block")):
        """Candidates for one saved or in-form record, itself excluded."""
        self.ensure_one()
        values = self._smb_key_source_values()
        keys = self._smb_keys_from_values(values)
        exclude = [self._origin.id] if self._origin.id else []
        company = self.company_id.id if "company_id" in self else False
        return self._smb_candidates(
            keys,
            self._smb_rule_kind(values),
            company_id=company,
            exclude_ids=exclude,
            limit=limit,
            actions=actions,
        )

    # ------------------------------------------------------------------
    # Live detection
    # ------------------------------------------------------------------

    def _compute_smb_duplicates(self):
        for record in self:
            found = record._smb_find_duplicates() if record._smb_is_checkable() else []
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
        flagged = self.browse()
        for record in self:
            found = record._smb_find_duplicates(limit=1)
            if found and found[0]["id"] not in self.ids:
                flagged |= record
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
        for record in self:
            values = record._smb_key_source_values()
            kind = self._smb_rule_kind(values)
            rules = self.env["crm.smb.duplicate.rule"]._smb_rule_data(kind)
            if not any(rule["action"] == "block" for rule in rules):
                continue
            found = record.sudo()._smb_find_duplicates(limit=1, actions=("block",))
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
