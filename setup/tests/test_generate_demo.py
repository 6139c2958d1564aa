"""The demo data generator gives the data set the README promises."""

import importlib.util
from datetime import date
from pathlib import Path

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "generate_demo", Path(__file__).resolve().parent.parent / "generate_demo.py"
)
generate_demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_demo)


@tagged("post_install", "-at_install")
class TestGenerateDemo(TransactionCase):
    # Outside an addon, Odoo cannot infer the module these tests belong to.
    test_module = "crm_smb_core"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only what this run creates, whatever the database held before.
        last_partner = cls.env["res.partner"].search([], order="id desc", limit=1)
        last_lead = (
            cls.env["crm.lead"]
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
        )
        cls.truth = generate_demo.generate(
            cls.env, contacts=200, leads=400, today=date(2026, 6, 30)
        )
        cls.partners = cls.env["res.partner"].search(
            [("id", ">", last_partner.id or 0), ("ref", "=like", "SMB-%")]
        )
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(active_test=False)
            .search([("id", ">", last_lead.id or 0)])
        )

    def test_planted_duplicates_have_ground_truth(self):
        """About 5% of the contacts are duplicates, and each pair is recorded."""
        self.assertEqual(len(self.partners), 200)
        self.assertEqual(len(self.truth), 10)
        refs = set(self.partners.mapped("ref"))
        self.assertEqual(len(refs), 200)
        self.assertEqual(len(refs), 200)
        for original, duplicate in self.truth:
            self.assertIn(original, refs)
            self.assertIn(duplicate, refs)
            self.assertNotEqual(original, duplicate)

    def test_leads_span_eighteen_months_with_outcomes(self):
        """Leads are spread over 18 months, with won, lost and open deals."""
        leads = self.leads
        self.assertEqual(len(leads), 400)
        months = {lead.create_date.strftime("%Y-%m") for lead in leads}
        self.assertGreaterEqual(len(months), 17)
        self.assertLessEqual(max(leads.mapped("create_date")).date(), date(2026, 6, 30))
        statuses = set(leads.mapped("won_status"))
        self.assertEqual(statuses, {"won", "lost", "pending"})
        lost = leads.filtered(lambda lead: lead.won_status == "lost")
        self.assertTrue(all(lost.mapped("lost_reason_id")))
        self.assertFalse(any(lost.mapped("active")))
        won = leads.filtered(lambda lead: lead.won_status == "won")
        self.assertTrue(
            all(
                d >= c
                for d, c in zip(
                    won.mapped("date_closed"), won.mapped("create_date"), strict=True
                )
            )
        )
        # The sales cycle reports read day_close: it follows the moved dates.
        for lead in won:
            self.assertEqual(lead.day_close, (lead.date_closed - lead.create_date).days)
        self.assertGreater(sum(won.mapped("day_close")) / len(won), 5)
        self.assertEqual(len(set(leads.mapped("team_id"))), 2)
        self.assertGreaterEqual(len(set(leads.mapped("source_id"))), 6)

    def test_roles_and_activity(self):
        """Salespeople in each role, open deals with activities, notes in chatter."""
        sally = self.env["res.users"].search([("login", "=", "sally")])
        self.assertTrue(sally.has_group("crm_smb_core.group_smb_salesperson"))
        olivia = self.env["res.users"].search([("login", "=", "olivia")])
        self.assertTrue(olivia.has_group("crm_smb_core.group_smb_owner"))
        self.assertTrue(self.leads.activity_ids)
        self.assertTrue(
            self.env["mail.message"].search_count(
                [("model", "=", "crm.lead"), ("res_id", "in", self.leads.ids)]
            )
        )

    def test_same_seed_same_data(self):
        """The generator is deterministic: the same seed draws the same records."""
        first = generate_demo.Generator(self.env, seed=7, today=date(2026, 6, 30))
        second = generate_demo.Generator(self.env, seed=7, today=date(2026, 6, 30))
        first.us = second.us = self.env.ref("base.us")
        first.states = second.states = self.env["res.country.state"].search(
            [("country_id", "=", first.us.id)]
        )
        first.industries = second.industries = self.env["res.partner.industry"].search(
            []
        )
        drawn = [first._company_vals() for _i in range(5)]
        again = [second._company_vals() for _i in range(5)]
        self.assertEqual(drawn, again)

    def test_costs_when_roi_is_installed(self):
        """With crm_smb_roi, the ROI dashboard has spend to compare against."""
        if "crm.smb.cost" not in self.env:
            self.skipTest("crm_smb_roi is not installed in this database")
        costs = self.env["crm.smb.cost"].search([("date_start", ">=", "2024-12-01")])
        by_category = {cost.category for cost in costs}
        self.assertTrue(
            {"ads", "events", "staff_time", "crm_subscription"} <= by_category
        )
        months = {cost.date_start.strftime("%Y-%m") for cost in costs}
        self.assertGreaterEqual(len(months), 18)
        self.assertTrue(all(cost.amount > 0 for cost in costs))
