"""Stored match keys and the public candidate API used by integrations."""

from odoo.tests import tagged

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestCandidates(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls._person(
            "Jane Doe", email="Jane.Doe@acme.io", phone="(415) 555-0100", zip="94107"
        )
        cls.acme = cls._company(
            "ACME, Inc.", website="https://www.acme.io", vat="US123456789"
        )

    def test_keys_follow_writes(self):
        """Keys are stored on create and follow later edits."""
        self.assertEqual(self.jane.smb_phone_key, "+14155550100")
        self.assertEqual(self.jane.smb_email_key, "jane.doe@acme.io")
        self.assertEqual(self.acme.smb_company_key, "acme")
        self.jane.phone = "+44 20 7946 0958"
        self.assertEqual(self.jane.smb_phone_key, "+442079460958")

    def test_public_api_ranks_with_reasons(self):
        """Integrations find Jane from a differently typed phone and name."""
        found = self.env["res.partner"]._smb_duplicate_candidates(
            {"name": "jane doe", "phone": "+1 415 555 0100", "email": "x@y.io"}
        )
        self.assertEqual(found[0]["record"], self.jane)
        self.assertIn("same phone +1 415-555-0100", found[0]["reasons"])
        self.assertGreaterEqual(found[0]["score"], 0.8)

    def test_public_api_companies(self):
        """A company typed without legal suffix meets the stored one."""
        found = self.env["res.partner"]._smb_duplicate_candidates(
            {"name": "Acme Incorporated", "is_company": True, "website": "acme.io"}
        )
        self.assertEqual([item["record"] for item in found], [self.acme])

    def test_strangers_are_not_candidates(self):
        """Someone unrelated gets no candidate at all."""
        found = self.env["res.partner"]._smb_duplicate_candidates(
            {"name": "Zed Zulu", "email": "zed@zulu.org"}
        )
        self.assertEqual(found, [])

    def test_lead_candidates(self):
        """A second enquiry from the same person is found among leads."""
        lead = self._dedup_lead(contact_name="Jane Doe", email_from="jane.doe@acme.io")
        found = self.env["crm.lead"]._smb_duplicate_candidates(
            {"contact_name": "Jane Doe", "email_from": "JANE.DOE@acme.io"}
        )
        self.assertEqual(found[0]["record"], lead)

    def test_keys_recomputed_after_sql_changes(self):
        """The batch recompute repairs keys of rows changed behind the ORM."""
        self.env["res.partner"].flush_model()
        self.env.cr.execute(
            "UPDATE res_partner SET smb_email_key = NULL WHERE id = %s",
            [self.jane.id],
        )
        self.env.invalidate_all()
        self.assertFalse(self.jane.smb_email_key)
        self.env["res.partner"]._cron_recompute_smb_keys(batch_size=50)
        self.assertEqual(self.jane.smb_email_key, "jane.doe@acme.io")

    def test_import_flags_rows_matching_existing_records(self):
        """An imported row that looks like an existing contact is flagged."""
        result = (
            self.env["res.partner"]
            .with_context(import_file=True)
            .load(
                ["name", "email", "phone"],
                [
                    ["Jane Doe", "JANE.DOE@acme.io", "+1 415 555 0100"],
                    ["Brand New", "brand@new.io", ""],
                ],
            )
        )
        self.assertFalse(result["messages"])
        rows = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(rows.mapped("smb_import_duplicate"), [True, False])
