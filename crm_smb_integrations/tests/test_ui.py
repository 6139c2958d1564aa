"""Tour: an administrator sets up connectors and checks a connection."""

from odoo.tests import HttpCase, tagged

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
