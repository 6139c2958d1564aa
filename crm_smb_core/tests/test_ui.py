from odoo.tests import tagged

from .common import SmbTourCase


@tagged("post_install", "-at_install")
class TestUi(SmbTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        team = cls.env["crm.team"].create(
            {"name": "Tour team", "user_id": admin.id, "member_ids": [(4, admin.id)]}
        )
        source = cls.env["utm.source"].create({"name": "Tour source"})
        Lead = cls.env["crm.lead"]
        cls.idle = Lead.create(
            {
                "name": "Tour idle deal",
                "type": "opportunity",
                "user_id": admin.id,
                "team_id": team.id,
                "expected_revenue": 2500,
                "source_id": source.id,
                "email_from": "idle@example.com",
            }
        )
        cls.won = Lead.create(
            {
                "name": "Tour won deal",
                "type": "opportunity",
                "user_id": admin.id,
                "team_id": team.id,
                "expected_revenue": 9000,
                "email_from": "won@example.com",
            }
        )
        cls.won.action_set_won()

    def test_lifecycle_screen_groups_leads(self):
        """The Lifecycle menu shows the leads grouped by their stage."""
        self.env["crm.lead"].create(
            {
                "name": "Tour lead",
                "type": "opportunity",
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_lead_action_lifecycle",
            "crm_smb_lifecycle_tour",
        )

    def test_my_day(self):
        """A salesperson opens My day and clicks through to the leads."""
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_dashboard_action_my_day",
            "crm_smb_my_day_tour",
        )

    def test_manager_dashboard(self):
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_dashboard_action_manager",
            "crm_smb_manager_dashboard_tour",
        )

    def test_owner_dashboard(self):
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_dashboard_action_owner",
            "crm_smb_owner_dashboard_tour",
        )

    def test_marketing_dashboard(self):
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_dashboard_action_marketing",
            "crm_smb_marketing_dashboard_tour",
        )

    def test_setup_checklist_applies_a_template(self):
        """The owner follows the checklist and gets a retail pipeline."""
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_setup_action",
            "crm_smb_setup_checklist_tour",
        )
        team = self.env["crm.team"].search([("name", "=", "Tour team")])
        self.assertEqual(team.smb_pipeline_template, "retail")

    def test_ask_for_help_attaches_screen_and_record(self):
        self.smb_start_tour("/odoo/crm", "crm_smb_ask_help_tour")
        request = self.env["crm.smb.support.request"].search(
            [("name", "=", "How do I split this deal?")]
        )
        self.assertEqual(request.res_model, "crm.lead")
        self.assertEqual(request.res_id, self.idle.id)
        self.assertTrue(request.screen_url)

    def test_add_field_wizard(self):
        self.addCleanup(self.registry.reset_changes)
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_field_wizard_action",
            "crm_smb_add_field_tour",
        )
        self.assertTrue(
            self.env["ir.model.fields"].search(
                [("name", "=", "x_smb_favourite_colour")]
            )
        )
        link = self.env["ir.model.fields"].search(
            [("name", "=", "x_smb_partner_agency")]
        )
        self.assertEqual((link.ttype, link.relation), ("many2one", "res.partner"))

    def test_import_dialog_reports_invalid_rows(self):
        """The import dialog lists each bad row with its reason, keeps none."""
        self.env["crm.smb.validation.rule"].create(
            {
                "name": "Company needed",
                "field_names": "partner_name",
                "kind": "required",
                "message": "Company?",
            }
        )
        self.env["crm.smb.validation.rule"].create(
            {"name": "Email format", "field_names": "email_from", "kind": "email"}
        )
        self.smb_start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline?view_type=list",
            "crm_smb_import_invalid_rows_tour",
        )
        self.assertFalse(
            self.env["crm.lead"].search([("name", "like", "Import %")]),
            "a file with invalid rows imports nothing",
        )

    def test_cadence_form_plans_follow_ups(self):
        self.smb_start_tour(
            "/odoo/action-crm_smb_core.crm_smb_cadence_action",
            "crm_smb_cadence_tour",
        )
        self.assertTrue(self.idle.activity_ids)

    def test_onboarding_tours_run(self):
        """The guided tours offered to new users still match the screens."""
        for tour in ("crm_smb_first_lead", "crm_smb_first_dashboard"):
            self.smb_start_tour("/odoo", tour)
