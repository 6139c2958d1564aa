import os
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser

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


class SmbTourCase(HttpCase):
    """Runs the suite's tours; saves screenshots on request.

    With CRM_SMB_SCREENSHOTS=1 in the environment, a tour step that logs
    ``crm_smb:screenshot`` to the console saves a screenshot of the page in
    Odoo's screenshots folder (/tmp/odoo_tests/<db>/screenshots by default), so
    that people can look at the screens the tours click through.
    """

    def smb_start_tour(self, url, tour, login="admin", **kwargs):
        if not os.environ.get("CRM_SMB_SCREENSHOTS"):
            return self.start_tour(url, tour, login=login, **kwargs)
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, stackTrace=None, **kw):
            if args and browser._from_remoteobject(args[0]) == "crm_smb:screenshot":
                browser.take_screenshot(prefix=f"{tour}_")
                return None
            return original(browser, type, args=args, stackTrace=stackTrace, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            return self.start_tour(url, tour, login=login, **kwargs)
