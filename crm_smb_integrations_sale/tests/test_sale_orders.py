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
