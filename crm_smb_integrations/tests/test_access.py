"""Who sees what: credentials for administrators only, roles, companies."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestAccess(IntegrationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.other_backend = cls.env["crm.smb.connector.backend"].create(
            {
                "name": "Other shop",
                "service": "shopify",
                "company_id": cls.other_company.id,
            }
        )
        cls.smb_owner.write({"company_ids": [(4, cls.other_company.id)]})

    @users("smb_owner", "smb_manager", "smb_marketing")
    def test_credentials_hidden_from_non_administrators(self):
        """Even the owner cannot read tokens, keys or secrets."""
        backend = self.shopify_backend.with_user(self.env.user)
        self.assertEqual(backend.name, "Test shop")
        for field in ("access_token", "webhook_secret", "api_key", "refresh_token"):
            with self.assertRaises(AccessError):
                backend.read([field])

    @users("admin")
    def test_administrator_reads_credentials(self):
        backend = self.shopify_backend.with_user(self.env.user)
        self.assertEqual(backend.access_token, self.shopify.token)

    @users("smb_salesperson")
    def test_salesperson_cannot_open_connectors(self):
        with self.assertRaises(AccessError):
            self.env["crm.smb.connector.backend"].search([])
        with self.assertRaises(AccessError):
            self.env["crm.smb.sync.log"].search([])

    @users("smb_manager")
    def test_manager_reads_but_does_not_configure(self):
        """Managers follow sync runs and resolve reviews; owners configure."""
        self.assertTrue(self.env["crm.smb.sync.log"].search([]) is not None)
        with self.assertRaises(AccessError):
            self.env["crm.smb.connector.backend"].create(
                {"name": "Mine", "service": "shopify"}
            )

    @users("smb_owner")
    def test_owner_creates_connector(self):
        backend = self.env["crm.smb.connector.backend"].create(
            {"name": "Owner shop", "service": "shopify"}
        )
        self.assertEqual(backend.state, "draft")

    @users("smb_owner")
    def test_owner_cannot_redirect_credentials(self):
        """Endpoints that receive the credentials are the administrator's: an
        owner can neither read nor change them once a token is there."""
        backend = self.shopify_backend.with_user(self.env.user)
        with self.assertRaises(UserError):
            backend.shop_url = "https://attacker.example"
        qbo_backend = self.qbo_backend.with_user(self.env.user)
        for field in ("api_url", "token_url"):
            with self.assertRaises(AccessError):
                qbo_backend.read([field])
        owned = self.env["crm.smb.connector.backend"].create(
            {"name": "No token yet", "service": "shopify"}
        )
        owned.shop_url = "https://mine.myshopify.com"
        self.assertEqual(owned.shop_url, "https://mine.myshopify.com")

    @users("smb_owner")
    def test_other_company_hidden_unless_allowed(self):
        """A connector of another company shows only when that company is active."""
        Backend = self.env["crm.smb.connector.backend"]
        main = Backend.with_context(allowed_company_ids=[self.env.company.id])
        self.assertNotIn(self.other_backend, main.search([]))
        both = Backend.with_context(
            allowed_company_ids=[self.env.company.id, self.other_company.id]
        )
        self.assertIn(self.other_backend, both.search([]))

    @users("smb_manager")
    def test_other_company_never_seen_without_access(self):
        self.assertNotIn(
            self.other_backend, self.env["crm.smb.connector.backend"].search([])
        )

    def test_sync_log_never_holds_secrets(self):
        """Failure reasons are scrubbed of every credential of the backend."""
        log = self.shopify_backend._new_log("test")
        log._count(
            failed=[("1", f"echo Bearer {self.shopify.token} and {self.shopify.token}")]
        )
        self.assertNotIn(self.shopify.token, log.line_ids.reason)
