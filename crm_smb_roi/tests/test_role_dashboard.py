from freezegun import freeze_time

from odoo.tests import tagged

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestRoleDashboard(RoiCommon):
    """The suite's owner dashboard links to the ROI dashboard."""

    @freeze_time("2026-02-15")
    def test_owner_dashboard_shows_roi_tiles(self):
        """Q1 2026 so far: spend 1 810, ROI 65.7 %; both open the ROI dashboard."""
        board = self.env["crm.smb.dashboard"].with_company(self.roi_company)
        tiles = {tile["key"]: tile for tile in board._owner_extra_tiles()}
        self.assertAlmostEqual(tiles["roi_spend_quarter"]["value"], 1810.0)
        self.assertAlmostEqual(tiles["roi_quarter"]["value"], 1190 / 1810 * 100)
        self.assertEqual(
            tiles["roi_quarter"]["action"], "crm_smb_roi.crm_smb_roi_dashboard_action"
        )

    def test_setup_checklist_step_done_once_a_cost_exists(self):
        """The owner's checklist ticks "Enter your costs" after the first cost."""
        Cost = self.env["crm.smb.cost"]
        Cost.search([]).unlink()
        step = self.env["crm.smb.setup"]._step_enter_costs()
        self.assertFalse(step["done"])
        self.assertEqual(step["action"]["res_model"], "crm.smb.cost")
        Cost.create({"name": "Flyers", "category": "ads", "amount": 80})
        self.assertTrue(self.env["crm.smb.setup"]._step_enter_costs()["done"])
