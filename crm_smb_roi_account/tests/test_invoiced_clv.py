from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import RoiAccountCommon


@tagged("post_install", "-at_install")
class TestInvoicedClv(RoiAccountCommon):
    """The "CLV from invoices" card against the hand-computed example of
    readme/USAGE.md: Q1 2026 invoices 3 000 + 1 500 + 1 500 (3 000 EUR) - 500
    = 5 500 for 2 customers over 3 months, at 50 % margin for 24 months."""

    def assertClv(self, data, value):
        self.assertTrue(data["invoices_available"])
        self.assertAlmostEqual(data["clv_invoiced"], value, places=2)

    def test_clv_from_posted_invoices(self):
        """5 500 / 2 customers / 3 months = 916.67 a month; x 50 % x 24 =
        11 000, shown in the company currency on the card, with the revenue
        and customers it rests on."""
        data = self.invoiced_clv()
        self.assertClv(data, 11000.0)
        self.assertIn("11,000.00", data["clv_invoiced_display"])
        self.assertIn("$", data["clv_invoiced_display"])
        self.assertIn("5,500.00", data["clv_invoiced_detail"])
        self.assertTrue(data["clv_invoiced_detail"].endswith("customers: 2"))

    def test_invoiced_revenue_and_customers(self):
        """The hook returns the net revenue and counts A once, though one of
        its invoices is addressed to its contact Anna."""
        dashboard = self.dashboard()
        invoiced = dashboard._query_invoiced(dashboard._parse_filters(self.q1()))
        self.assertEqual(invoiced, {"revenue": 5500.0, "customers": 2})

    def test_margin_and_lifespan_settings(self):
        """With 40 % margin and 36 months: 916.67 x 40 % x 36 = 13 200."""
        self.roi_company.write(
            {"roi_gross_margin_pct": 40.0, "roi_lifespan_months": 36}
        )
        self.assertClv(self.invoiced_clv(), 13200.0)

    def test_credit_notes_reduce_clv(self):
        """Without A's credit note of 500 the revenue is 6 000 and the CLV
        12 000; with it, 11 000."""
        self.assertClv(self.invoiced_clv(), 11000.0)
        self.refund_a.button_draft()
        self.refund_a.button_cancel()
        self.assertClv(self.invoiced_clv(), 12000.0)

    def test_draft_and_cancelled_invoices_ignored(self):
        """The draft invoice of 10 000 to B and the cancelled one of 7 000 to C
        do not count; once the draft is posted, revenue is 15 500 and the CLV
        15 500 / 2 / 3 x 50 % x 24 = 31 000."""
        self.assertEqual(self.draft_b.state, "draft")
        self.assertEqual(self.cancelled_c.state, "cancel")
        self.assertClv(self.invoiced_clv(), 11000.0)
        self.draft_b.action_post()
        self.assertClv(self.invoiced_clv(), 31000.0)

    def test_foreign_currency_invoice_at_company_amount(self):
        """B's invoice of 3 000 EUR at 2 EUR per USD counts 1 500 USD (it
        would make the CLV 14 000 if counted at 3 000)."""
        self.assertEqual(self.inv_b_eur.amount_untaxed, 3000.0)
        self.assertEqual(self.inv_b_eur.amount_untaxed_signed, 1500.0)
        self.assertClv(self.invoiced_clv(), 11000.0)

    def test_single_month_periods(self):
        """January: 3 000 for A in 1 month x 50 % x 24 = 36 000. February:
        Anna's 1 500 counts for A (the draft and cancelled invoices of that
        month do not): 18 000."""
        self.assertClv(
            self.invoiced_clv({"date_from": "2026-01-01", "date_to": "2026-01-31"}),
            36000.0,
        )
        self.assertClv(
            self.invoiced_clv({"date_from": "2026-02-01", "date_to": "2026-02-28"}),
            18000.0,
        )

    @freeze_time("2026-04-15")
    def test_period_presets(self):
        """On 15 April 2026, "last quarter" is Q1 (11 000) and "this month"
        is April: B's 900 in 1 month x 50 % x 24 = 10 800; the invoice of
        2025-12-31 counts in Q4 2025 only: 4 000 / 3 x 50 % x 24 = 16 000."""
        self.assertClv(self.invoiced_clv({"period": "last_quarter"}), 11000.0)
        self.assertClv(self.invoiced_clv({"period": "this_month"}), 10800.0)
        self.assertClv(
            self.invoiced_clv({"date_from": "2025-10-01", "date_to": "2025-12-31"}),
            16000.0,
        )

    def test_no_invoiced_customer_is_not_available(self):
        """Q2 2025 has only a credit note (no invoiced customer) and Q3 2025
        nothing: the card reads n/a, never 0."""
        for period in (
            {"date_from": "2025-04-01", "date_to": "2025-06-30"},
            {"date_from": "2025-07-01", "date_to": "2025-09-30"},
        ):
            data = self.invoiced_clv(period)
            self.assertTrue(data["invoices_available"])
            self.assertIsNone(data["clv_invoiced"])
            self.assertEqual(data["clv_invoiced_display"], "n/a")

    def test_team_and_source_filters_not_available(self):
        """Invoices have neither the lead's team nor its source: under those
        filters the card reads n/a rather than a company figure."""
        for extra in (
            {"team_id": self.roi_team.id},
            {"source_id": self.src_google.id},
        ):
            data = self.invoiced_clv(self.q1(**extra))
            self.assertTrue(data["invoices_available"])
            self.assertEqual(data["clv_invoiced_display"], "n/a")
            self.assertEqual(
                data["clv_invoiced_detail"], "Invoices have no team or source"
            )

    def test_ltv_cac_and_payback_stay_on_won_deals(self):
        """LTV:CAC and CAC payback use the CLV from won deals (12 000): 12 000
        / 905 = 13.26 and 905 / 500 = 1.81 months, whatever is invoiced."""
        kpis = self.kpis(self.invoiced_clv())
        self.assertAlmostEqual(kpis["clv"]["value"], 12000.0, places=2)
        self.assertAlmostEqual(kpis["ltv_cac"]["value"], 12000 / 905, places=4)
        self.assertAlmostEqual(kpis["payback"]["value"], 905 / 500, places=4)
        self.draft_b.action_post()
        kpis = self.kpis(self.invoiced_clv())
        self.assertAlmostEqual(kpis["ltv_cac"]["value"], 12000 / 905, places=4)

    def test_other_company_invoices_not_counted(self):
        """Each company's card counts its own invoices: a new invoice of 6 000
        to C in the ROI company changes its figure (11 500 for 3 customers:
        11 500 / 3 / 3 x 50 % x 24 = 15 333.33), not the main company's."""
        main = self.dashboard().with_company(self.env.ref("base.main_company"))
        f = main._parse_filters(self.q1())
        before = main._query_invoiced(f)
        self._invoice(self.cust_c, "2026-02-20", 6000)
        self.assertEqual(main._query_invoiced(f), before)
        self.assertClv(self.invoiced_clv(), 46000.0 / 3)

    def test_one_query(self):
        """The figure is one query over account_move, whatever the number of
        invoices."""
        dashboard = self.dashboard()
        f = dashboard._parse_filters(self.q1())
        dashboard._query_invoiced(f)
        with self.assertQueryCount(1):
            dashboard._query_invoiced(f)


@tagged("post_install", "-at_install")
class TestInvoicedClvAccess(RoiAccountCommon):
    """Who sees the invoiced CLV and the invoices behind it."""

    @users("roi_owner")
    def test_owner_sees_figure_without_invoicing_rights(self):
        """An owner without Invoicing rights reads the figure (a company
        figure), but is told which right opens the invoices behind it (and
        the refusal is logged)."""
        dashboard = self.env["crm.smb.roi.dashboard"]
        # With Sales installed, sales managers (so owners) may read invoices:
        # take that right back so that this owner has no Invoicing rights.
        self.env["ir.model.access"].sudo().search(
            [
                ("model_id.model", "=", "account.move"),
                ("group_id", "in", self.env.user.all_group_ids.ids),
                ("perm_read", "=", True),
            ]
        ).active = False
        self.assertFalse(self.env["account.move"].has_access("read"))
        data = dashboard.get_dashboard_data(self.q1())
        self.assertAlmostEqual(data["clv_invoiced"], 11000.0, places=2)
        with (
            self.assertLogs("odoo.addons.crm_smb_roi_account", "WARNING"),
            self.assertRaisesRegex(AccessError, "Invoicing or Accounting"),
        ):
            dashboard.action_open_kpi("clv_invoiced", self.q1())

    @users("roi_owner_billing")
    def test_owner_with_invoicing_opens_the_invoices(self):
        """The card lists exactly the posted invoices and credit notes it
        counts: A's two, B's in EUR and A's credit note."""
        dashboard = self.env["crm.smb.roi.dashboard"]
        action = dashboard.action_open_kpi("clv_invoiced", self.q1())
        self.assertEqual(action["res_model"], "account.move")
        moves = self.env["account.move"].search(action["domain"])
        self.assertEqual(
            moves, self.inv_a | self.inv_anna | self.inv_b_eur | self.refund_a
        )
        self.assertEqual(sum(moves.mapped("amount_untaxed_signed")), 5500.0)

    @users("roi_seller", "smb_manager")
    def test_salesperson_sees_no_figure(self):
        """A salesperson or a sales manager gets neither the dashboard nor its
        invoice list (both are for owners)."""
        dashboard = self.env["crm.smb.roi.dashboard"]
        with self.assertRaises(AccessError):
            dashboard.get_dashboard_data(self.q1())
        with self.assertRaises(AccessError):
            dashboard.action_open_kpi("clv_invoiced", self.q1())

    @users("roi_owner_billing")
    def test_other_figures_still_open(self):
        """The bridge leaves the other cards' drill-downs to crm_smb_roi."""
        action = self.env["crm.smb.roi.dashboard"].action_open_kpi(
            "won_revenue", self.q1()
        )
        self.assertEqual(action["res_model"], "crm.lead")
