"""Review and merge: chosen values survive, references move, undo restores."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestMerge(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tom = cls._person(
            "Thomas Reed", email="tom@reedco.com", phone="212-555-0100", city="NYC"
        )
        cls.tom2 = cls._person("Tom Reed", phone="(212) 555-0100", city="New York")
        cls.tom3 = cls._person("Reed, Thomas", email="TOM@reedco.com")
        cls.lead = cls._dedup_lead(partner_id=cls.tom2.id, name="Reed order")
        cls.activity = cls.tom3.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call Tom"
        )
        cls.message = cls.tom2.message_post(body="Met at the fair")
        cls.follower_doc = cls._dedup_lead(name="Followed lead")
        cls.follower_doc.message_subscribe(partner_ids=[cls.tom2.id, cls.tom.id])
        cls.tag = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.tom3.category_id = cls.tag

    def _group(self, records):
        return self.env["crm.smb.duplicate.group"].create(
            {
                "applies_to": "partner_person",
                "res_model": "res.partner",
                "member_ids": [(0, 0, {"res_id": r.id, "score": 0.9}) for r in records],
            }
        )

    def _wizard(self, user=None):
        group = self._group(self.tom | self.tom2 | self.tom3)
        action = group.with_user(user or self.smb_manager).action_review()
        return (
            self.env["crm.smb.merge.wizard"]
            .with_user(user or self.smb_manager)
            .browse(action["res_id"])
        )

    def _references(self):
        follower = self.follower_doc.message_follower_ids
        return {
            "lead": self.lead.partner_id,
            "activity": self.activity.res_id,
            "message": self.message.res_id,
            "followers": set(follower.mapped("partner_id").ids),
            "follower_rows": len(follower),
            "tags": self.tag.partner_ids,
        }

    def test_merge_three_and_undo(self):
        """Three records merge with picked values; undo restores everything."""
        before = self._references()
        wizard = self._wizard()
        self.assertEqual(len(wizard.member_ids), 3)
        city_line = wizard.line_ids.filtered(lambda line: line.field_name == "city")
        self.assertIn("NYC", city_line.all_values)
        index = wizard.line_ids.ids.index(city_line.id)
        with Form(wizard) as form, form.line_ids.edit(index) as line:
            line.member_id = wizard.member_ids.filtered(
                lambda m: m.res_id == self.tom2.id
            )
        wizard.action_merge()
        self.env.invalidate_all()
        self.assertEqual(self.tom.city, "New York")
        self.assertFalse(self.tom2.active or self.tom3.active)
        self.assertEqual(self.lead.partner_id, self.tom)
        self.assertEqual(self.activity.res_id, self.tom.id)
        self.assertEqual(self.message.res_id, self.tom.id)
        self.assertEqual(self.follower_doc.message_follower_ids.partner_id, self.tom)
        self.assertIn(self.tom, self.tag.partner_ids)
        journal = wizard.group_id.journal_id
        self.assertEqual(wizard.group_id.state, "merged")
        self.assertGreaterEqual(len(journal.line_ids), 5)

        journal.with_user(self.smb_manager).action_undo()
        self.env.invalidate_all()
        self.assertEqual(journal.restored_count, len(journal.line_ids))
        self.assertTrue(self.tom2.active and self.tom3.active)
        self.assertEqual(self.tom.city, "NYC")
        self.assertEqual(self._references(), before)
        self.assertEqual(wizard.group_id.state, "pending")

    def test_salesperson_cannot_merge(self):
        """Only managers merge."""
        group = self._group(self.tom | self.tom2)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.crm_smb_dedup.models.merge_journal"),
        ):
            self.env["crm.smb.merge.journal"].with_user(
                self.smb_salesperson
            )._smb_merge(self.tom | self.tom2, self.tom, {})
        self.assertTrue(group.exists())
        self.assertTrue(self.tom2.active)

    def test_cross_company_merge_refused(self):
        """Records of two companies cannot be merged, and nothing changes."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.tom.company_id = self.env.company
        self.tom2.company_id = other_company
        with (
            self.assertRaises(UserError) as caught,
            mute_logger("odoo.addons.crm_smb_dedup.models.merge_journal"),
        ):
            self.env["crm.smb.merge.journal"].with_user(self.smb_owner)._smb_merge(
                self.tom | self.tom2, self.tom, {}
            )
        self.assertIn("different companies", str(caught.exception))
        self.assertTrue(self.tom2.active)

    def test_failing_merge_changes_nothing(self):
        """A merge that fails midway leaves every record and reference as it was."""
        before = self._references()
        with (
            self.assertRaises(UserError) as caught,
            mute_logger(
                "odoo.addons.crm_smb_dedup.models.merge_journal", "odoo.sql_db"
            ),
        ):
            self.env["crm.smb.merge.journal"].with_user(self.smb_owner)._smb_merge(
                self.tom | self.tom2 | self.tom3,
                self.tom,
                {"name": "x" * 10, "country_id": 999999999},
            )
        self.assertIn("nothing was changed", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(self._references(), before)
        self.assertTrue(self.tom2.active and self.tom3.active)
        self.assertEqual(self.tom.name, "Thomas Reed")
        self.assertFalse(self.env["crm.smb.merge.journal"].search([]))

    def test_not_duplicates_from_review(self):
        """ "Not Duplicates" in the review screen dismisses the group."""
        wizard = self._wizard()
        wizard.action_not_duplicates()
        self.assertEqual(wizard.group_id.state, "dismissed")
        self.assertFalse(self.tom.smb_duplicate_ids & (self.tom2 | self.tom3))

    def test_merge_leads(self):
        """Two leads merge; the other lead is archived and undo brings it back."""
        lead_a = self._dedup_lead(contact_name="Ann Lee", email_from="ann@lee.io")
        lead_b = self._dedup_lead(contact_name="Ann Lee", email_from="ANN@lee.io")
        note = lead_b.message_post(body="Asked for a quote")
        journal = (
            self.env["crm.smb.merge.journal"]
            .with_user(self.smb_owner)
            ._smb_merge(lead_a | lead_b, lead_a, {})
        )
        self.assertFalse(lead_b.active)
        self.assertEqual(note.res_id, lead_a.id)
        journal.with_user(self.smb_owner).action_undo()
        self.env.invalidate_all()
        self.assertTrue(lead_b.active)
        self.assertEqual(note.res_id, lead_b.id)

    def test_review_from_the_contact_form(self):
        """The banner's button opens the merge screen with the likely duplicates."""
        action = self.tom.with_user(self.smb_manager).action_smb_review_duplicates()
        wizard = self.env["crm.smb.merge.wizard"].browse(action["res_id"])
        self.assertEqual(
            set(wizard.member_ids.mapped("res_id")),
            {self.tom.id, self.tom2.id, self.tom3.id},
        )
        self.assertEqual(wizard.dst_member_id.res_id, self.tom.id)
