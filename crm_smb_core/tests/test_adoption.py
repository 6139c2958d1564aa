from datetime import date, timedelta

from odoo.tests import tagged, users

from ..logic.adoption import adoption_score
from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestAdoption(SmbCoreCommon):
    def test_score_formula(self):
        """Each quarter of the score is one habit; nothing to measure is full."""
        self.assertEqual(adoption_score(5, 0, 0, 0, 0, 0, 0), 100.0)
        self.assertEqual(adoption_score(0, 0, 0, 0, 0, 0, 0), 75.0)
        self.assertEqual(adoption_score(5, 1, 1, 0, 4, 2, 4), 50.0)

    def test_snapshot_measures_the_week_and_the_trend(self):
        """Overdue work and untouched leads lower the score; the trend shows it."""
        seller = self.smb_salesperson
        seller.with_user(seller)._update_last_login()
        lead = self._smb_lead(user_id=seller.id, team_id=self.smb_team.id)
        self._smb_lead(user_id=seller.id, team_id=self.smb_team.id, name="No step")
        lead.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=date.today() - timedelta(days=1),
            user_id=seller.id,
        )
        done = lead.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=date.today() + timedelta(days=2),
            user_id=seller.id,
        )
        done.with_user(seller).action_done()
        Snapshot = self.env["crm.smb.adoption.snapshot"]
        last_week = Snapshot._compute_snapshots(date.today() - timedelta(days=7))
        snap = Snapshot._compute_snapshots().filtered(lambda s: s.user_id == seller)
        self.assertEqual(snap.login_days, 1)
        self.assertEqual(snap.activities_on_time, 1)
        self.assertEqual(snap.activities_overdue, 1)
        self.assertEqual(snap.open_leads, 2)
        self.assertEqual(snap.leads_without_next_step, 1)
        self.assertEqual(snap.leads_touched_14d, 2)
        self.assertEqual(snap.records_updated, 1)
        self.assertEqual(snap.team_id, self.smb_team)
        self.assertEqual(snap.score, adoption_score(1, 1, 0, 1, 2, 2, 1))
        before = last_week.filtered(lambda s: s.user_id == seller)
        self.assertEqual(snap.previous_score, before.score)

    def test_weekly_digest_goes_to_team_leaders(self):
        self.smb_manager.email = "manny@example.com"
        self._smb_lead(user_id=self.smb_salesperson.id, team_id=self.smb_team.id)
        self.env["mail.mail"].search([]).unlink()
        self.env["crm.smb.adoption.snapshot"]._cron_weekly_adoption()
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.smb_manager.partner_id.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Sally Seller", mail.body_html)

    @users("smb_salesperson")
    def test_salespeople_see_only_their_own_figures(self):
        self.env["crm.smb.adoption.snapshot"].sudo()._compute_snapshots()
        visible = self.env["crm.smb.adoption.snapshot"].search([])
        self.assertEqual(visible.user_id, self.env.user)
