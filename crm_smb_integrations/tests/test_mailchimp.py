"""Mailchimp: consent-safe push, opt-outs brought back to the contact."""

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

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


@tagged("post_install", "-at_install")
class TestMailchimpCampaignActivity(IntegrationsCommon):
    """Opens, clicks and bounces of each campaign reach the contact's chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls._partner(name="Rita Reader", email="rita@example.com")
        cls.bouncer = cls._partner(name="Bo Bounce", email="bo@example.com")

    def setUp(self):
        super().setUp()
        self.mailchimp.campaigns.clear()
        self.mailchimp.activity.clear()
        self.mailchimp.add_campaign("c100", "Spring sale")
        for _i in range(2):
            self.mailchimp.add_activity("c100", "rita@example.com", "open")
        self.mailchimp.add_activity(
            "c100", "rita@example.com", "click", url="https://shop.example.com/spring"
        )
        self.mailchimp.add_activity("c100", "bo@example.com", "bounce", type="hard")
        self.mailchimp.add_activity("c100", "stranger@example.org", "open")

    def _notes(self, partner):
        return partner.message_ids.filtered(
            lambda m: "Mailchimp campaign" in (m.body or "")
        )

    def _read_reports(self):
        log = self.mailchimp_backend._new_log("activity")
        with trap_jobs() as trap:
            self.mailchimp_backend._job_mailchimp_campaigns(0, log.id)
            trap.assert_enqueued_job(
                self.mailchimp_backend._job_mailchimp_activity,
                args=("c100", "Spring sale", 0, log.id),
                properties={"channel": "root.crm_smb_mailchimp"},
            )
            trap.perform_enqueued_jobs()
        return log

    def test_activity_to_chatter_once(self):
        """One note per campaign and contact with opens, clicks and the
        bounce; reading the report again posts nothing new."""
        log = self._read_reports()
        note = self._notes(self.reader)
        self.assertEqual(len(note), 1)
        self.assertIn("Spring sale", note.body)
        self.assertIn("opened 2 times", note.body)
        self.assertIn("https://shop.example.com/spring", note.body)
        self.assertIn("bounced (hard)", self._notes(self.bouncer).body)
        # The stranger is not a contact: skipped, nothing created.
        self.assertEqual((log.created_count, log.skipped_count), (2, 1))
        again = self._read_reports()
        self.assertEqual(len(self._notes(self.reader)), 1)
        self.assertEqual((again.created_count, again.updated_count), (0, 0))

    def test_new_activity_updates_the_same_note(self):
        """A later open changes the existing note rather than adding one."""
        self._read_reports()
        self.mailchimp.add_activity("c100", "rita@example.com", "open")
        log = self._read_reports()
        note = self._notes(self.reader)
        self.assertEqual(len(note), 1)
        self.assertIn("opened 3 times", note.body)
        self.assertEqual(log.updated_count, 1)

    def test_activity_pages_follow_count_and_offset(self):
        """Large reports are read page by page (count/offset)."""
        for index in range(5):
            email = f"page{index}@example.com"
            self._partner(name=f"Page {index}", email=email)
            self.mailchimp.add_activity("c100", email, "open")
        log = self.mailchimp_backend._new_log("activity")
        with trap_jobs() as trap:
            self.mailchimp_backend._job_mailchimp_activity(
                "c100", "Spring sale", 0, log.id, 3
            )
            trap.assert_enqueued_job(
                self.mailchimp_backend._job_mailchimp_activity,
                args=("c100", "Spring sale", 3, log.id, 3),
            )
            trap.perform_enqueued_jobs()
            trap.perform_enqueued_jobs()
        # Rita, Bo and the five new contacts; the stranger is skipped.
        self.assertEqual((log.created_count, log.skipped_count), (7, 1))
        offsets = [
            r["query"].get("offset")
            for r in self.mailchimp.requests
            if r["path"].endswith("/email-activity")
        ]
        self.assertEqual(offsets, ["0", "3", "6"])

    def test_campaigns_older_than_90_days_are_not_read(self):
        """Only recent campaigns' reports are read (since_send_time)."""
        self.mailchimp.add_campaign(
            "c001", "Old news", send_time="2025-01-01T09:00:00+00:00"
        )
        log = self.mailchimp_backend._new_log("activity")
        with trap_jobs() as trap:
            self.mailchimp_backend._job_mailchimp_campaigns(0, log.id)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.mailchimp_backend._job_mailchimp_activity,
                args=("c100", "Spring sale", 0, log.id),
            )

    def test_sync_now_queues_campaign_reports(self):
        """Sync Now reads the campaign reports after the opt-outs."""
        with trap_jobs() as trap:
            self.mailchimp_backend.action_sync_now()
            log = self._log(self.mailchimp_backend)
            trap.assert_enqueued_job(
                self.mailchimp_backend._job_mailchimp_campaigns,
                args=(0, log.id),
                properties={"channel": "root.crm_smb_mailchimp"},
            )
