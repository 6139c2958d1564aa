"""Shopify orders also become confirmed sale orders of the contact.

The external order is the binding: it keeps the sale order it made, so an
order imported again (a replayed webhook, the next sync, a retry) never makes
a second one.
"""

import logging

from odoo import Command, api, fields, models
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


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
        for (order, values), sale_order in zip(todo, sale_orders, strict=True):
            # Confirming dates the order today; it was placed in Shopify.
            if order.date:
                sale_order.date_order = fields.Datetime.to_datetime(order.date)
            order.sale_order_id = sale_order
            self._check_sale_total(order, values, sale_order)

    @api.model
    def _check_sale_total(self, order, values, sale_order):
        """Say so on the sale order when its total is not the Shopify
        order's total price (a charge the payload does not break down)."""
        charges = values.get("charges")
        if not charges or not values.get("lines"):
            return
        currency = sale_order.currency_id
        if not float_compare(
            sale_order.amount_total,
            charges["total"],
            precision_rounding=currency.rounding,
        ):
            return
        _logger.warning(
            "Shopify order %s: sale order %s totals %s, Shopify %s",
            order.external_id,
            sale_order.name,
            sale_order.amount_total,
            charges["total"],
        )
        sale_order.message_post(
            body=self.env._(
                "The Shopify order %(order)s totals %(shopify)s and this sale "
                "order %(total)s: Shopify charged something its order does not "
                "itemise. Check the order in Shopify and add the missing line.",
                order=order.name or order.external_id,
                shopify=charges["total"],
                total=sale_order.amount_total,
            )
        )

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
        for key in ("shipping", "discount", "tax"):
            products[key] = self.env.ref(
                f"crm_smb_integrations_sale.product_shopify_{key}"
            ).sudo()
        return products

    @api.model
    def _sale_order_vals(self, backend, order, values, products):
        lines = values.get("lines")
        commands = []
        if not lines:
            # No line items in the payload: one line for the order's total.
            lines = [{"sku": None, "name": order.name, "quantity": 1.0}]
            lines[0]["price"] = order.amount
        else:
            commands = self._charge_line_commands(values.get("charges"), products)
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
            ]
            + commands,
        }

    @api.model
    def _charge_line_commands(self, charges, products):
        """Lines of the order's shipping, discount and taxes, so that the
        sale order totals what the customer paid in Shopify.

        Taxes Shopify added on top of the prices are one line each (no Odoo
        tax applies: Shopify computed them). Taxes already included in the
        prices are a note only, as they are inside the item lines.
        """
        if not charges:
            return []
        _ = self.env._
        vals_list = [
            {
                "product_id": products["shipping"].id,
                "name": _("Shipping: %(method)s", method=line["name"])
                if line.get("name")
                else products["shipping"].display_name,
                "product_uom_qty": 1.0,
                "price_unit": line["price"],
            }
            for line in charges.get("shipping") or []
        ]
        if charges.get("discount"):
            vals_list.append(
                {
                    "product_id": products["discount"].id,
                    "name": products["discount"].display_name,
                    "product_uom_qty": 1.0,
                    "price_unit": -abs(charges["discount"]),
                }
            )
        notes = []
        for tax in charges.get("taxes") or []:
            name = _(
                "%(tax)s %(rate)s%%",
                tax=tax.get("name") or products["tax"].display_name,
                rate=round(tax.get("rate", 0.0) * 100, 4),
            )
            if charges.get("taxes_included"):
                notes.append(
                    {
                        "display_type": "line_note",
                        "name": _(
                            "Prices include %(tax)s: %(amount)s",
                            tax=name,
                            amount=tax["price"],
                        ),
                    }
                )
            elif tax.get("price"):
                vals_list.append(
                    {
                        "product_id": products["tax"].id,
                        "name": name,
                        "product_uom_qty": 1.0,
                        "price_unit": tax["price"],
                    }
                )
        for vals in vals_list:
            vals["tax_ids"] = [Command.clear()]
        return [Command.create(vals) for vals in vals_list + notes]

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
