from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestFollowup(SmbCoreCommon):
    def _search(self, domain, leads):
        return self.env["crm.lead"].search([*domain, ("id", "in", leads.ids)])

    def test_last_contacted_counts_emails_and_done_activities_not_notes(self):
        """An internal note is not a contact; a sent message and a call are."""
        with freeze_time("2026-03-02 10:00:00"):
            lead = self._smb_lead(user_id=self.smb_salesperson.id)
            lead.message_post(body="internal", subtype_xmlid="mail.mt_note")
            lead.invalidate_recordset()
            self.assertFalse(lead.last_contacted_date)
        with freeze_time("2026-03-03 09:00:00"):
            lead.message_post(body="Hello", subtype_xmlid="mail.mt_comment")
        with freeze_time("2026-03-04 15:00:00"):
            lead.activity_schedule("mail.mail_activity_data_call", summary="Call")
            lead.activity_ids.action_done()
        lead.invalidate_recordset()
        self.assertEqual(lead.last_contacted_date, datetime(2026, 3, 4, 15, 0))
        found = self._search([("last_contacted_date", ">=", "2026-03-04")], lead)
        self.assertEqual(found, lead)

    def test_next_followup_is_the_next_planned_activity(self):
        lead = self._smb_lead(user_id=self.smb_salesperson.id)
        self.assertTrue(lead.attention_no_next_activity)
        lead.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=date(2030, 1, 9)
        )
        lead.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=date(2030, 1, 7)
        )
        lead.invalidate_recordset()
        self.assertEqual(lead.next_followup_date, date(2030, 1, 7))
        self.assertFalse(lead.attention_no_next_activity)
        self.assertFalse(
            self._search([("attention_no_next_activity", "=", True)], lead)
        )
        self.assertEqual(
            self._search([("next_followup_date", "=", False)], lead), lead.browse()
        )

    def test_untouched_follows_the_setting(self):
        """A lead nobody touched for N days (N from the settings) needs attention."""
        self.env["ir.config_parameter"].set_param("crm_smb_core.untouched_days", "10")
        with freeze_time(datetime.now() - timedelta(days=12)):
            old = self._smb_lead(name="Old")
        with freeze_time(datetime.now() - timedelta(days=5)):
            recent = self._smb_lead(name="Recent")
        (old | recent).invalidate_recordset()
        self.assertTrue(old.attention_untouched)
        self.assertFalse(recent.attention_untouched)
        leads = old | recent
        self.assertEqual(self._search([("attention_untouched", "=", True)], leads), old)
        self.assertEqual(self._search([("needs_attention", "=", True)], leads), leads)
        self.env["ir.config_parameter"].set_param("crm_smb_core.untouched_days", "20")
        self.assertFalse(self._search([("attention_untouched", "=", True)], leads))
        old.message_post(body="touched")
        self.env["ir.config_parameter"].set_param("crm_smb_core.untouched_days", "10")
        self.assertFalse(self._search([("attention_untouched", "=", True)], leads))

    def test_snoozed_and_closed_leads_need_no_attention(self):
        """Snoozing hides a lead until the date; won and lost leads never show."""
        snoozed = self._smb_lead(name="Snoozed")
        won = self._smb_lead(name="Won", type="opportunity")
        won.action_set_won()
        open_lead = self._smb_lead(name="Open")
        snoozed.action_snooze(days=3)
        leads = snoozed | won | open_lead
        self.assertEqual(
            self._search([("needs_attention", "=", True)], leads), open_lead
        )
        self.assertEqual(
            self._search([("needs_attention", "=", False)], leads), snoozed | won
        )
        with freeze_time(date.today() + timedelta(days=4)):
            snoozed.invalidate_recordset()
            self.assertTrue(snoozed.needs_attention)
        snoozed.action_unsnooze()
        self.assertFalse(snoozed.snoozed_until)
