"""Fixtures for the connector tests: fake servers and backends pointing at them."""

from odoo.addons.crm_smb_core.tests.common import SmbCoreCommon
from odoo.addons.crm_smb_integrations.fake_servers import (
    FakeMailchimp,
    FakeQuickBooks,
    FakeShopify,
)

SHOPIFY_SECRET = "shpss_app_secret_for_tests"
QBO_VERIFIER = "qbo-verifier-token-for-tests"


def start_fake(case_cls, fake):
    fake.start()
    case_cls.addClassCleanup(fake.stop)
    return fake


class IntegrationsCommon(SmbCoreCommon):
    """Three backends, each talking to its own fake server on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shopify = start_fake(cls, FakeShopify())
        cls.mailchimp = start_fake(cls, FakeMailchimp())
        cls.qbo = start_fake(cls, FakeQuickBooks())
        Backend = cls.env["crm.smb.connector.backend"]
        cls.shopify_backend = Backend.create(
            {
                "name": "Test shop",
                "service": "shopify",
                "shop_url": cls.shopify.url,
                "access_token": cls.shopify.token,
                "webhook_secret": SHOPIFY_SECRET,
                "state": "connected",
            }
        )
        cls.mailchimp_backend = Backend.create(
            {
                "name": "Test audience",
                "service": "mailchimp",
                "api_url": cls.mailchimp.url,
                "api_key": cls.mailchimp.api_key,
                "mailchimp_list_id": cls.mailchimp.list_id,
                "state": "connected",
            }
        )
        cls.qbo_backend = Backend.create(
            {
                "name": "Test books",
                "service": "quickbooks",
                "api_url": cls.qbo.url,
                "token_url": cls.qbo.url + "/oauth2/v1/tokens/bearer",
                "qbo_client_id": cls.qbo.client_id,
                "client_secret": cls.qbo.client_secret,
                "webhook_secret": QBO_VERIFIER,
            }
        )

    def setUp(self):
        super().setUp()
        for fake in (self.shopify, self.mailchimp, self.qbo):
            fake.failures.clear()
            fake.requests.clear()
        self.shopify.available = float(self.shopify.bucket_size)

    # Factories -------------------------------------------------------------
    @classmethod
    def _partner(cls, **values):
        return cls.env["res.partner"].create({"name": "Existing Contact", **values})

    def _connect_qbo(self):
        """Run the authorization-code exchange as the OAuth redirect does."""
        self.qbo_backend._qbo_oauth_callback(self.qbo.issue_code(), self.qbo.realm)
        return self.qbo_backend

    def _log(self, backend):
        return self.env["crm.smb.sync.log"].search(
            [("backend_id", "=", backend.id)], limit=1
        )
