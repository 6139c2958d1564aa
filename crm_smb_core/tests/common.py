from odoo.tests import new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon


class SmbCoreCommon(TestCrmCommon):
    """Fixture for the suite: Odoo's CRM test data plus one user per SMB role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smb_salesperson = new_test_user(
            cls.env,
            login="smb_salesperson",
            name="Sally Seller",
            groups="crm_smb_core.group_smb_salesperson",
        )
        cls.smb_manager = new_test_user(
            cls.env,
            login="smb_manager",
            name="Manny Manager",
            groups="crm_smb_core.group_smb_manager",
        )
        cls.smb_owner = new_test_user(
            cls.env,
            login="smb_owner",
            name="Olivia Owner",
            groups="crm_smb_core.group_smb_owner",
        )
        cls.smb_marketing = new_test_user(
            cls.env,
            login="smb_marketing",
            name="Mark Marketer",
            groups="crm_smb_core.group_smb_marketing",
        )
        cls.smb_team = cls.env["crm.team"].create(
            {
                "name": "SMB Team",
                "user_id": cls.smb_manager.id,
                "member_ids": [(4, cls.smb_salesperson.id)],
            }
        )
        cls.smb_other_team = cls.env["crm.team"].create({"name": "Other Team"})

    @classmethod
    def _smb_lead(cls, **values):
        return cls.env["crm.lead"].create(
            {"name": "SMB lead", "type": "lead", "user_id": False, **values}
        )
