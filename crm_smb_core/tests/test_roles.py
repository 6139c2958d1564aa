from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestRoles(SmbCoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_lead = cls._smb_lead(
            name="Own", user_id=cls.smb_salesperson.id, team_id=cls.smb_team.id
        )
        cls.unassigned_lead = cls._smb_lead(name="Unassigned", team_id=False)
        cls.team_lead = cls._smb_lead(
            name="Teammate's", user_id=cls.user_sales_leads.id, team_id=cls.smb_team.id
        )
        cls.foreign_lead = cls._smb_lead(
            name="Other team's",
            user_id=cls.user_sales_leads.id,
            team_id=cls.smb_other_team.id,
        )
        cls.all_leads = (
            cls.own_lead | cls.unassigned_lead | cls.team_lead | cls.foreign_lead
        )

    def _visible(self):
        return self.env["crm.lead"].search([("id", "in", self.all_leads.ids)])

    @users("smb_salesperson")
    def test_salesperson_sees_own_and_unassigned(self):
        """A salesperson's pipeline holds their own and unassigned leads only."""
        self.assertEqual(self._visible(), self.own_lead | self.unassigned_lead)
        with self.assertRaises(AccessError):
            self.foreign_lead.with_env(self.env).read(["name"])

    @users("smb_manager")
    def test_manager_sees_the_team(self):
        """A manager sees every lead of the team they lead, not other teams'."""
        self.assertEqual(
            self._visible(),
            self.own_lead | self.unassigned_lead | self.team_lead,
        )

    @users("smb_owner", "smb_marketing")
    def test_owner_and_marketing_see_everything(self):
        self.assertEqual(self._visible(), self.all_leads)

    def test_roles_chain_onto_odoo_sales_groups(self):
        """Each SMB role grants the matching rights of Odoo's Sales app."""
        self.assertTrue(
            self.smb_salesperson.has_group("sales_team.group_sale_salesman")
        )
        self.assertFalse(
            self.smb_manager.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertTrue(self.smb_owner.has_group("sales_team.group_sale_manager"))
        self.assertTrue(self.smb_owner.has_group("crm_smb_core.group_smb_manager"))
