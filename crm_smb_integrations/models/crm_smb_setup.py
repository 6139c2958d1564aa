from odoo import api, models


class CrmSmbSetup(models.AbstractModel):
    _inherit = "crm.smb.setup"

    @api.model
    def _step_connect_tools(self):
        """Done once a connector is connected; opens the connectors."""
        step = super()._step_connect_tools()
        step.update(
            description=self.env._(
                "Connect Shopify, Mailchimp or QuickBooks Online so customers, "
                "orders and opt-outs flow in without typing them twice."
            ),
            done=bool(
                self.env["crm.smb.connector.backend"]
                .sudo()
                .search_count([("state", "=", "connected")], limit=1)
            ),
            action=self._action(
                "crm_smb_integrations.crm_smb_connector_backend_action"
            ),
        )
        return step
