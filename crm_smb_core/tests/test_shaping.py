from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from ..logic.pipeline_templates import TEMPLATES
from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestPipelineTemplates(SmbCoreCommon):
    @users("smb_manager")
    def test_template_creates_stages_reasons_tags_and_properties(self):
        """A manager turns a team's pipeline into a B2B pipeline in one click."""
        team = self.smb_team.with_env(self.env)
        with Form(
            self.env["crm.smb.pipeline.template.wizard"].with_context(
                default_team_id=team.id
            )
        ) as form:
            form.template = "b2b"
        form.record.action_apply()
        stages = self.env["crm.stage"].search([("team_ids", "in", team.ids)])
        self.assertEqual(
            stages.mapped("name"), [name for name, _w, _f in TEMPLATES["b2b"]["stages"]]
        )
        self.assertTrue(stages.filtered("is_won"))
        self.assertEqual(
            self.env["crm.lost.reason"].search_count([("name", "=", "No budget")]), 1
        )
        self.assertTrue(self.env["crm.tag"].search([("name", "=", "Inbound")]))
        names = [prop["name"] for prop in team.sudo().lead_properties_definition]
        self.assertIn("smb_budget_confirmed", names)
        self.assertEqual(team.smb_pipeline_template, "b2b")
        # Applying again creates nothing twice.
        self.env["crm.smb.pipeline.template.wizard"].create(
            {"team_id": team.id, "template": "b2b"}
        ).action_apply()
        self.assertEqual(
            self.env["crm.stage"].search_count([("team_ids", "in", team.ids)]),
            len(stages),
        )
        names = [prop["name"] for prop in team.sudo().lead_properties_definition]
        self.assertEqual(len(names), len(set(names)))

    @users("smb_salesperson")
    def test_salespeople_cannot_apply_templates(self):
        with self.assertRaises(AccessError):
            self.env["crm.smb.pipeline.template.wizard"].create(
                {"team_id": self.smb_team.id, "template": "retail"}
            ).action_apply()


@tagged("post_install", "-at_install")
class TestAddField(SmbCoreCommon):
    def setUp(self):
        super().setUp()
        # The wizard changes the registry; put it back after each test.
        self.addCleanup(self.registry.reset_changes)

    @users("smb_manager")
    def test_manager_adds_a_choice_field_to_leads(self):
        """The new field exists and shows on the lead form, list and search."""
        with Form(self.env["crm.smb.field.wizard"]) as form:
            form.label = "Preferred time"
            form.field_type = "selection"
            form.selection_options = "Morning\nAfternoon"
        self.assertEqual(form.record.name, "x_smb_preferred_time")
        form.record.action_create()
        Lead = self.env["crm.lead"]
        self.assertIn("x_smb_preferred_time", Lead._fields)
        for view_type in ("form", "list", "search"):
            arch = Lead.get_view(view_type=view_type)["arch"]
            self.assertIn("x_smb_preferred_time", arch, view_type)
        lead = self._smb_lead().with_env(self.env)
        lead.sudo().x_smb_preferred_time = "opt_1"
        self.assertEqual(lead.sudo().x_smb_preferred_time, "opt_1")

    @users("smb_manager")
    def test_manager_adds_a_link_to_a_contact_on_leads(self):
        """A link field (many2one) shows on the form, list and filters, with a
        group-by, and holds a contact."""
        with Form(self.env["crm.smb.field.wizard"]) as form:
            form.label = "Referred by"
            form.field_type = "many2one"
            form.relation = "res.partner"
        form.record.action_create()
        Lead = self.env["crm.lead"]
        field = Lead._fields["x_smb_referred_by"]
        self.assertEqual((field.type, field.comodel_name), ("many2one", "res.partner"))
        for view_type in ("form", "list", "search"):
            arch = Lead.get_view(view_type=view_type)["arch"]
            self.assertIn('name="x_smb_referred_by"', arch, view_type)
        search = Lead.get_view(view_type="search")["arch"]
        self.assertIn("'group_by': 'x_smb_referred_by'", search)
        referrer = self.env["res.partner"].sudo().create({"name": "Rita Referrer"})
        lead = self._smb_lead().with_env(self.env)
        lead.sudo().x_smb_referred_by = referrer
        self.assertEqual(
            Lead.sudo().search([("x_smb_referred_by", "=", referrer.id)]), lead
        )
        referrer.unlink()
        self.assertFalse(lead.sudo().x_smb_referred_by, "a deleted contact unlinks")

    def test_links_offer_only_the_safe_models(self):
        """Links point to contacts, users, teams, tags, UTM and products only."""
        offered = dict(self.env["crm.smb.field.wizard"]._selection_relation())
        self.assertIn("res.partner", offered)
        self.assertIn("utm.source", offered)
        self.assertNotIn("res.company", offered)
        self.assertEqual(
            "product.product" in offered, "product.product" in self.env.registry
        )
        wizard = self.env["crm.smb.field.wizard"].create(
            {"label": "Odd", "field_type": "many2one"}
        )
        with (
            mute_logger("odoo.addons.crm_smb_core.wizards.crm_smb_field_wizard"),
            self.assertRaisesRegex(ValidationError, "Pick what the field links to"),
        ):
            wizard.action_create()

    @users("smb_manager")
    def test_bad_names_are_refused(self):
        wizard = self.env["crm.smb.field.wizard"].create(
            {"label": "Anything", "name": "Bad Name", "model": "res.partner"}
        )
        with mute_logger("odoo.addons.crm_smb_core.wizards.crm_smb_field_wizard"):
            with self.assertRaisesRegex(ValidationError, "must start with x_"):
                wizard.action_create()
            wizard.name = "x_smb_choices"
            wizard.field_type = "selection"
            with self.assertRaisesRegex(ValidationError, "Enter the choices"):
                wizard.action_create()

    @users("smb_salesperson")
    def test_salespeople_cannot_add_fields(self):
        with self.assertRaises(AccessError):
            self.env["crm.smb.field.wizard"].create({"label": "Mine"}).action_create()
