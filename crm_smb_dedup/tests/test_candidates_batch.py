"""Batch candidate lookup: a page of records costs a constant number of queries
and gets, record by record, what the single lookup gives."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import SQL

from ..matching import best_possible_score, score_pair
from ..models.dedup_mixin import MATCH_KEYS, blocking_lines, key_column
from .common import DedupCommon

FIRST = ["Robert", "Bob", "Rob", "Jane", "Janet", "Anna", "Ana"]
LAST = ["Miller", "Millar", "Doe", "Dough", "Stone"]
EMAILS = ["bob@miller.io", "jane@doe.io", "anna@stone.io", "info@acme.io", None]
PHONES = ["415-555-0142", "415-555-0100", "212-555-0199", None]
ZIPS = ["94107", "10001", None]
COMPANIES = ["Acme Inc", "Acme", "Stone Bakery", None]

PERSON = st.fixed_dictionaries(
    {
        "name": st.builds(
            "{} {}".format, st.sampled_from(FIRST), st.sampled_from(LAST)
        ),
        "email": st.sampled_from(EMAILS),
        "phone": st.sampled_from(PHONES),
        "zip": st.sampled_from(ZIPS),
        "company_name": st.sampled_from(COMPANIES),
    }
)
COMPANY = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Acme Inc", "ACME", "Stone Bakery", "Doe & Co"]),
        "is_company": st.just(True),
        "website": st.sampled_from(["acme.io", "https://stone.io", None]),
        "phone": st.sampled_from(PHONES),
    }
)


@tagged("post_install", "-at_install")
class TestCandidatesBatch(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.company"].create({"name": "Branch Two"})
        cls.pool = cls.env["res.partner"]
        for index, (first, last) in enumerate(
            (first, last) for last in LAST for first in FIRST
        ):
            cls.pool |= cls._person(
                f"{first} {last}",
                email=EMAILS[index % len(EMAILS)],
                phone=PHONES[index % len(PHONES)],
                zip=ZIPS[index % len(ZIPS)],
                company_name=COMPANIES[index % len(COMPANIES)],
                company_id=cls.branch.id if index % 7 == 3 else False,
            )
        cls.pool |= cls._company("Acme, Inc.", website="https://www.acme.io")
        cls.pool |= cls._company("Stone Bakery", phone="212-555-0199")
        cls.pool[5].active = False
        cls.env["crm.smb.duplicate.exclusion"]._smb_exclude_pairs(
            "res.partner", [(cls.pool[0].id, cls.pool[1].id)]
        )

    def _strip(self, found):
        return [(c["record"].id, c["score"], c["reasons"], c["rule_id"]) for c in found]

    def _oracle(self, values, min_score=None, limit=10):
        """Candidates by brute force: every contact of the rule's scope that
        shares a selecting key (or passes pg_trgm's ``%``) is scored."""
        Partner = self.env["res.partner"]
        query = Partner._smb_duplicate_queries([values])[0]
        keys = query["keys"]
        found = {}
        for rule in self.env["crm.smb.duplicate.rule"]._smb_rule_data(query["kind"]):
            domain = list(rule["domain"])
            if query["exclude_ids"]:
                domain.append(("id", "not in", query["exclude_ids"]))
            if rule["company_aware"] and query["company_id"]:
                domain.append(("company_id", "in", [query["company_id"], False]))
            threshold = rule["threshold"] if min_score is None else min_score
            for partner in Partner.search(domain):
                row = partner._smb_keys()
                selected = False
                for key, comparator in blocking_lines(rule):
                    if not keys.get(key) or not row.get(key):
                        continue
                    if key in ("name", "company") and comparator != "exact":
                        selected |= self.env.execute_query(
                            SQL("SELECT %s %% %s", row[key], keys[key])
                        )[0][0]
                    else:
                        selected |= row[key] == keys[key]
                if not selected:
                    continue
                score, reasons = score_pair(rule["lines"], keys, row)
                best = found.get(partner.id)
                if score >= threshold and (not best or score > best[1]):
                    found[partner.id] = (partner.id, score, reasons, rule["id"])
        if query["exclude_ids"]:
            for excluded in self.env["crm.smb.duplicate.exclusion"]._smb_excluded_ids(
                "res.partner", query["exclude_ids"], list(found)
            ):
                found.pop(excluded, None)
        return sorted(found.values(), key=lambda c: (-c[1], c[0]))[:limit]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.tuples(
                st.one_of(PERSON, COMPANY),
                st.sampled_from([None, 0, 1]),
                st.booleans(),
            ),
            min_size=1,
            max_size=6,
        ),
        st.sampled_from([None, 0.5]),
    )
    def test_batch_matches_single_and_brute_force(self, page, min_score):
        """Each record of a page gets the candidates it gets alone, which are
        those a full scan of the contacts finds: skipping trigram lookups
        that cannot reach the threshold loses nothing."""
        Partner = self.env["res.partner"]
        values_list = []
        for values, pool_index, other_company in page:
            values = dict(values)
            if pool_index is not None:
                values["id"] = self.pool[pool_index].id
            if other_company:
                values["company_id"] = self.branch.id
            values_list.append(values)
        queries = Partner._smb_duplicate_queries(values_list)
        batch = Partner._smb_candidates_batch(queries, min_score=min_score)
        for values, query, found in zip(values_list, queries, batch, strict=True):
            single = Partner._smb_candidates(
                query["keys"],
                query["kind"],
                company_id=query["company_id"],
                exclude_ids=query["exclude_ids"],
                min_score=min_score,
            )
            self.assertEqual(self._strip(found), self._strip(single))
            self.assertEqual(
                [item[:2] for item in self._strip(found)],
                [item[:2] for item in self._oracle(values, min_score)],
            )

    def test_page_costs_constant_queries(self):
        """Looking up 5 or 60 incoming contacts costs the same queries: one
        per duplicate rule, plus the planner setting around them."""
        Partner = self.env["res.partner"]
        Partner.flush_model()

        def page(size):
            return [
                {
                    "name": f"{FIRST[i % 7]} {LAST[i % 5]}",
                    "email": f"someone{i}@example.com",
                    "phone": f"+1 415 555 {1000 + i}",
                    "zip": "94107",
                }
                for i in range(size)
            ]

        Partner._smb_duplicate_candidates_batch(page(5))
        for size in (5, 60):
            values_list = page(size)
            with self.assertQueryCount(3):
                found = Partner._smb_duplicate_candidates_batch(values_list)
            self.assertEqual(len(found), size)
        # People and companies: one more query, for the companies' rule.
        mixed = [*page(30), {"name": "Acme", "is_company": True, "website": "acme.io"}]
        Partner._smb_duplicate_candidates_batch(mixed)
        with self.assertQueryCount(4):
            Partner._smb_duplicate_candidates_batch(mixed)

    def test_import_check_costs_constant_queries(self):
        """Checking 3 or 30 imported contacts against existing ones costs the
        same queries: the rows of an import are looked up in one batch."""
        Partner = self.env["res.partner"].with_context(import_file=True)
        for size in (3, 30):
            rows = self.env["res.partner"].create(
                [
                    {"name": f"Import Row{i}", "email": f"row{i}-{size}@import.io"}
                    for i in range(size)
                ]
            )
            self.env.flush_all()
            with self.assertQueryCount(3):
                Partner.browse(rows.ids)._smb_flag_imported_duplicates()
            self.assertFalse(any(rows.mapped("smb_import_duplicate")))

    def test_exact_match_survives_many_namesakes(self):
        """More than forty namesakes without an email do not push the contact
        with the same email out of the candidates."""
        Partner = self.env["res.partner"]
        Partner.create([{"name": "John Smith", "zip": "30301"} for __ in range(45)])
        john = self._person("John Smith", email="john@smith.io", zip="30301")
        found = Partner._smb_duplicate_candidates(
            {
                "name": "John Smith",
                "email": "john@smith.io",
                "zip": "30301",
                "company_name": "Smith Plumbing",
            }
        )
        self.assertEqual(found[0]["record"], john)
        self.assertIn("same email john@smith.io", found[0]["reasons"])

    def test_written_contact_marks_affected_queries(self):
        """After a contact is written, only the queries that could now (or
        could before) select it need a new look."""
        Partner = self.env["res.partner"]
        queries = Partner._smb_duplicate_queries(
            [
                {"name": "Zoe Park", "phone": "+1 646 555 0111", "zip": "10001"},
                {"name": "Yan Li", "email": "yan@li.io"},
            ]
        )
        zoe = self._person("Z. Park", email="zp@park.io")
        before = zoe._smb_keys()
        zoe.phone = "(646) 555-0111"
        after = zoe._smb_keys()
        self.assertEqual(Partner._smb_candidates_affected(queries, before, after), {0})
        self.assertEqual(Partner._smb_candidates_affected(queries, after, after), {0})
        self.assertEqual(
            Partner._smb_candidates_affected(queries[1:], before, after), set()
        )

    def test_best_possible_score_bounds_every_pair(self):
        """The bound used to skip trigram lookups is never below a real score
        of a pair that shares none of the skipped exact keys."""
        rule = self.env["crm.smb.duplicate.rule"]._smb_rule_data("partner_person")[0]
        lines = rule["lines"]
        exact = {
            index for index, line in enumerate(lines) if line[0] in ("email", "phone")
        }
        left = {"name": "bob miller", "zip": "94107", "email": "a@b.io"}
        bound = best_possible_score(lines, left, unmatched=exact)
        self.assertLess(bound, rule["threshold"])
        for partner in self.pool:
            row = partner._smb_keys()
            if row["email"] == left["email"]:
                continue
            self.assertLessEqual(score_pair(lines, left, row)[0], bound)
        with_company = dict(left, company="acme")
        self.assertGreaterEqual(
            best_possible_score(lines, with_company, unmatched=exact),
            rule["threshold"],
        )
        self.assertTrue(all(key_column(key) for key in MATCH_KEYS))
