"""QuickBooks: OAuth2 tokens, customers both ways, invoices and payments in."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestQuickBooks(IntegrationsCommon):
    def setUp(self):
        super().setUp()
        self.qbo.customers.clear()
        self.qbo.invoices.clear()
        self.qbo.payments.clear()
        self.qbo.fault_casing = "Fault"

    def test_authorization_code_connects(self):
        """The OAuth redirect's code is exchanged and the backend is connected."""
        self._connect_qbo()
        backend = self.qbo_backend.sudo()
        self.assertEqual(backend.state, "connected")
        self.assertEqual(backend.qbo_realm_id, self.qbo.realm)
        self.assertTrue(backend.refresh_token)

    def test_token_refreshed_before_expiry_with_rotation(self):
        """Close to expiry the token is refreshed and the new refresh token kept."""
        self._connect_qbo()
        backend = self.qbo_backend.sudo()
        old_refresh = backend.refresh_token
        later = fields.Datetime.now() + timedelta(minutes=58)
        with freeze_time(later):
            self.qbo_backend._quickbooks_health_check()
        self.assertNotEqual(backend.refresh_token, old_refresh)
        self.assertNotIn(old_refresh, self.qbo.refresh_tokens)

    def test_expired_token_refreshed_once_then_needs_reconnect(self):
        """A 401 triggers one refresh; when that fails too, ask to reconnect."""
        self._connect_qbo()
        self.qbo.expire_access_tokens()
        self.qbo_backend.action_health_check()
        self.assertEqual(self.qbo_backend.state, "connected")
        self.qbo.expire_access_tokens()
        self.qbo.revoke_refresh_tokens()
        self.qbo_backend.action_health_check()
        self.assertEqual(self.qbo_backend.state, "needs_reconnect")
        self.assertIn("reconnect", self.qbo_backend.state_message)

    def test_import_customers_invoices_payments(self):
        """Customers become contacts; invoices and payments count for CLV."""
        self._connect_qbo()
        cust = self.qbo.add_customer(
            DisplayName="Dana Books", PrimaryEmailAddr={"Address": "dana@example.com"}
        )
        self.qbo.add_invoice(cust["Id"], 300.0, balance=0)
        self.qbo.add_payment(cust["Id"], 300.0)
        log = self.qbo_backend._qbo_import_all()
        dana = self.env["res.partner"].search([("email", "=", "dana@example.com")])
        self.assertEqual(dana.smb_external_revenue, 300.0)
        self.assertEqual(dana.smb_external_paid, 300.0)
        self.assertEqual(log.created_count, 3)
        again = self.qbo_backend._qbo_import_all()
        self.assertEqual(again.created_count, 0)

    def test_export_resolves_duplicate_name_by_matching(self):
        """6240 Duplicate Name Exists binds the existing customer, in both
        fault casings, instead of failing."""
        self._connect_qbo()
        for casing, name in (("Fault", "Eve Adams"), ("fault", "Fay Brown")):
            self.qbo.fault_casing = casing
            email = name.split()[0].lower() + "@example.com"
            existing = self.qbo.add_customer(
                DisplayName=name, PrimaryEmailAddr={"Address": email}
            )
            partner = self._partner(name=name, email=email)
            log = self.qbo_backend._new_log("export")
            self.qbo_backend._job_qbo_export(partner.ids, log.id)
            self.assertEqual(partner.smb_binding_ids.external_id, existing["Id"])
            self.assertEqual(log.failed_count, 0)

    def test_export_same_name_other_person_gets_own_customer(self):
        self._connect_qbo()
        self.qbo.add_customer(
            DisplayName="Gus Grant", PrimaryEmailAddr={"Address": "gus@one.example"}
        )
        partner = self._partner(name="Gus Grant", email="gus@two.example")
        log = self.qbo_backend._new_log("export")
        self.qbo_backend._job_qbo_export(partner.ids, log.id)
        customer = self.qbo.customers[partner.smb_binding_ids.external_id]
        self.assertEqual(customer["DisplayName"], "Gus Grant (gus@two.example)")

    def test_rate_limit_retries_the_job(self):
        """Past 500 requests a minute the import job is retried later."""
        self._connect_qbo()
        self.qbo.rate_limit = 0
        log = self.qbo_backend._new_log("import")
        try:
            with self.assertRaises(RetryableJobError):
                self.qbo_backend._job_qbo_import("Customer", 1, log.id)
        finally:
            self.qbo.rate_limit = 500
