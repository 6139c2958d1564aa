from odoo.tests import tagged, users

from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestOnboarding(SmbCoreCommon):
    @users("smb_owner")
    def test_checklist_ticks_steps_from_the_data(self):
        """Applying a template ticks the first step; nothing is ticked by hand."""
        steps = {s["key"]: s for s in self.env["crm.smb.setup"].get_steps()["steps"]}
        self.assertFalse(steps["pipeline_template"]["done"])
        self.assertTrue(steps["pipeline_template"]["action"])
        self.assertEqual(steps["crm_smb_first_lead"]["tour"], "crm_smb_first_lead")
        self.env["crm.smb.pipeline.template.wizard"].create(
            {"team_id": self.smb_team.id, "template": "services"}
        ).action_apply()
        data = self.env["crm.smb.setup"].get_steps()
        steps = {s["key"]: s for s in data["steps"]}
        self.assertTrue(steps["pipeline_template"]["done"])
        self.assertTrue(steps["invite_team"]["done"])
        self.assertEqual(data["total"], 8)

    def test_help_articles_are_searchable_and_linked_to_screens(self):
        Article = self.env["crm.smb.help.article"]
        self.assertIn(
            self.env.ref("crm_smb_core.help_article_my_day"),
            Article.search([("screen", "ilike", "dashboard_salesperson")]),
        )
        found = Article.search(
            ["|", ("name", "ilike", "snooze"), ("body", "ilike", "snooze")]
        )
        self.assertIn(self.env.ref("crm_smb_core.help_article_follow_up"), found)

    def test_help_request_goes_to_the_crm_administrator(self):
        """A request reaches the administrator set in the settings; both follow it."""
        self.env["ir.config_parameter"].set_param(
            "crm_smb_core.admin_user_id", self.smb_owner.id
        )
        lead = self._smb_lead()
        request = (
            self.env["crm.smb.support.request"]
            .with_user(self.smb_salesperson)
            .create(
                {
                    "name": "Stuck",
                    "screen_name": "Pipeline",
                    "res_model": "crm.lead",
                    "res_id": lead.id,
                }
            )
        )
        self.assertEqual(request.assigned_id, self.smb_owner)
        self.assertEqual(request.record_name, lead.display_name)
        self.assertIn(self.smb_owner.partner_id, request.message_partner_ids)
        self.assertIn(self.smb_salesperson.partner_id, request.message_partner_ids)
        request.with_user(self.smb_owner).action_start()
        self.assertEqual(request.state, "in_progress")
        others = self.env["crm.smb.support.request"].with_user(self.smb_marketing)
        self.assertFalse(others.search([("id", "=", request.id)]))
