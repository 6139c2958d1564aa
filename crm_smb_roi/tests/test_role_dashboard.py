from freezegun import freeze_time

from odoo.tests import tagged

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestRoleDashboard(RoiCommon):
    """The suite's owner dashboard links to the ROI dashboard."""

    @freeze_time("2026-02-15")
    def test_owner_dashboard_shows_roi_tiles(self):
        """Q1 2026 so far: spend 1 810, ROI 65.7 %; both open the ROI dashboard."""
        if "crm.smb.dashboard" not in self.env:
            self.skipTest("crm_smb_core has no role dashboards")
        board = self.env["crm.smb.dashboard"].with_company(self.roi_company)
        tiles = {tile["key"]: tile for tile in board._owner_extra_tiles()}
        self.assertAlmostEqual(tiles["roi_spend_quarter"]["value"], 1810.0)
        self.assertAlmostEqual(tiles["roi_quarter"]["value"], 1190 / 1810 * 100)
        self.assertEqual(
            tiles["roi_quarter"]["action"], "crm_smb_roi.crm_smb_roi_dashboard_action"
        )
