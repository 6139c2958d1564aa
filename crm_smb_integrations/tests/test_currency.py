"""External revenue in the company's currency, with Odoo's exchange rates."""

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import IntegrationsCommon


@tagged("post_install", "-at_install")
class TestExternalRevenueCurrency(IntegrationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        # The company's currency (USD in a new database); rates below are
        # of one unit of it.
        cls.usd = cls.shopify_backend.company_id.currency_id
        cls.eur = Currency.search([("name", "=", "EUR")])
        cls.jpy = Currency.search([("name", "=", "JPY")])
        Rate = cls.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (cls.eur | cls.jpy).ids)]).unlink()
        # 1 USD = 0.5 EUR from January, 0.8 EUR from March.
        Rate.create(
            [
                {"currency_id": cls.eur.id, "name": "2026-01-01", "rate": 0.5},
                {"currency_id": cls.eur.id, "name": "2026-03-01", "rate": 0.8},
            ]
        )
        cls.shopify.customers.clear()
        cls.shopify.orders.clear()
        cls.shopify.add_customer(
            1, first_name="Ines", last_name="Moreau", email="ines@example.com"
        )
        cls.shopify.add_order(201, 1, 50.0, created_at="2026-02-14T10:00:00Z")
        cls.shopify.add_order(
            202, 1, 100.0, currency="EUR", created_at="2026-02-14T10:00:00Z"
        )
        cls.shopify.add_order(
            203, 1, 80.0, currency="EUR", created_at="2026-03-10T10:00:00Z"
        )
        cls.shopify.add_order(
            204, 1, 1000.0, currency="JPY", created_at="2026-03-10T10:00:00Z"
        )
        cls.shopify.add_order(205, 1, 5.0, currency="ZZZ")

    def _import(self):
        with trap_jobs():
            self.shopify_backend._shopify_import_all()
        return self.env["res.partner"].search([("email", "=", "ines@example.com")])

    def _order(self, ext):
        return self.env["crm.smb.external.order"].search(
            [("backend_id", "=", self.shopify_backend.id), ("external_id", "=", ext)]
        )

    def test_revenue_converted_at_the_order_date(self):
        """Orders in another currency count at the rate of their date:
        100 EUR in February is 200 USD, 80 EUR in March is 100 USD."""
        ines = self._import()
        self.assertEqual(self._order("202").amount_company, 200.0)
        self.assertEqual(self._order("203").amount_company, 100.0)
        self.assertEqual(ines.smb_revenue_currency_id, self.usd)
        self.assertEqual(ines.smb_external_revenue, 350.0)

    def test_currency_without_rate_is_flagged_not_summed(self):
        """An order in a currency without a rate (or unknown to Odoo) keeps
        its own amount, is flagged and logged, and is not added unconverted;
        once a rate exists it counts, converted."""
        with self.assertLogs(
            "odoo.addons.crm_smb_integrations.models.external_order", "WARNING"
        ) as logs:
            ines = self._import()
        self.assertIn("no exchange rate", " ".join(logs.output))
        jpy_order, unknown = self._order("204"), self._order("205")
        self.assertTrue(jpy_order.no_rate)
        self.assertEqual((jpy_order.amount, jpy_order.currency_id), (1000.0, self.jpy))
        self.assertTrue(unknown.no_rate)
        self.assertEqual(unknown.currency_code, "ZZZ")
        self.assertEqual(ines.smb_external_revenue, 350.0)
        # 1 USD = 160 JPY: 1,000 JPY is 6.25 USD.
        self.env["res.currency.rate"].create(
            {"currency_id": self.jpy.id, "name": "2026-01-01", "rate": 160.0}
        )
        self.assertFalse(jpy_order.no_rate)
        self.assertEqual(jpy_order.amount_company, 6.25)
        ines.invalidate_recordset(["smb_external_revenue"])
        self.assertEqual(ines.smb_external_revenue, 356.25)
        self.assertEqual(
            self.env["crm.smb.external.order"].search_count(
                [("no_rate", "=", True), ("partner_id", "=", ines.id)]
            ),
            1,
        )
