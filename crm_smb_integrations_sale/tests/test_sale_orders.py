"""Shopify orders also become confirmed sale orders of their contact."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_smb_integrations.fake_servers.shopify import sign_webhook
from odoo.addons.crm_smb_integrations.tests.common import (
    SHOPIFY_SECRET,
    IntegrationsCommon,
)
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestShopifySaleOrders(IntegrationsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mug = cls.env["product.product"].create(
            {"name": "Blue Mug", "default_code": "MUG-BLUE", "list_price": 9.0}
        )
        cls.shopify.customers.clear()
        cls.shopify.orders.clear()
        cls.shopify.add_customer(
            1, first_name="Ada", last_name="King", email="ada@example.com"
        )
        cls.shopify.add_order(
            101,
            1,
            44.0,
            name="#1001",
            created_at="2026-02-14T09:30:00Z",
            landing_page="/mugs?utm_source=newsletter&utm_medium=email"
            "&utm_campaign=valentine",
            line_items=[
                {"sku": "MUG-BLUE", "title": "Blue mug", "quantity": 2, "price": 12.0},
                {"sku": "TEE-9", "title": "Shop tee", "quantity": 1, "price": 20.0},
            ],
        )

    def _import(self):
        with trap_jobs():
            return self.shopify_backend._shopify_import_all()

    def _ada(self):
        return self.env["res.partner"].search([("email", "=", "ada@example.com")])

    def test_order_becomes_confirmed_sale_order(self):
        """The contact gets a confirmed sale order with the order's items
        (known SKU: the product; unknown: the generic item), date and UTM."""
        self._import()
        ada = self._ada()
        sale = self.env["sale.order"].search([("partner_id", "=", ada.id)])
        self.assertEqual(len(sale), 1)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.client_order_ref, "#1001")
        self.assertEqual(sale.date_order.date().isoformat(), "2026-02-14")
        self.assertEqual(sale.amount_total, 44.0)
        lines = sale.order_line.sorted("price_unit")
        self.assertEqual(lines[0].product_id, self.mug)
        self.assertEqual((lines[0].product_uom_qty, lines[0].price_unit), (2, 12.0))
        generic = self.env.ref("crm_smb_integrations_sale.product_shopify_item")
        self.assertEqual(lines[1].product_id, generic)
        self.assertIn("Shop tee", lines[1].name)
        # The UTM records the external order found (or made) for the order.
        self.assertEqual(sale.source_id.name.lower(), "newsletter")
        self.assertEqual(sale.medium_id.name.lower(), "email")
        self.assertEqual(sale.campaign_id.name.lower(), "valentine")
        external = ada.smb_external_order_ids
        self.assertEqual(external.sale_order_id, sale)
        self.assertEqual(
            (sale.source_id, sale.medium_id, sale.campaign_id),
            (external.source_id, external.medium_id, external.campaign_id),
        )
        self.assertEqual(ada.sale_order_count, 1)

    def test_replays_make_no_second_sale_order(self):
        """A second sync, a changed order and a webhook of the same order
        keep the one sale order."""
        self._import()
        self._import()
        order = self.shopify.orders[0]
        order["displayFinancialStatus"] = "PARTIALLY_REFUNDED"
        self._import()
        body = (
            b'{"id": 101, "name": "#1001", "total_price": "44.00", "currency": '
            b'"USD", "financial_status": "paid", "customer": {"id": 1, '
            b'"email": "ada@example.com", "first_name": "Ada", "last_name": '
            b'"King"}, "line_items": [{"sku": "MUG-BLUE", "title": "Blue mug", '
            b'"quantity": 2, "price": "12.00"}]}'
        )
        response = self.url_open(
            f"/crm_smb/webhook/shopify/{self.shopify_backend.id}",
            data=body,
            headers={
                "X-Shopify-Hmac-SHA256": sign_webhook(SHOPIFY_SECRET, body),
                "X-Shopify-Topic": "orders/paid",
                "X-Shopify-Webhook-Id": "wh-sale-1",
                "Content-Type": "application/json",
            },
        )
        self.assertEqual(response.status_code, 200)
        jobs = self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_process_deliveries")]
        )
        self.assertTrue(jobs)
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        delivery = self.env["crm.smb.webhook.delivery"].search(
            [("delivery_id", "=", "wh-sale-1")]
        )
        self.assertEqual(delivery.state, "done")
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self._ada().id)]),
            1,
        )

    def test_orders_read_under_the_query_cost_limit(self):
        """Orders with line items are read in pages Shopify accepts (its
        1,000 cost points per query), so a shop with many orders imports."""
        for oid in range(200, 240):
            self.shopify.add_order(
                oid, 1, 5.0, line_items=[{"title": "Sticker", "price": 5.0}]
            )
        try:
            log = self._import()
        finally:
            del self.shopify.orders[1:]
        self.assertEqual(log.failed_count, 0)
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self._ada().id)]),
            41,
        )

    def _sale_of(self, name):
        return self.env["sale.order"].search([("client_order_ref", "=", name)])

    def test_every_line_item_of_a_long_order_lands(self):
        """An order of 75 items, more than one query reads, has all 75 on
        its sale order: the items after the first page are read from
        Shopify by follow-up queries."""
        items = [
            {"sku": f"BULK-{n}", "title": f"Bulk item {n}", "price": float(n)}
            for n in range(1, 76)
        ]
        total = float(sum(range(1, 76)))
        self.shopify.add_order(300, 1, total, name="#3000", line_items=items)
        try:
            log = self._import()
        finally:
            del self.shopify.orders[1:]
        self.assertEqual(log.failed_count, 0)
        sale = self._sale_of("#3000")
        self.assertEqual(len(sale.order_line), 75)
        self.assertEqual(
            sorted(sale.order_line.mapped("price_unit")),
            [float(n) for n in range(1, 76)],
        )
        self.assertIn("Bulk item 75", " ".join(sale.order_line.mapped("name")))
        self.assertEqual(sale.amount_total, total)

    def test_line_items_follow_up_waits_for_the_cost_bucket(self):
        """When the bucket is low after a page of orders, the follow-up
        query of line items waits for it to refill instead of failing, and
        every item still lands."""
        items = [{"title": f"Pin {n}", "price": 1.0} for n in range(300)]
        self.shopify.add_order(301, 1, 300.0, name="#3001", line_items=items)
        # A bucket of 1,000 points refilled at 100 a second: after the page
        # of orders (877 points), too few for a follow-up (253 points).
        self.shopify.bucket_size = 1000
        self.shopify.available = 1000.0
        try:
            log = self._import()
        finally:
            self.shopify.bucket_size = 2000
            del self.shopify.orders[1:]
        self.assertEqual(log.failed_count, 0)
        self.assertEqual(len(self._sale_of("#3001").order_line), 300)

    def test_sale_order_totals_the_shopify_order(self):
        """Shipping, the discount and taxes charged on top are lines of the
        sale order, whose total is the Shopify order's total price."""
        # Items 2 x 15 + 10 = 40, discount 5, shipping 7.5, tax 10% of the
        # discounted items 3.5: total 46.
        self.shopify.add_order(
            302,
            1,
            46.0,
            name="#3002",
            line_items=[
                {"sku": "MUG-BLUE", "title": "Blue mug", "quantity": 2, "price": 15.0},
                {"title": "Card", "price": 10.0},
            ],
            shipping_lines=[{"title": "Standard", "price": 7.5}],
            discount=5.0,
            tax_lines=[{"title": "State tax", "rate": 0.1, "price": 3.5}],
        )
        try:
            self._import()
        finally:
            del self.shopify.orders[1:]
        sale = self._sale_of("#3002")
        self.assertEqual(sale.amount_total, 46.0)
        by_product = {line.product_id: line.price_subtotal for line in sale.order_line}
        ref = self.env.ref
        self.assertEqual(
            by_product[ref("crm_smb_integrations_sale.product_shopify_shipping")], 7.5
        )
        self.assertEqual(
            by_product[ref("crm_smb_integrations_sale.product_shopify_discount")], -5.0
        )
        self.assertEqual(
            by_product[ref("crm_smb_integrations_sale.product_shopify_tax")], 3.5
        )
        self.assertIn("Standard", " ".join(sale.order_line.mapped("name")))
        self.assertFalse(sale.message_ids.filtered(lambda m: "itemise" in m.body))

    def test_included_taxes_are_a_note(self):
        """Taxes already in Shopify's prices are noted on the sale order,
        not added again: the total stays the Shopify total."""
        self.shopify.add_order(
            303,
            1,
            24.0,
            name="#3003",
            line_items=[{"title": "Poster", "price": 24.0}],
            tax_lines=[{"title": "VAT", "rate": 0.2, "price": 4.0}],
            taxes_included=True,
        )
        try:
            self._import()
        finally:
            del self.shopify.orders[1:]
        sale = self._sale_of("#3003")
        self.assertEqual(sale.amount_total, 24.0)
        note = sale.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertIn("VAT 20.0%", note.name)

    def test_webhook_order_with_shipping_totals_the_order(self):
        """An order that arrives by webhook (REST payload) gets its shipping
        and discount lines too."""
        body = (
            b'{"id": 304, "name": "#3004", "total_price": "27.00", "currency": '
            b'"USD", "financial_status": "paid", "total_discounts": "3.00", '
            b'"taxes_included": false, "tax_lines": [], "customer": {"id": 1, '
            b'"email": "ada@example.com", "first_name": "Ada", "last_name": '
            b'"King"}, "shipping_lines": [{"title": "Express", "price": "10.00"}],'
            b' "line_items": [{"title": "Scarf", "quantity": 1, "price": "20.00"}]}'
        )
        self._import()
        response = self.url_open(
            f"/crm_smb/webhook/shopify/{self.shopify_backend.id}",
            data=body,
            headers={
                "X-Shopify-Hmac-SHA256": sign_webhook(SHOPIFY_SECRET, body),
                "X-Shopify-Topic": "orders/create",
                "X-Shopify-Webhook-Id": "wh-sale-304",
                "Content-Type": "application/json",
            },
        )
        self.assertEqual(response.status_code, 200)
        for record in self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_process_deliveries")]
        ):
            Job.load(self.env, record.uuid).perform()
        sale = self._sale_of("#3004")
        self.assertEqual(sale.amount_total, 27.0)
        self.assertEqual(len(sale.order_line), 3)

    def test_total_mismatch_is_said_on_the_sale_order(self):
        """A total the order's lines do not explain (a charge Shopify does
        not itemise) is said on the sale order rather than hidden."""
        self.shopify.add_order(
            305,
            1,
            12.0,
            name="#3005",
            line_items=[{"title": "Badge", "price": 10.0}],
        )
        try:
            self._import()
        finally:
            del self.shopify.orders[1:]
        sale = self._sale_of("#3005")
        self.assertEqual(sale.amount_total, 10.0)
        self.assertTrue(sale.message_ids.filtered(lambda m: "itemise" in m.body))

    def test_every_shipping_line_lands(self):
        """An order split into more shipments than one query reads has all
        its shipping lines on the sale order, and its total."""
        self.shopify.add_order(
            306,
            1,
            27.0,
            name="#3006",
            line_items=[{"title": "Plant", "price": 20.0}],
            shipping_lines=[{"title": f"Parcel {n}", "price": 1.0} for n in range(7)],
        )
        try:
            self._import()
        finally:
            del self.shopify.orders[1:]
        sale = self._sale_of("#3006")
        shipping = self.env.ref("crm_smb_integrations_sale.product_shopify_shipping")
        self.assertEqual(
            len(sale.order_line.filtered(lambda line: line.product_id == shipping)), 7
        )
        self.assertEqual(sale.amount_total, 27.0)
