"""Mailchimp: consent-safe push, opt-outs brought back to the contact."""

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from ..services.mailchimp import subscriber_hash
from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestMailchimp(IntegrationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consenting = cls._partner(
            name="Cleo Consent",
            email="cleo@example.com",
            smb_marketing_consent=True,
            category_id=[(0, 0, {"name": "newsletter-fans"})],
        )
        cls.silent = cls._partner(name="Sam Silent", email="sam@example.com")

    def setUp(self):
        super().setUp()
        self.mailchimp.members.clear()

    def _push(self, partners):
        log = self.mailchimp_backend._new_log("push")
        self.mailchimp_backend._job_mailchimp_push(partners.ids, log.id)
        return log

    def test_push_only_with_consent(self):
        """Only the contact who consented reaches the audience, with tags."""
        log = self._push(self.consenting | self.silent)
        members = self.mailchimp.members
        self.assertEqual(list(members), [subscriber_hash("cleo@example.com")])
        member = members[subscriber_hash("cleo@example.com")]
        self.assertEqual(member["status"], "subscribed")
        self.assertEqual(member["merge_fields"]["FNAME"], "Cleo")
        self.assertIn("newsletter-fans", [t["name"] for t in member["tags"]])
        self.assertEqual((log.created_count, log.skipped_count), (1, 1))

    def test_never_overrides_an_unsubscribe(self):
        """Unsubscribed in Mailchimp stays unsubscribed and opts the contact out."""
        self._push(self.consenting)
        self.mailchimp.set_status("cleo@example.com", "unsubscribed")
        self._push(self.consenting)
        self.assertEqual(
            self.mailchimp.members[subscriber_hash("cleo@example.com")]["status"],
            "unsubscribed",
        )
        self.assertTrue(self.consenting.smb_marketing_opt_out)
        self.assertFalse(self.consenting.smb_marketing_consent)
        self.assertTrue(self.consenting.is_blacklisted)

    def test_reconcile_reads_bounces(self):
        """A cleaned (bounced) member opts the contact out with a chatter note."""
        self._push(self.consenting)
        self.mailchimp.set_status("cleo@example.com", "cleaned")
        log = self.mailchimp_backend._new_log("reconcile")
        self.mailchimp_backend._job_mailchimp_reconcile(0, log.id)
        self.assertEqual(self.consenting.smb_opt_out_reason, "bounced")
        self.assertIn("bounced", " ".join(self.consenting.message_ids.mapped("body")))
        self.assertEqual(log.state, "done")

    def test_429_retries_after_the_wait_asked(self):
        self.mailchimp.inject(429, headers={"Retry-After": "9"})
        with self.assertRaises(RetryableJobError) as caught:
            self._push(self.consenting)
        self.assertEqual(caught.exception.seconds, 9)

    def test_invalid_email_is_logged_not_retried(self):
        """A member Mailchimp refuses is a failure line; the others land."""
        bad = self._partner(name="Bad", email="bad@", smb_marketing_consent=True)
        log = self._push(bad | self.consenting)
        self.assertEqual((log.created_count, log.failed_count), (1, 1))
        self.assertIn("Invalid Resource", log.line_ids.reason)
