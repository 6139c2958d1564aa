"""Failed records are retried: the good ones land, the bad ones come back.

An order whose customer had not arrived when the run read it, or whose
customer waited in the review queue, is imported later without the user
changing anything in Shopify; refused data is retried a few times, then
shown as given up.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from ..services import retry
from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestRetryFailed(IntegrationsCommon):
    def setUp(self):
        super().setUp()
        self.shopify.customers.clear()
        self.shopify.orders.clear()
        self.shopify.add_customer(
            1, first_name="Ada", last_name="King", email="ada@example.com"
        )
        self.shopify.add_order(201, 1, 50.0)
        # The customer of this order is created in Shopify after the run read
        # the customers (a race of a live shop).
        self.shopify.add_order(202, 7, 75.0, referrer="https://www.bing.com/")

    def _line(self, log, ext):
        return log.line_ids.filtered(lambda line: line.external_id == ext)

    def _run_retry(self, log, **kwargs):
        self.shopify_backend._job_retry_failed(log.id, **kwargs)

    def test_run_queues_a_retry_with_backoff(self):
        """A run with an order waiting for its customer queues one retry job,
        delayed by the first backoff, on the service's channel."""
        with trap_jobs() as trap:
            log = self.shopify_backend._shopify_import_all()
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.shopify_backend._job_retry_failed,
                args=(log.id,),
                kwargs={"line_ids": None, "manual": False},
                properties={
                    "channel": "root.crm_smb_shopify",
                    "identity_key": identity_exact,
                    "eta": retry.BACKOFF[0],
                },
            )
        line = self._line(log, "202")
        self.assertEqual(
            (line.kind, line.error_type, line.state, line.attempts),
            ("shopify_order", retry.DEPENDENCY, "pending", 1),
        )
        self.assertEqual(line.customer_external_id, "7")
        self.assertTrue(log.next_retry_date)

    def test_retry_imports_the_customer_then_the_order(self):
        """Once the customer exists in Shopify, the retry fetches it and the
        order lands on its contact; the line shows resolved."""
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        self.shopify.add_customer(
            7, first_name="Late", last_name="Comer", email="late@example.com"
        )
        self.shopify.requests.clear()
        with trap_jobs() as trap:
            self._run_retry(log)
            trap.assert_jobs_count(0)
        late = self.env["res.partner"].search([("email", "=", "late@example.com")])
        self.assertEqual(late.smb_external_revenue, 75.0)
        self.assertEqual(late.smb_external_order_ids.source_id.name, "bing.com")
        line = self._line(log, "202")
        self.assertEqual((line.state, line.attempts), ("resolved", 2))
        self.assertEqual((log.resolved_count, log.open_failure_count), (1, 0))
        self.assertEqual(log.retry_count, 1)
        # Only the missing order and its customer were asked for.
        queries = [r for r in self.shopify.requests if r["method"] == "POST"]
        self.assertEqual(len(queries), 2)

    def test_still_missing_backs_off_then_gives_up(self):
        """Each failed retry waits longer; at the cap the line is given up
        and no retry is queued any more."""
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        line = self._line(log, "202")
        cap = retry.MAX_ATTEMPTS[retry.DEPENDENCY]
        for attempt in range(2, cap + 1):
            with trap_jobs() as trap:
                self._run_retry(log)
                if attempt < cap:
                    trap.assert_enqueued_job(
                        self.shopify_backend._job_retry_failed,
                        args=(log.id,),
                        kwargs={"line_ids": None, "manual": False},
                        properties={"eta": retry.backoff(attempt)},
                    )
                else:
                    trap.assert_jobs_count(0)
            self.assertEqual(line.attempts, attempt)
        self.assertEqual(line.state, "gave_up")
        self.assertEqual(log.open_failure_count, 1)
        self.assertGreater(retry.backoff(3), retry.backoff(1))

    def test_validation_errors_are_capped(self):
        """A customer without name or email is refused the same way at each
        retry: it stops after the validation cap, visibly."""
        self.shopify.add_customer(3, first_name="", last_name="", email=None)
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        line = self._line(log, "3")
        self.assertEqual((line.kind, line.error_type), ("customer", retry.VALIDATION))
        for _i in range(retry.MAX_ATTEMPTS[retry.VALIDATION]):
            with trap_jobs():
                self._run_retry(log)
        self.assertEqual(line.state, "gave_up")
        self.assertEqual(line.attempts, retry.MAX_ATTEMPTS[retry.VALIDATION])
        self.assertEqual(line.max_attempts, retry.MAX_ATTEMPTS[retry.VALIDATION])
        self.assertIn("name or an email", line.reason)

    def test_retry_failed_button_retries_given_up_lines(self):
        """Retry Failed queues a retry of every unresolved line now, given up
        ones included; the customer fixed in Shopify then lands."""
        self.shopify.add_customer(3, first_name="", last_name="", email=None)
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        line = self._line(log, "3")
        line.write({"state": "gave_up", "attempts": 3})
        self.shopify.customers[-1]["email"] = "fixed@example.com"
        with trap_jobs() as trap:
            log.with_user(self.smb_manager).action_retry_failed()
            trap.assert_enqueued_job(
                self.shopify_backend._job_retry_failed,
                args=(log.id,),
                kwargs={"line_ids": None, "manual": True},
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(line.state, "resolved")
        self.assertTrue(
            self.env["res.partner"].search([("email", "=", "fixed@example.com")])
        )

    def test_resolving_the_review_imports_its_orders(self):
        """An order whose customer waits in review waits too (no blind
        retries); linking the customer imports the order."""
        first = self._partner(name="Ada King", email="ada@example.com")
        second = self._partner(name="Ada King", email="ada@example.com")
        with trap_jobs() as trap:
            log = self.shopify_backend._shopify_import_all()
        line = self._line(log, "201")
        self.assertEqual((line.error_type, line.state), (retry.REVIEW, "waiting"))
        self.assertIn("Customers to Review", line.reason)
        review = self.env["crm.smb.identity.review"].search(
            [("backend_id", "=", self.shopify_backend.id), ("external_id", "=", "1")]
        )
        review.partner_id = second
        with trap_jobs() as trap:
            review.with_user(self.smb_manager).action_link()
            trap.assert_enqueued_job(
                self.shopify_backend._job_retry_failed,
                args=(log.id,),
                kwargs={"line_ids": line.ids, "manual": False},
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(line.state, "resolved")
        self.assertEqual(second.smb_external_revenue, 50.0)
        self.assertFalse(first.smb_external_order_ids)

    def test_retry_waits_when_rate_limited(self):
        """A 429 while retrying retries the job itself; lines are untouched."""
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        self.shopify.inject(429, headers={"Retry-After": "7"})
        from odoo.addons.queue_job.exception import RetryableJobError

        with self.assertRaises(RetryableJobError):
            self._run_retry(log)
        self.assertEqual(self._line(log, "202").attempts, 1)

    def test_salesperson_cannot_retry(self):
        with trap_jobs():
            log = self.shopify_backend._shopify_import_all()
        with self.assertRaises(UserError):
            log.with_user(self.smb_salesperson).action_retry_failed()


@tagged("post_install", "-at_install")
class TestRetryQuickBooksAndMailchimp(IntegrationsCommon):
    def test_qbo_invoice_of_a_late_customer(self):
        """A QuickBooks invoice whose customer arrived after the run lands on
        the retry, with its customer read by id."""
        self._connect_qbo()
        self.qbo.customers.clear()
        self.qbo.invoices.clear()
        self.qbo.payments.clear()
        invoice = self.qbo.add_invoice("4242", 90.0)
        with trap_jobs():
            log = self.qbo_backend._qbo_import_all()
        line = log.line_ids
        self.assertEqual((line.kind, line.external_id), ("qbo_invoice", invoice["Id"]))
        self.qbo.customers["4242"] = {
            "Id": "4242",
            "SyncToken": "0",
            "DisplayName": "Quinn Late",
            "PrimaryEmailAddr": {"Address": "quinn@example.com"},
        }
        with trap_jobs():
            self.qbo_backend._job_retry_failed(log.id)
        self.assertEqual(line.state, "resolved")
        quinn = self.env["res.partner"].search([("email", "=", "quinn@example.com")])
        self.assertEqual(quinn.smb_external_revenue, 90.0)

    def test_mailchimp_refused_member_pushed_again_once_fixed(self):
        """A contact Mailchimp refused is pushed again by the retry once its
        email has been corrected in the CRM."""
        self.mailchimp.members.clear()
        bad = self._partner(name="Bea", email="bea@", smb_marketing_consent=True)
        log = self.mailchimp_backend._new_log("push")
        with trap_jobs():
            self.mailchimp_backend._job_mailchimp_push(bad.ids, log.id)
        line = log.line_ids
        self.assertEqual((line.kind, line.partner_id), ("contact_export", bad))
        bad.email = "bea@example.com"
        with trap_jobs():
            self.mailchimp_backend._job_retry_failed(log.id)
        self.assertEqual(line.state, "resolved")
        self.assertEqual(len(self.mailchimp.members), 1)
