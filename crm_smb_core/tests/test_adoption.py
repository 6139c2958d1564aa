from datetime import date, datetime, timedelta

from freezegun import freeze_time

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

    def test_login_days_survive_odoo_login_log_clean_up(self):
        """Three days of logins count three, though Odoo keeps one login."""
        seller = self.smb_salesperson
        seller.tz = "UTC"
        for day in (2, 3, 4):  # Monday to Wednesday
            with freeze_time(datetime(2026, 3, day, 9, 0)):
                seller.with_user(seller)._update_last_login()
                seller.with_user(seller)._update_last_login()
        # Odoo's clean-up keeps the last login only; here not even that one.
        self.env["res.users.log"].search([("create_uid", "=", seller.id)]).unlink()
        marks = self.env["crm.smb.login.day"].search([("user_id", "=", seller.id)])
        self.assertEqual(
            sorted(marks.mapped("day")),
            [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)],
        )
        with freeze_time(datetime(2026, 3, 4, 18, 0)):
            snapshots = self.env["crm.smb.adoption.snapshot"]._compute_snapshots()
        self.assertEqual(
            snapshots.filtered(lambda snap: snap.user_id == seller).login_days, 3
        )

    def test_an_open_session_marks_each_day_of_use(self):
        """A user who never logs out still counts the days they worked."""
        seller = self.smb_salesperson
        seller.tz = "UTC"
        Presence = self.env["mail.presence"]
        for moment in ("2026-03-02 09:00", "2026-03-02 15:00", "2026-03-03 08:00"):
            with freeze_time(moment):
                Presence._update_presence(seller)
        with freeze_time("2026-03-04 08:00"):
            # Away (no input for an hour): not a day of use.
            Presence._update_presence(seller, inactivity_period=3600 * 1000)
        marks = self.env["crm.smb.login.day"].search([("user_id", "=", seller.id)])
        self.assertEqual(
            sorted(marks.mapped("day")), [date(2026, 3, 2), date(2026, 3, 3)]
        )

    @users("smb_salesperson")
    def test_salespeople_see_only_their_own_login_days(self):
        LoginDay = self.env["crm.smb.login.day"].sudo()
        LoginDay._mark(self.smb_salesperson)
        LoginDay._mark(self.smb_manager)
        visible = self.env["crm.smb.login.day"].search([])
        self.assertEqual(visible.user_id, self.env.user)
        manager_view = self.env["crm.smb.login.day"].with_user(self.smb_manager)
        both = self.smb_salesperson | self.smb_manager
        self.assertEqual(
            manager_view.search([("user_id", "in", both.ids)]).user_id, both
        )

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
