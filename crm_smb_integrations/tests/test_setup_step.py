from odoo.tests import tagged

from ..services.identity import decide
from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestSetupStep(IntegrationsCommon):
    def test_connect_tools_step_done_once_a_connector_is_connected(self):
        """The owner's checklist ticks "Connect your tools" only when a
        connector actually works, and its button opens the connectors."""
        Backend = self.env["crm.smb.connector.backend"]
        Backend.search([]).write({"state": "draft"})
        step = self.env["crm.smb.setup"]._step_connect_tools()
        self.assertFalse(step["done"])
        self.assertEqual(step["action"]["res_model"], "crm.smb.connector.backend")
        self.shopify_backend.state = "connected"
        self.assertTrue(self.env["crm.smb.setup"]._step_connect_tools()["done"])


@tagged("post_install", "-at_install")
class TestIdentityByEmail(IntegrationsCommon):
    def test_same_email_other_phone_and_zip_links_the_contact(self):
        """A shop customer whose phone and zip differ from the CRM contact with
        the same email is that contact, not a new duplicate."""
        contact = self.env["res.partner"].create(
            {
                "name": "Dana Whitfield",
                "email": "dana.whitfield@example.com",
                "phone": "+1 415 555 0133",
                "zip": "94110",
            }
        )
        candidates = self.env["res.partner"]._smb_identity_candidates(
            {
                "name": "Dana Whitfield",
                "email": "DANA.WHITFIELD@example.com",
                "phone": "+1 212 555 0188",
                "zip": "10001",
            }
        )
        verdict, match = decide(candidates)
        self.assertEqual(verdict, "link")
        self.assertEqual(match["record"], contact)
