from odoo import models


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def _smb_convert_external_orders(self):
        """Convert the external orders in these currencies again, with their
        rates as they now stand: an order that had no rate gets one."""
        if not self:
            return
        orders = (
            self.env["crm.smb.external.order"]
            .sudo()
            .search([("currency_id", "in", self.ids)])
        )
        if orders:
            orders._recompute_amount_company()
