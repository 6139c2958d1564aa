from odoo import models

from odoo.addons.crm_smb_integrations.services import shopify

# Orders with their first 25 line items and 5 shipping lines, 25 at a time:
# 2 + 25 x (1 + 27 + 7) = 877 cost points, under Shopify's 1,000 per query.
# The line items of an order beyond its first 25 are read by follow-up
# queries of 250 (253 points each).
ORDERS_PAGE = 25


class CrmSmbConnectorBackend(models.Model):
    _inherit = "crm.smb.connector.backend"

    def _shopify_page_spec(self, kind):
        """Orders are read with their line items, for the sale orders."""
        if kind == "orders":
            return ORDERS_PAGE, shopify.orders_with_lines_query()
        return super()._shopify_page_spec(kind)
