from odoo.tests import tagged

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
