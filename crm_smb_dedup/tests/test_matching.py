"""The pure matching package: keys people would call equal, and no crashes."""

import unittest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from ..matching import (
    block_keys,
    compare,
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

NORMALISERS = (
    normalize_company_name,
    normalize_email,
    normalize_email_domain,
    normalize_person_name,
    normalize_phone,
    normalize_street,
    normalize_vat,
    normalize_website,
    normalize_zip,
)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(),
    st.text(alphabet="+()-. 0123456789@<>,;x"),
    st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")),
)


@tagged("post_install", "-at_install")
class TestNormalisers(unittest.TestCase):
    def test_email_follows_odoo_rules(self):
        """Case and display names do not hide the same address."""
        self.assertEqual(
            normalize_email('"Jane Doe" <Jane.Doe@Example.COM>'), "jane.doe@example.com"
        )
        self.assertIsNone(normalize_email("jane.doe@"))
        self.assertIsNone(normalize_email("a@x.com, b@y.com"))

    def test_free_mail_domain_is_not_a_company(self):
        """Two gmail users must not look like the same company."""
        self.assertIsNone(normalize_email_domain("jane@gmail.com"))
        self.assertEqual(normalize_email_domain("jane@Acme.io"), "acme.io")

    def test_phone_in_e164(self):
        """The same phone typed three ways gives one key."""
        keys = {
            normalize_phone("(415) 555-0100", "US"),
            normalize_phone("+1 415 555 0100"),
            normalize_phone("001-415-555-0100", "FR"),
        }
        self.assertEqual(keys, {"+14155550100"})

    def test_company_name_drops_case_accents_suffixes(self):
        """ "ACME, Inc." and "Acmé Incorporated" are one company."""
        names = ["ACME, Inc.", "Acmé Incorporated", "acme llc", "Acme Corp", "Acme Co"]
        self.assertEqual({normalize_company_name(name) for name in names}, {"acme"})
        self.assertEqual(normalize_company_name("The Company"), "the company")

    def test_website_host(self):
        """Scheme, www, path and case do not matter for websites."""
        self.assertEqual(
            normalize_website("HTTPS://www.Acme.com/about?x=1"), "acme.com"
        )
        self.assertEqual(normalize_website("acme.com:8080"), "acme.com")
        self.assertIsNone(normalize_website("not a site"))

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(ANYTHING)
    def test_malformed_input_never_crashes(self, value):
        """Whatever people paste, the normalisers answer a key or None."""
        for normalise in NORMALISERS:
            result = normalise(value)
            self.assertTrue(result is None or (isinstance(result, str) and result))

    @settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(), st.text())
    def test_comparators_stay_in_range(self, left, right):
        """Every comparator scores free text between 0 and 1."""
        for comparator in ("exact", "trigram", "fuzzy", "person_name"):
            a, b = normalize_person_name(left), normalize_person_name(right)
            similarity = compare(comparator, a, b, "name")
            self.assertGreaterEqual(similarity.score, 0.0)
            self.assertLessEqual(similarity.score, 1.0)


@tagged("post_install", "-at_install")
class TestComparators(unittest.TestCase):
    def test_nicknames_and_initials(self):
        """Bob Smith is Robert Smith; J. Smith may be John Smith."""
        self.assertEqual(compare("person_name", "bob smith", "robert smith").score, 1)
        self.assertGreater(compare("person_name", "j smith", "john smith").score, 0.9)
        self.assertLess(compare("person_name", "mary smith", "john smith").score, 0.8)

    def test_reasons_are_sentences(self):
        """Reasons read as a person would say them."""
        phone = compare("exact", "+14155550100", "+14155550100", "phone")
        self.assertEqual(phone.reason, "same phone +1 415-555-0100")
        company = compare("fuzzy", "acme widgets", "acme widget", "company name")
        self.assertEqual(company.reason, "company name 95% similar")

    def test_score_needs_more_than_a_name(self):
        """A shared name alone stays below a sensible threshold."""
        lines = [
            ("name", "person_name", 3, "name"),
            ("email", "exact", 4, "email"),
            ("phone", "exact", 3, "phone"),
        ]
        only_name, __ = score_pair(
            lines, {"name": "john smith"}, {"name": "john smith"}
        )
        self.assertLess(only_name, 0.8)
        score, reasons = score_pair(
            lines,
            {"name": "bob smith", "email": "b@x.io"},
            {"name": "robert smith", "email": "b@x.io"},
        )
        self.assertEqual(score, 1.0)
        self.assertEqual(reasons[0], "same email b@x.io")

    def test_difference_counts_only_when_asked(self):
        """A different phone is ignored unless the rule says it counts."""
        left = {"company": "taylor dental", "phone": "+14155550101"}
        right = {"company": "taylor dental", "phone": "+17025550199"}
        ignored = [
            ("company", "fuzzy", 3, "company name"),
            ("phone", "exact", 2, "phone"),
        ]
        counted = [ignored[0], ("phone", "exact", 2, "phone", True)]
        self.assertEqual(score_pair(ignored, left, right)[0], 1.0)
        self.assertEqual(score_pair(counted, left, right)[0], 0.6)

    def test_block_keys_survive_typos_swaps_and_nicknames(self):
        """Spellings of one name keep a block in common; strangers do not."""

        def shared(left, right):
            return set(block_keys(left).split()) & set(block_keys(right).split())

        self.assertTrue(shared("kate olsen", "olsen katherine"))
        self.assertTrue(shared("kate olsen", "kate olsne"))
        self.assertTrue(shared("k olsen", "katherine olsen"))
        self.assertTrue(shared("bob smith", "robert smith"))
        self.assertFalse(shared("kate olsen", "mary jones"))
        self.assertIsNone(block_keys(None))
