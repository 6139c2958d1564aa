"""Shopify orders also become confirmed sale orders of the contact.

The external order is the binding: it keeps the sale order it made, so an
order imported again (a replayed webhook, the next sync, a retry) never makes
a second one.
"""

from odoo import Command, api, fields, models


class CrmSmbExternalOrder(models.Model):
    _inherit = "crm.smb.external.order"

    sale_order_id = fields.Many2one(
        "sale.order", ondelete="set null", index="btree_not_null"
    )

    @api.model
    def _sync_documents(self, backend, kind, imported):
        super()._sync_documents(backend, kind, imported)
        if kind != "shopify_order":
            return
        todo = [
            (order, values)
            for order, values in imported
            if not order.sale_order_id and order.partner_id
        ]
        if not todo:
            return
        products = self._sale_products(
            {
                line["sku"]
                for _order, values in todo
                for line in values.get("lines") or []
                if line.get("sku")
            }
        )
        SaleOrder = self.env["sale.order"].sudo().with_context(tracking_disable=True)
        sale_orders = SaleOrder.create(
            [
                self._sale_order_vals(backend, order, values, products)
                for order, values in todo
            ]
        )
        sale_orders.action_confirm()
        for (order, _values), sale_order in zip(todo, sale_orders, strict=True):
            # Confirming dates the order today; it was placed in Shopify.
            if order.date:
                sale_order.date_order = fields.Datetime.to_datetime(order.date)
            order.sale_order_id = sale_order

    @api.model
    def _sale_products(self, skus):
        """{sku: product} for the SKUs that match a product's internal
        reference, and the generic product under None."""
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        products = {}
        if skus:
            for product in Product.search([("default_code", "in", list(skus))]):
                products.setdefault(product.default_code, product)
        products[None] = self.env.ref(
            "crm_smb_integrations_sale.product_shopify_item"
        ).sudo()
        return products

    @api.model
    def _sale_order_vals(self, backend, order, values, products):
        lines = values.get("lines")
        if not lines:
            # No line items in the payload: one line for the order's total.
            lines = [{"sku": None, "name": order.name, "quantity": 1.0}]
            lines[0]["price"] = order.amount
        return {
            "partner_id": order.partner_id.id,
            "company_id": backend.company_id.id,
            "client_order_ref": order.name,
            "origin": f"Shopify {order.name or order.external_id}",
            "source_id": order.source_id.id,
            "medium_id": order.medium_id.id,
            "campaign_id": order.campaign_id.id,
            "order_line": [
                Command.create(self._sale_line_vals(line, products)) for line in lines
            ],
        }

    @api.model
    def _sale_line_vals(self, line, products):
        product = products.get(line.get("sku")) or products[None]
        name = line.get("name") or product.display_name
        if line.get("sku"):
            name = f"[{line['sku']}] {name}"
        return {
            "product_id": product.id,
            "name": name,
            "product_uom_qty": line.get("quantity") or 1.0,
            "price_unit": line.get("price") or 0.0,
            # Shopify's prices are what the customer paid; no tax on top.
            "tax_ids": [Command.clear()],
        }
