from odoo.tests import Form, tagged

from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestLifecycle(SmbCoreCommon):
    def test_lead_stage_follows_the_pipeline(self):
        """A lead moves through the lifecycle as the team works it."""
        lead = self._smb_lead(contact_name="Ann Lee")
        self.assertEqual(lead.lifecycle_stage, "lead")
        lead.write({"email_from": "ann@example.com", "phone": "+1 415 555 0100"})
        self.assertEqual(lead.lifecycle_stage, "marketing_qualified")
        lead.user_id = self.smb_salesperson
        self.assertEqual(lead.lifecycle_stage, "sales_qualified")
        lead.convert_opportunity(self.env["res.partner"])
        self.assertEqual(lead.lifecycle_stage, "opportunity")
        lead.action_set_won()
        self.assertEqual(lead.lifecycle_stage, "customer")

    def test_manual_override_wins_until_reset(self):
        """A stage set by hand stays until the user goes back to the derived one."""
        lead = self._smb_lead()
        with Form(lead) as form:
            form.lifecycle_stage = "evangelist"
        self.assertEqual(lead.lifecycle_stage_override, "evangelist")
        lead.user_id = self.smb_salesperson
        self.assertEqual(lead.lifecycle_stage, "evangelist")
        lead.action_reset_lifecycle_stage()
        self.assertEqual(lead.lifecycle_stage, "sales_qualified")
        self.assertFalse(lead.lifecycle_stage_override)

    def test_contact_takes_most_advanced_stage_of_its_leads(self):
        """A contact is a customer as soon as one of its deals is won."""
        partner = self.env["res.partner"].create({"name": "Acme Plumbing"})
        self.assertEqual(partner.lifecycle_stage, "subscriber")
        lead = self._smb_lead(partner_id=partner.id)
        self.assertEqual(partner.lifecycle_stage, "lead")
        opportunity = self._smb_lead(partner_id=partner.id, type="opportunity")
        self.assertEqual(partner.lifecycle_stage, "opportunity")
        opportunity.action_set_won()
        self.assertEqual(partner.lifecycle_stage, "customer")
        (lead | opportunity).action_archive()
        self.assertEqual(partner.lifecycle_stage, "subscriber")

    def test_stage_change_is_kept_in_the_chatter(self):
        """The history of lifecycle changes is visible on the record."""
        lead = self._reset_mail_context(self._smb_lead())
        self.flush_tracking()
        lead.user_id = self.smb_salesperson
        # Tracking values are written by a pre-commit hook, which flush_all()
        # does not run: flush_tracking() runs it as a commit would.
        self.flush_tracking()
        lead.invalidate_recordset(["message_ids"])
        tracked = lead.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "lifecycle_stage"
        )
        self.assertEqual(tracked.new_value_char, "Sales Qualified")
        self.assertEqual(tracked.old_value_char, "Lead")
