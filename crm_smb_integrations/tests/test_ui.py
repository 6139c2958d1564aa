"""Tour: an administrator sets up connectors and checks a connection."""

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..fake_servers import FakeShopify
from ..services.mapping import payload_hash


@tagged("post_install", "-at_install")
class TestConnectorSetupTour(HttpCase):
    def test_connector_setup_tour(self):
        """The setup screen creates a connector and the health check connects
        a shop that answers (here the fake Shopify on 127.0.0.1)."""
        fake = FakeShopify().start()
        self.addCleanup(fake.stop)
        self.env["crm.smb.connector.backend"].create(
            {
                "name": "Tour shop",
                "service": "shopify",
                "shop_url": fake.url,
                "access_token": fake.token,
            }
        )
        self.start_tour(
            "/odoo/action-crm_smb_integrations.crm_smb_connector_backend_action",
            "crm_smb_connector_setup_tour",
            login="admin",
        )
        audience = self.env["crm.smb.connector.backend"].search(
            [("name", "=", "Tour audience")]
        )
        self.assertEqual(audience.service, "mailchimp")
        self.assertTrue(audience.sudo().webhook_secret)
        shop = self.env["crm.smb.connector.backend"].search(
            [("name", "=", "Tour shop")]
        )
        self.assertEqual(shop.state, "connected")
        self.assertEqual(
            sorted(hook["topic"] for hook in fake.webhooks),
            ["CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "ORDERS_CREATE", "ORDERS_PAID"],
        )
        self.assertTrue(
            all(
                hook["callbackUrl"].endswith(f"/crm_smb/webhook/shopify/{shop.id}")
                for hook in fake.webhooks
            )
        )

    def test_identity_review_tour(self):
        """A manager links an ambiguous incoming customer to the right contact."""
        first = self.env["res.partner"].create(
            {"name": "Nora Review", "email": "nora@example.com"}
        )
        second = self.env["res.partner"].create(
            {"name": "Nora R. Second", "email": "nora@example.com"}
        )
        backend = self.env["crm.smb.connector.backend"].create(
            {"name": "Review shop", "service": "shopify"}
        )
        values = {
            "external_id": "77",
            "name": "Nora Review",
            "email": "nora@example.com",
        }
        review = self.env["crm.smb.identity.review"]._queue(
            backend, values, [first, second], 0.95
        )
        self.start_tour(
            "/odoo/action-crm_smb_integrations.crm_smb_identity_review_action",
            "crm_smb_identity_review_tour",
            login="admin",
        )
        self.assertEqual(review.state, "linked")
        self.assertEqual(review.partner_id, second)
        binding = second.smb_binding_ids
        self.assertEqual(binding.external_id, "77")
        self.assertEqual(binding.payload_hash, payload_hash(values))


@tagged("post_install", "-at_install")
class TestSyncLogRetryTour(HttpCase):
    def test_sync_log_retry_tour(self):
        """A manager opens a sync run with a failed order and clicks Retry
        Failed; the queued retry imports the order once its customer exists."""
        fake = FakeShopify().start()
        self.addCleanup(fake.stop)
        backend = self.env["crm.smb.connector.backend"].create(
            {
                "name": "Retry shop",
                "service": "shopify",
                "shop_url": fake.url,
                "access_token": fake.token,
                "state": "connected",
            }
        )
        fake.add_order(501, 55, 42.0)
        log = backend._new_log("Tour import")
        with trap_jobs():
            backend._shopify_import_page(backend._shopify_client(), "orders", None, log)
        fake.add_customer(55, first_name="Tess", last_name="Tour", email="tess@ex.com")
        self.start_tour(
            "/odoo/action-crm_smb_integrations.crm_smb_sync_log_action",
            "crm_smb_sync_log_retry_tour",
            login="admin",
        )
        job = self.env["queue.job"].search(
            [("method_name", "=", "_job_retry_failed"), ("state", "=", "pending")]
        )
        self.assertEqual(len(job), 1)
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(log.line_ids.state, "resolved")
        tess = self.env["res.partner"].search([("email", "=", "tess@ex.com")])
        self.assertEqual(tess.smb_external_revenue, 42.0)
