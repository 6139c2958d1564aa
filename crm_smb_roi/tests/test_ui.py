from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRoiDashboardUi(HttpCase):
    """The owner opens the dashboard, filters it and drills down to records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        source = cls.env["utm.source"].create({"name": "Tour Source"})
        lead = cls.env["crm.lead"].create(
            {
                "name": "Tour won deal",
                "type": "opportunity",
                "expected_revenue": 1500,
                "source_id": source.id,
                "user_id": False,
            }
        )
        lead.action_set_won()
        cls.env["crm.smb.cost"].create(
            {
                "name": "Tour ads",
                "amount": 500,
                "category": "ads",
                "source_id": source.id,
                "date_start": fields.Date.context_today(lead),
            }
        )

    def test_dashboard_tour(self):
        """The owner reads the cards, filters by source and period, and opens
        the won deals and the costs behind two figures."""
        self.start_tour(
            "/odoo/action-crm_smb_roi.crm_smb_roi_dashboard_action",
            "crm_smb_roi_dashboard_tour",
            login="admin",
        )

    def test_cost_tour(self):
        """An owner records a cost from the Costs screen."""
        self.start_tour(
            "/odoo/action-crm_smb_roi.crm_smb_cost_action",
            "crm_smb_roi_cost_tour",
            login="admin",
        )
        cost = self.env["crm.smb.cost"].search([("name", "=", "Tour booth")])
        self.assertEqual(cost.amount, 750.0)
        self.assertEqual(cost.category, "events")
