"""Batch scan: pairs from SQL blocking, scored, grouped; dismissals stick."""

from odoo.tests import tagged

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestScan(DedupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kate = cls._person(
            "Katherine Olsen", email="kate@olsenfarms.com", phone="503-555-0111"
        )
        cls.kate2 = cls._person("Kate Olsen", phone="(503) 555-0111")
        cls.kate3 = cls._person("Olsen, Katherine", email="KATE@olsenfarms.com")
        cls.other = cls._person("Katherine Olson", email="k.olson@gmail.com")
        cls.acme = cls._company("Acme Plumbing Inc.", website="www.acmeplumb.com")
        cls.acme2 = cls._company("ACME Plumbing LLC", website="http://acmeplumb.com")
        cls.Group = cls.env["crm.smb.duplicate.group"]

    def _groups(self):
        return self.Group.search([("state", "=", "pending")])

    def _members(self, group):
        return set(group.member_ids.mapped("res_id"))

    def test_scan_groups_planted_duplicates(self):
        """The three spellings of Kate form one group; Katherine Olson does not."""
        figures = self.Group._smb_scan("partner_person")
        self.assertGreaterEqual(figures["matched_pairs"], 2)
        groups = self._groups().filtered(lambda g: g.applies_to == "partner_person")
        kate_group = groups.filtered(lambda g: self.kate.id in self._members(g))
        self.assertEqual(
            self._members(kate_group), {self.kate.id, self.kate2.id, self.kate3.id}
        )
        self.assertTrue(kate_group.reasons)
        self.assertNotIn(self.other.id, {m for g in groups for m in self._members(g)})

    def test_scan_companies(self):
        """Legal suffix and website spelling do not hide a company duplicate."""
        self.Group._smb_scan("partner_company")
        group = self._groups().filtered(lambda g: self.acme.id in self._members(g))
        self.assertEqual(self._members(group), {self.acme.id, self.acme2.id})
        self.assertIn("same website acmeplumb.com", group.reasons)

    def test_not_a_duplicate_is_never_proposed_again(self):
        """Dismissed pairs stay dismissed in later scans and on the form."""
        self.Group._smb_scan("partner_company")
        group = self._groups().filtered(lambda g: self.acme.id in self._members(g))
        group.action_dismiss()
        self.assertEqual(group.state, "dismissed")
        self.Group._smb_scan("partner_company")
        rescanned = self._groups().filtered(lambda g: self.acme.id in self._members(g))
        self.assertFalse(rescanned)
        self.assertFalse(self.acme.smb_duplicate_ids)

    def test_scan_button(self):
        """The Scan Now button rescans everything and opens the groups to review."""
        action = self.Group.with_user(self.smb_manager).action_scan_all()
        self.assertEqual(action["res_model"], "crm.smb.duplicate.group")
        self.assertTrue(self._groups())

    def test_branches_of_a_chain_stay_apart(self):
        """Two shops sharing a website but not phone nor zip are not merged."""
        north = self._company(
            "Taylor Dental Ltd.",
            website="taylordental.com",
            phone="415-555-0101",
            zip="94107",
        )
        south = self._company(
            "Taylor Dental Ltd.",
            website="taylordental.com",
            phone="702-555-0199",
            zip="89101",
        )
        self.Group._smb_scan("partner_company")
        grouped = {m for g in self._groups() for m in self._members(g)}
        self.assertFalse({north.id, south.id} & grouped)

    def test_automatic_merge_is_off_by_default_and_undoable(self):
        """Above a rule's auto-merge score the scan merges; undo brings it back."""
        self.acme.phone = "+1 305 555 0100"
        self.acme2.phone = "(305) 555-0100"
        self.Group._smb_scan("partner_company")
        self.assertTrue(self.acme2.active)
        rule = self.env.ref("crm_smb_dedup.crm_smb_duplicate_rule_company")
        rule.auto_merge_threshold = 0.95
        figures = self.Group._smb_scan("partner_company")
        self.assertEqual(figures["auto_merged"], 1)
        self.assertFalse(self.acme2.active)
        group = self.Group.search([("journal_id.dst_id", "=", self.acme.id)])
        self.assertEqual(group.state, "merged")
        group.journal_id.action_undo()
        self.assertTrue(self.acme2.active)
