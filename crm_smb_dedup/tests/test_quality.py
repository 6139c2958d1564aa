"""Data quality scores, stale and incomplete lists, dashboard and cleaning."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from ..matching.quality import clean_name, quality_score
from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestQuality(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complete = cls._person(
            "Dana Scully",
            email="dana@fbi.gov",
            phone="+1 202 555 0173",
            street="935 Pennsylvania Ave",
            city="Washington",
            zip="20535",
        )
        cls.sparse = cls._person("  fox   mulder ", email="fox@@fbi", phone="12")

    def test_complete_valid_record_scores_high(self):
        """A complete, valid, fresh contact scores above 90."""
        self.assertGreaterEqual(self.complete.smb_quality_score, 90)
        self.assertFalse(self.complete.smb_quality_incomplete)
        self.assertFalse(self.complete.smb_quality_issues)

    def test_problems_are_listed(self):
        """An incomplete contact with a bad email and phone says so."""
        self.assertLess(self.sparse.smb_quality_score, 50)
        self.assertTrue(self.sparse.smb_quality_incomplete)
        for problem in ("invalid email", "invalid phone", "missing city"):
            self.assertIn(problem, self.sparse.smb_quality_issues)

    def test_old_records_turn_stale(self):
        """A record untouched for a year is stale after the daily refresh."""
        old = self._person("Walter Skinner", email="ws@fbi.gov")
        self.assertFalse(old.smb_quality_stale)
        old.flush_recordset()
        with freeze_time(old.write_date + timedelta(days=400)):
            self.env["res.partner"]._cron_refresh_quality()
        self.assertTrue(old.smb_quality_stale)
        self.assertIn("not updated for a year", old.smb_quality_issues)
        score, __, __, stale = quality_score({"name": "x"}, "person", 10)
        self.assertFalse(stale)
        self.assertLess(score, 50)

    def test_dashboard_data(self):
        """The dashboard reports score, problems and pending duplicates."""
        snapshot = self.env["crm.smb.quality.snapshot"].with_user(self.smb_manager)
        snapshot.sudo()._cron_snapshot()
        data = snapshot.get_dashboard_data()
        partners = data["res_partner"]
        self.assertGreater(partners["record_count"], 0)
        self.assertTrue(0 < partners["average_score"] <= 100)
        top = partners["problems"][0]
        self.assertEqual(
            top["count"],
            self.env["res.partner"].search_count(
                [("smb_quality_issues", "ilike", top["problem"])]
            ),
        )
        self.assertEqual(len(partners["trend"]), 1)

    def test_cleaning_preview_then_apply(self):
        """Cleaning shows a preview and writes only the ticked changes."""
        wizard = Form(
            self.env["crm.smb.cleaning.wizard"]
            .with_user(self.smb_manager)
            .with_context(
                active_model="res.partner",
                active_ids=[self.sparse.id, self.complete.id],
            )
        ).save()
        changes = {(line.field_name, line.new_value) for line in wizard.line_ids}
        self.assertIn(("name", "Fox Mulder"), changes)
        self.assertIn(("phone", "+12025550173"), changes)
        self.assertEqual(self.sparse.name, "  fox   mulder ")
        wizard.line_ids.filtered(lambda line: line.field_name == "phone").apply = False
        wizard.action_apply()
        self.assertEqual(self.sparse.name, "Fox Mulder")
        self.assertEqual(self.complete.phone, "+1 202 555 0173")
        self.assertEqual(clean_name("MARY  ANN"), "Mary Ann")
        self.assertEqual(clean_name("McDonald"), "McDonald")
