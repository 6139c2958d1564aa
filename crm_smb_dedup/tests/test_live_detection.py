"""Likely duplicates on the contact and lead forms, and blocking rules."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestLiveDetection(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bob = cls._person(
            "Robert Miller", email="bob@millerbakery.com", phone="415-555-0142"
        )
        cls.rule_person = cls.env.ref("crm_smb_dedup.crm_smb_duplicate_rule_person")

    def test_form_shows_duplicates_with_reasons(self):
        """Typing a known person on a new contact shows the warning banner."""
        with Form(self.env["res.partner"]) as form:
            form.name = "Bob Miller"
            form.phone = "(415) 555-0142"
            self.assertEqual(form.smb_duplicate_count, 1)
            self.assertIn("same phone +1 415-555-0142", form.smb_duplicate_html)
            self.assertIn(f"/odoo/res.partner/{self.bob.id}", form.smb_duplicate_html)
            form.name = "Zelda Quist"
            form.phone = "+1 212 555 0199"
            self.assertEqual(form.smb_duplicate_count, 0)

    def test_plain_employee_sees_the_banner(self):
        """Employees outside the CRM roles get the warning on contacts too."""
        employee = new_test_user(
            self.env,
            login="dedup_employee",
            groups="base.group_user,base.group_partner_manager",
        )
        with Form(self.env["res.partner"].with_user(employee)) as form:
            form.name = "Bob Miller"
            form.phone = "(415) 555-0142"
            self.assertEqual(form.smb_duplicate_count, 1)
            form.phone = "+1 212 555 0199"
            form.name = "Zelda Quist"

    def test_saved_record_ignores_itself(self):
        """A contact is never its own duplicate."""
        self.assertEqual(self.bob.smb_duplicate_count, 0)
        twin = self._person("Bob Miller", phone="+14155550142")
        self.assertEqual(twin.smb_duplicate_ids, self.bob)

    def test_lead_form_shows_duplicates(self):
        """A second enquiry from the same email is flagged on the lead form."""
        self._dedup_lead(contact_name="Ann Lee", email_from="ann@leeco.com")
        with Form(self.env["crm.lead"]) as form:
            form.name = "Another enquiry"
            form.contact_name = "Ann Lee"
            form.email_from = "ANN@leeco.com"
            self.assertEqual(form.smb_duplicate_count, 1)
            self.assertIn("same email ann@leeco.com", form.smb_duplicate_html)

    def test_live_check_query_budget(self):
        """The live check stays within 10 SQL queries."""
        self.env["res.partner"].flush_model()
        values = {"name": "Rob Miller", "email": "bob@millerbakery.com"}
        self.env["res.partner"]._smb_duplicate_candidates(values)
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            found = self.env["res.partner"]._smb_duplicate_candidates(values)
            self.assertEqual(found[0]["record"], self.bob)

    @mute_logger("odoo.addons.crm_smb_dedup.models.dedup_mixin")
    def test_block_rule_refuses_duplicates(self):
        """A blocking rule refuses to save a duplicate and says which one."""
        self.rule_person.action = "block"
        with self.assertRaises(ValidationError) as caught:
            self._person("Bob Miller", email="BOB@millerbakery.com")
        self.assertIn("Robert Miller", str(caught.exception))
        self.assertIn("same email bob@millerbakery.com", str(caught.exception))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Bob Miller")]),
        )
        other = self._person("Carol King", email="carol@king.io")
        with self.assertRaises(ValidationError):
            other.write({"email": "bob@millerbakery.com", "name": "Robert Miller"})

    def test_rule_change_applies_at_once(self):
        """Raising a rule's threshold drops weaker candidates right away."""
        values = {"name": "Bob Miller", "phone": "415 555 0142", "zip": "94107"}
        self.assertTrue(self.env["res.partner"]._smb_duplicate_candidates(values))
        self.rule_person.line_ids.filtered(
            lambda line: line.field == "phone"
        ).weight = 0
        self.assertFalse(self.env["res.partner"]._smb_duplicate_candidates(values))

    @users("smb_salesperson")
    def test_salesperson_cannot_change_rules(self):
        """Only managers configure duplicate rules."""
        rule = self.rule_person.with_user(self.env.user)
        self.assertEqual(rule.threshold, 0.8)
        with self.assertRaises(AccessError):
            rule.threshold = 0.5

    @users("smb_manager")
    def test_manager_configures_rules(self):
        """A manager can tighten a rule."""
        rule = self.rule_person.with_user(self.env.user)
        rule.threshold = 0.9
        self.assertEqual(rule.threshold, 0.9)

    def test_bad_rule_filter_is_refused(self):
        """A filter that is not a domain is refused with a clear message."""
        with (
            self.assertRaises(ValidationError),
            mute_logger("odoo.addons.crm_smb_dedup.models.duplicate_rule"),
        ):
            self.rule_person.domain = "[('nope'"


@tagged("post_install", "-at_install")
class TestMultiCompany(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Branch B"})
        cls.hidden = cls._person(
            "Nina Park", email="nina@park.io", company_id=cls.company_b.id
        )
        cls.group_b = cls.env["crm.smb.duplicate.group"].create(
            {
                "applies_to": "partner_person",
                "res_model": "res.partner",
                "company_id": cls.company_b.id,
                "member_ids": [(0, 0, {"res_id": cls.hidden.id})],
            }
        )

    @users("smb_manager")
    def test_other_company_records_stay_hidden(self):
        """Candidates and duplicate groups of another company are not shown."""
        found = self.env["res.partner"]._smb_duplicate_candidates(
            {"name": "Nina Park", "email": "nina@park.io"}
        )
        self.assertEqual(found, [])
        groups = self.env["crm.smb.duplicate.group"].search([])
        self.assertNotIn(self.group_b, groups)
