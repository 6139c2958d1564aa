"""Shopify import: contacts without duplicates, revenue with UTM, replays inert."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestShopifyImport(IntegrationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shopify.customers.clear()
        cls.shopify.orders.clear()
        cls.shopify.add_customer(
            1,
            first_name="Ada",
            last_name="King",
            email="ada@example.com",
            zip="10001",
            tags=["vip"],
            marketing_state="SUBSCRIBED",
        )
        cls.shopify.add_customer(
            2, first_name="Bob", last_name="Stone", email="bob@example.com"
        )
        cls.shopify.add_customer(3, first_name="", last_name="", email=None)
        cls.shopify.add_order(
            101,
            1,
            120.5,
            landing_page="/shop?utm_source=springmail&utm_medium=email"
            "&utm_campaign=spring",
            referrer="https://mail.example.net/",
        )
        cls.shopify.add_order(102, 2, 30.0, referrer="https://www.google.com/")
        cls.shopify.add_order(103, 99, 10.0)

    def test_import_creates_contacts_and_revenue(self):
        """Customers become contacts with consent and tags; orders become revenue
        with the UTM of their landing page; bad records are logged, not fatal."""
        log = self.shopify_backend._shopify_import_all()
        ada = self.env["res.partner"].search([("email", "=", "ada@example.com")])
        self.assertEqual(len(ada), 1)
        self.assertTrue(ada.smb_marketing_consent)
        self.assertEqual(ada.smb_consent_source, "shopify")
        self.assertIn("vip", ada.category_id.mapped("name"))
        self.assertEqual(ada.smb_external_revenue, 120.5)
        order = ada.smb_external_order_ids
        self.assertEqual(order.source_id.name, "springmail")
        self.assertEqual(order.campaign_id.name, "spring")
        bob = self.env["res.partner"].search([("email", "=", "bob@example.com")])
        self.assertEqual(bob.smb_external_order_ids.source_id.name, "google.com")
        self.assertFalse(bob.smb_marketing_consent)
        self.assertEqual((log.created_count, log.failed_count), (4, 2))
        self.assertEqual(sorted(log.line_ids.mapped("external_id")), ["103", "3"])
        self.assertIn(
            "customer 99 not imported yet", " ".join(log.line_ids.mapped("reason"))
        )

    def test_second_identical_run_creates_nothing(self):
        """Replaying the same import any number of times creates no record."""
        self.shopify_backend._shopify_import_all()
        counts = (
            self.env["res.partner"].search_count([]),
            self.env["crm.smb.external.order"].search_count([]),
            self.env["crm.smb.connector.binding"].search_count([]),
        )
        log = self.shopify_backend._shopify_import_all()
        self.assertEqual(log.created_count, 0)
        self.assertEqual(log.skipped_count, 4)
        self.assertEqual(
            counts,
            (
                self.env["res.partner"].search_count([]),
                self.env["crm.smb.external.order"].search_count([]),
                self.env["crm.smb.connector.binding"].search_count([]),
            ),
        )

    def test_existing_contact_is_linked_not_duplicated(self):
        """A contact already in the CRM with the same email is linked."""
        existing = self._partner(name="Ada King", email="ADA@example.com")
        self.shopify_backend._shopify_import_all()
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "ada@example.com")]
            ),
            1,
        )
        self.assertEqual(existing.smb_binding_ids.external_id, "1")

    def test_ambiguous_match_goes_to_review(self):
        """Two contacts share Bob's email: no guess, no new contact, a review."""
        first = self._partner(name="Bob Stone", email="bob@example.com")
        second = self._partner(name="Robert Stone", email="bob@example.com")
        self.shopify_backend._shopify_import_all()
        review = self.env["crm.smb.identity.review"].search(
            [("backend_id", "=", self.shopify_backend.id)]
        )
        self.assertEqual(review.external_id, "2")
        self.assertEqual(review.candidate_ids, first | second)
        self.assertEqual(
            self.env["res.partner"].search_count([("email", "=", "bob@example.com")]), 2
        )
        # Replayed: still one review, still no contact.
        self.shopify_backend._shopify_import_all()
        self.assertEqual(
            self.env["crm.smb.identity.review"].search_count(
                [("backend_id", "=", self.shopify_backend.id)]
            ),
            1,
        )
        review.partner_id = second
        review.action_link()
        self.assertEqual(second.smb_binding_ids.external_id, "2")
        self.assertEqual(review.state, "linked")

    def test_sync_now_queues_one_job_per_chain(self):
        """Sync Now queues the import on the Shopify channel, never twice."""
        with trap_jobs() as trap:
            self.shopify_backend.action_sync_now()
            log = self._log(self.shopify_backend)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.shopify_backend._job_shopify_import,
                args=("customers", None, log.id, None),
                properties={
                    "channel": "root.crm_smb_shopify",
                    "identity_key": identity_exact,
                },
            )
            trap.perform_enqueued_jobs()
            # The customers page queued the orders page, which finished the run.
            trap.perform_enqueued_jobs()
        self.assertEqual(log.state, "done")
        self.assertEqual(log.created_count, 4)

    def test_throttled_and_5xx_retry_with_the_wait_asked(self):
        """A 503 with Retry-After becomes a job retry after that many seconds."""
        log = self.shopify_backend._new_log("test")
        self.shopify.inject(503, headers={"Retry-After": "42"})
        with self.assertRaises(RetryableJobError) as caught:
            self.shopify_backend._job_shopify_import("customers", None, log.id)
        self.assertEqual(caught.exception.seconds, 42)

    def test_bad_token_needs_reconnect_without_retry(self):
        """A refused token stops the run and tells the user to reconnect."""
        self.shopify_backend.access_token = "expired"
        log = self.shopify_backend._new_log("test")
        self.shopify_backend._job_shopify_import("customers", None, log.id)
        self.assertEqual(self.shopify_backend.state, "needs_reconnect")
        self.assertIn("reconnect", self.shopify_backend.state_message)
        self.assertEqual(log.state, "failed")
        self.assertNotIn("expired", log.message or "")

    def test_health_check(self):
        self.shopify_backend.action_health_check()
        self.assertEqual(self.shopify_backend.state, "connected")
        self.shopify.inject(401, {"errors": "Invalid API key"})
        self.shopify_backend.action_health_check()
        self.assertEqual(self.shopify_backend.state, "needs_reconnect")


@tagged("post_install", "-at_install")
class TestIdentityResolution(IntegrationsCommon):
    """Identity resolution goes through crm_smb_dedup's candidates."""

    def _import(self, **customer):
        self.shopify.customers.clear()
        self.shopify.orders.clear()
        self.shopify.available = float(self.shopify.bucket_size)
        self.shopify.add_customer(900, **customer)
        return self.shopify_backend._shopify_import_all()

    def test_phone_match_is_never_a_silent_duplicate(self):
        """Same phone written differently: linked or reviewed, not created."""
        existing = self._partner(name="Lena Ortiz", phone="+1 415 555 0142")
        self._import(
            first_name="Lena",
            last_name="Ortiz",
            email="lena@example.com",
            phone="(415) 555-0142",
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "ilike", "Lena Ortiz")]), 1
        )
        bound = existing.smb_binding_ids.filtered(
            lambda b: b.backend_id == self.shopify_backend
        )
        review = self.env["crm.smb.identity.review"].search(
            [("backend_id", "=", self.shopify_backend.id), ("external_id", "=", "900")]
        )
        self.assertTrue(bound or review)

    def test_stranger_is_created_once(self):
        self._import(first_name="Zed", last_name="Quinn", email="zed@example.org")
        self._import(first_name="Zed", last_name="Quinn", email="zed@example.org")
        self.assertEqual(
            self.env["res.partner"].search_count([("email", "=", "zed@example.org")]), 1
        )

    def test_review_create_contact(self):
        """The reviewer decides it is someone new: a contact and a binding."""
        self._partner(name="Max Field", email="max@example.com")
        self._partner(name="Max Field", email="max@example.com")
        self._import(first_name="Max", last_name="Field", email="max@example.com")
        review = self.env["crm.smb.identity.review"].search(
            [("external_id", "=", "900")]
        )
        review.action_create_contact()
        self.assertEqual(review.state, "created")
        self.assertEqual(review.partner_id.smb_binding_ids.external_id, "900")
        # The next import finds the binding: nothing new.
        log = self._import(first_name="Max", last_name="Field", email="max@example.com")
        self.assertEqual(log.created_count, 0)


@tagged("post_install", "-at_install")
class TestShopifyReconciliation(IntegrationsCommon):
    def test_reconciliation_queues_changes_since_last_sync(self):
        """The periodic job asks Shopify only for what changed since the last
        sync (with an hour of overlap), on the Shopify channel."""
        self.shopify_backend.last_sync_date = "2026-03-01 12:00:00"
        with trap_jobs() as trap:
            self.env["crm.smb.connector.backend"]._cron_shopify_reconcile()
            log = self._log(self.shopify_backend)
            trap.assert_enqueued_job(
                self.shopify_backend._job_shopify_import,
                args=("customers", None, log.id, "updated_at:>='2026-03-01T11:00:00Z'"),
                properties={"channel": "root.crm_smb_shopify"},
            )

    def test_reconciliation_skips_disconnected_shops(self):
        self.shopify_backend.write({"state": "needs_reconnect"})
        with trap_jobs() as trap:
            self.env["crm.smb.connector.backend"]._cron_shopify_reconcile()
            trap.assert_jobs_count(0)


@tagged("post_install", "-at_install")
class TestShopifyWebhookRegistration(IntegrationsCommon):
    def setUp(self):
        super().setUp()
        self.shopify.webhooks.clear()

    def test_register_webhooks_once(self):
        """Register Webhooks subscribes the four topics to this database's
        URL; clicking again keeps the existing subscriptions."""
        self.shopify_backend.action_shopify_register_webhooks()
        self.shopify_backend.action_shopify_register_webhooks()
        self.assertEqual(len(self.shopify.webhooks), 4)
        self.assertEqual(
            {hook["callbackUrl"] for hook in self.shopify.webhooks},
            {self.shopify_backend.webhook_url},
        )
        self.assertIn("Webhooks registered", self.shopify_backend.message_ids[0].body)

    def test_register_webhooks_refused_says_why(self):
        """A refused subscription is a clear error, nothing is claimed."""
        self.shopify.inject(401, {"errors": "Invalid API key"})
        with self.assertRaises(UserError) as caught:
            self.shopify_backend.action_shopify_register_webhooks()
        self.assertIn("Check the connection", str(caught.exception))
