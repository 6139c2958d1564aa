"""Tours: the review and merge screen and the data health dashboard."""

from odoo.tests import HttpCase, tagged

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestUi(HttpCase, DedupCommon):
    def test_review_and_merge_screen(self):
        """A manager reviews a duplicate group side by side and merges it."""
        kelly = self._person("Kelly Slater", email="kel@surf.io", phone="305-555-0110")
        kel = self._person("Kel Slater", email="KEL@surf.io")
        self.env["crm.smb.duplicate.group"]._smb_scan("partner_person")
        self.start_tour(
            "/odoo/action-crm_smb_dedup.crm_smb_duplicate_group_action",
            "crm_smb_dedup_merge_tour",
            login="smb_manager",
        )
        self.assertFalse(kel.active)
        self.assertTrue(kelly.active)
        journal = self.env["crm.smb.merge.journal"].search([("dst_id", "=", kelly.id)])
        self.assertEqual(journal.src_ids, [kel.id])

    def test_data_health_dashboard(self):
        """A manager sees the health figures, cleans names and opens a list."""
        gill = self._person("gill bates")
        self.start_tour(
            "/odoo/action-crm_smb_dedup.crm_smb_data_health_action",
            "crm_smb_dedup_health_tour",
            login="smb_manager",
        )
        self.assertEqual(gill.name, "Gill Bates")
