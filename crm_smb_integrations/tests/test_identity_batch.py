"""Identity resolution by page: one batch of candidate lookups per page of
customers, with the answers each customer would get on its own."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from ..services.identity import PageCandidates
from .common import IntegrationsCommon

NAMES = ["Lena Ortiz", "Lena Ortis", "Max Field", "Ada King", "Omar Reyes"]
EMAILS = ["lena@example.com", "LENA@example.com", "max@example.com", None]
PHONES = ["+1 415 555 0142", "(415) 555-0142", "+44 20 7946 0958", None]

CUSTOMER = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "email": st.sampled_from(EMAILS),
        "phone": st.sampled_from(PHONES),
        "zip": st.sampled_from(["10001", "94107", None]),
        "country_code": st.sampled_from(["US", "GB", None]),
    }
)


def customers(size, start=0):
    return [
        {
            "external_id": str(1000 + start + i),
            "name": f"{NAMES[i % 5]} {i}",
            "email": f"customer{start + i}@example.com",
            "phone": f"+1 415 555 {1000 + start + i}" if i % 3 else None,
            "zip": "10001",
            "city": "New York",
            "country_code": "US",
            "tags": ["batch"],
            "marketing_state": "not_subscribed",
        }
        for i in range(size)
    ]


@tagged("post_install", "-at_install")
class TestIdentityBatch(IntegrationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lena = cls._partner(name="Lena Ortiz", email="lena@example.com")
        cls.lena_twin = cls._partner(name="Lena Ortiz", phone="+1 415 555 0142")
        cls.max = cls._partner(name="Max Field", email="max@example.com", zip="10001")
        cls._partner(name="Max Field", email="max@example.com")
        cls._partner(name="Ada King", phone="+44 20 7946 0958")

    def _strip(self, found):
        return [(c["record"].id, c["score"], sorted(c["reasons"])) for c in found]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(CUSTOMER, min_size=1, max_size=8))
    def test_page_answers_equal_single_answers(self, page):
        """Every customer of a page gets the candidates (and so the decision:
        link, review or create) it gets when looked up alone."""
        Partner = self.env["res.partner"]._smb_batch_context(page)
        batch = Partner._smb_identity_candidates_batch(page)
        self.assertEqual(len(batch), len(page))
        for values, found in zip(page, batch, strict=True):
            single = self.env["res.partner"]._smb_identity_candidates(values)
            self.assertEqual(self._strip(found), self._strip(single))

    def test_candidate_queries_do_not_grow_with_the_page(self):
        """Looking up 5 or 100 customers costs the same number of queries."""
        Partner = self.env["res.partner"]
        counts = []
        for size in (5, 100):
            page = customers(size, start=size)
            cached = Partner._smb_batch_context(page)
            cached._smb_identity_candidates_batch(page[:1])
            self.env.invalidate_all()
            with self.assertQueryCount(5):
                found = cached._smb_identity_candidates_batch(page)
            counts.append(len(found))
        self.assertEqual(counts, [5, 100])

    def test_page_of_new_customers_costs_the_same_as_a_small_one(self):
        """Resolving a page of new customers: the queries do not depend on its
        length (contacts and bindings are created in one go)."""
        Binding = self.env["crm.smb.connector.binding"]
        # Warm the caches (rules, countries, tags) the first page fills.
        Binding._resolve_customers(self.shopify_backend, customers(3), "shopify")
        self.env.flush_all()
        queries = []
        for size, start in ((4, 100), (40, 200)):
            page = customers(size, start=start)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            results = Binding._resolve_customers(self.shopify_backend, page, "shopify")
            self.env.flush_all()
            queries.append(self.env.cr.sql_log_count - before)
            self.assertEqual(
                [outcome for outcome, _partner in results.values()],
                ["created"] * size,
            )
        self.assertEqual(queries[0], queries[1])

    def test_shared_email_keeps_the_first_ten(self):
        """An address shared by many contacts (a shop's placeholder) brings the
        first ten in the usual order, not all of them."""
        Partner = self.env["res.partner"]
        Partner.create(
            [
                {"name": f"Walk-in {chr(65 + i)}", "email": "noemail@shop.example"}
                for i in range(15)
            ]
        )
        found = Partner._smb_same_email(["noemail@shop.example", "max@example.com"])
        self.assertEqual(
            found["noemail@shop.example"],
            list(Partner.search([("email", "=", "noemail@shop.example")], limit=10)),
        )
        self.assertEqual(len(found["max@example.com"]), 2)

    def test_update_earlier_in_the_page_is_seen(self):
        """A bound customer's new email is seen by a new customer later in the
        same page: linked to that contact, not created a second time."""
        self.shopify.customers.clear()
        self.shopify.add_customer(
            1, first_name="Omar", last_name="Reyes", email="omar@old.example"
        )
        self.shopify_backend._shopify_import_all()
        omar = self.env["crm.smb.connector.binding"]._partner_for(
            self.shopify_backend, ["1"]
        )["1"]
        self.shopify.customers.clear()
        self.shopify.add_customer(
            1, first_name="Omar", last_name="Reyes", email="omar@new.example"
        )
        self.shopify.add_customer(
            2, first_name="Omar", last_name="Reyes", email="omar@new.example"
        )
        log = self.shopify_backend._shopify_import_all()
        self.assertEqual(log.created_count, 0)
        bound = self.env["crm.smb.connector.binding"]._partner_for(
            self.shopify_backend, ["1", "2"]
        )
        self.assertEqual(bound, {"1": omar, "2": omar})
        self.assertEqual(omar.email, "omar@new.example")

    def test_link_earlier_in_the_page_is_seen(self):
        """A link that fills a contact's phone is seen by a later customer of
        the page with that phone: both belong to the same contact."""
        nora = self._partner(name="Nora Quill", email="nora@quill.example")
        self.shopify.customers.clear()
        self.shopify.add_customer(
            1,
            first_name="Nora",
            last_name="Quill",
            email="nora@quill.example",
            phone="+1 646 555 0123",
        )
        self.shopify.add_customer(
            2,
            first_name="Nora",
            last_name="Quill",
            email="nora.work@quill.example",
            phone="(646) 555-0123",
        )
        log = self.shopify_backend._shopify_import_all()
        self.assertEqual(log.created_count, 0)
        bound = self.env["crm.smb.connector.binding"]._partner_for(
            self.shopify_backend, ["1", "2"]
        )
        self.assertEqual(bound, {"1": nora, "2": nora})

    def test_page_candidates_look_again_only_where_needed(self):
        """After a change, only the customers it concerns are looked up again,
        together, and only those not resolved yet."""
        calls = []

        def lookup(positions):
            calls.append(list(positions))
            return [[f"answer {len(calls)}"] for __ in positions]

        page = PageCandidates(lookup, lambda before, after: {0, 2, 3}, 4)
        self.assertEqual(page.get(0), ["answer 1"])
        page.changed({"email": "a"}, {"email": "b"})
        page.changed({"email": "b"}, {"email": "b"})
        self.assertEqual(page.get(1), ["answer 1"])
        self.assertEqual(page.get(2), ["answer 2"])
        self.assertEqual(page.get(3), ["answer 2"])
        self.assertEqual(calls, [[0, 1, 2, 3], [2, 3]])
        self.assertFalse(page.waiting())
