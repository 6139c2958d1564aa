"""QuickBooks: OAuth2 tokens, customers both ways, invoices and payments in."""

import uuid
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from ..services import quickbooks as qbo
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


@tagged("post_install", "-at_install")
class TestQuickBooksThrottle(IntegrationsCommon):
    """500 requests a minute per company, counted in PostgreSQL for every
    worker, taken by the client before each request."""

    def test_bucket_grants_capacity_then_says_how_long_to_wait(self):
        """A bucket of three tokens grants three requests, then asks to wait
        about the time one token takes to come back."""
        Bucket = self.env["crm.smb.rate.bucket"]
        key = f"test:{uuid.uuid4()}"
        waits = [Bucket._take(key, 3, 0.5) for _i in range(4)]
        self.assertEqual(waits[:3], [0.0, 0.0, 0.0])
        self.assertGreater(waits[3], 1.0)
        self.assertLessEqual(waits[3], 2.0)

    def test_bucket_is_shared_between_connections(self):
        """Another worker (another database connection) sees the tokens this
        one took: the count is committed at once, not at the end of a job."""
        Bucket = self.env["crm.smb.rate.bucket"]
        key = f"test:{uuid.uuid4()}"
        Bucket._take(key, 2, 0.01)
        Bucket._take(key, 2, 0.01)
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT tokens < 1 FROM crm_smb_rate_bucket WHERE key = %s", [key]
            )
            self.assertTrue(cr.fetchone()[0])

    def test_empty_bucket_defers_the_job_without_calling(self):
        """When the minute's budget is used up the import job is deferred by
        the wait the bucket gives, and QuickBooks receives no request."""
        self._connect_qbo()
        self.env["ir.config_parameter"].set_param(
            "crm_smb_integrations.qbo_requests_per_minute", "1"
        )
        limiter = self.qbo_backend._qbo_limiter()
        while not limiter():
            pass
        self.qbo.requests.clear()
        log = self.qbo_backend._new_log("import")
        with self.assertRaises(RetryableJobError) as caught:
            self.qbo_backend._job_qbo_import("Customer", 1, log.id)
        self.assertGreater(caught.exception.seconds, 5)
        # Waiting for the budget does not count as one of the job's retries.
        self.assertTrue(caught.exception.ignore_retry)
        self.assertFalse([r for r in self.qbo.requests if r["path"].startswith("/v3/")])

    def test_client_waits_for_a_short_gap(self):
        """A short wait is slept through, then the request goes."""
        self._connect_qbo()
        answers = [0.4, 0.0]
        slept = []
        backend = self.qbo_backend._credentials()
        client = qbo.QuickBooksClient(
            backend.qbo_client_id,
            backend.client_secret,
            realm=backend.qbo_realm_id,
            access_token=backend.access_token,
            api_url=backend.api_url,
            limiter=lambda: answers.pop(0),
        )
        client.sleep = slept.append
        self.qbo.requests.clear()
        client.query("Customer", 1, 10)
        self.assertEqual(slept, [0.4])
        self.assertEqual(len(self.qbo.requests), 1)
