from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_lifecycle_screen_groups_leads(self):
        """The Lifecycle menu shows the leads grouped by their stage."""
        self.env["crm.lead"].create(
            {"name": "Tour lead", "type": "opportunity", "user_id": self.env.ref("base.user_admin").id}
        )
        self.start_tour(
            "/odoo/action-crm_smb_core.crm_lead_action_lifecycle",
            "crm_smb_lifecycle_tour",
            login="admin",
        )
