from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestDashboard(RoiCommon):
    """Every dashboard figure against the hand-computed worked example of
    readme/USAGE.md (Q1 2026 against Q4 2025)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = cls.env["crm.smb.roi.dashboard"].with_company(cls.roi_company)
        cls.data = data.get_dashboard_data(cls.q1())
        cls.k = cls.kpis(cls.data)

    def assertKpi(self, key, value, places=2):
        self.assertAlmostEqual(self.k[key]["value"], value, places=places, msg=key)

    def test_period_and_previous_period(self):
        """A quarter is compared with the quarter before it."""
        filters = self.data["filters"]
        self.assertEqual(
            (filters["prev_from"], filters["prev_to"]), ("2025-10-01", "2025-12-31")
        )

    def test_pipeline_counts(self):
        """6 leads created, 5 of them opportunities; 3 won and 1 lost."""
        self.assertKpi("leads", 6)
        self.assertKpi("conversion", 500 / 6)
        self.assertKpi("win_rate", 75.0)
        self.assertKpi("won_revenue", 6000.0)
        self.assertKpi("avg_deal", 2000.0)

    def test_sales_cycle(self):
        """Cycles of 20, 30 and 50 days: median 30, mean 33.33."""
        self.assertKpi("median_cycle", 30.0)
        self.assertKpi("mean_cycle", 100 / 3)

    def test_open_pipeline_and_velocity(self):
        """1 open opportunity of 5 000 at 40 %; velocity 1 x 75 % x 2 000 / 33.33
        = 45 a day."""
        self.assertEqual(self.data["pipeline"]["open_count"], 1)
        self.assertEqual(self.data["pipeline"]["open_value"], 5000.0)
        self.assertEqual(self.data["pipeline"]["weighted_value"], 2000.0)
        self.assertKpi("velocity", 45.0)

    def test_customers_and_acquisition_cost(self):
        """A and B are new (A's second deal does not count twice); spend is
        1 200 ads + 310 of the fair's 610 (31 of 61 days) + 300 CRM = 1 810."""
        self.assertKpi("new_customers", 2)
        self.assertKpi("spend", 1810.0)
        self.assertKpi("cac", 905.0)

    def test_lifetime_value_and_payback(self):
        """6 000 / 2 customers / 3 months = 1 000 a month, 500 at 50 % margin,
        x 24 months = 12 000; LTV:CAC 12 000 / 905; payback 905 / 500."""
        self.assertKpi("clv", 12000.0)
        self.assertKpi("ltv_cac", 12000.0 / 905.0)
        self.assertKpi("payback", 1.81)

    def test_roi_and_crm_roi(self):
        """ROI (3 000 - 1 810) / 1 810; CRM ROI: uplift (2 000 - 1 000) x 3 x 50 %
        = 1 500, net of 300 CRM cost: 400 %."""
        self.assertKpi("roi", 1190.0 / 1810.0 * 100)
        self.assertKpi("crm_roi", 400.0)

    def test_trends_against_previous_period(self):
        """Q4 2025: 2 leads, 2 000 won, 1 new customer, no spend."""
        self.assertEqual(self.k["leads"]["trend"], 200.0)
        self.assertEqual(self.k["won_revenue"]["trend"], 200.0)
        self.assertTrue(self.k["won_revenue"]["good"])
        self.assertEqual(self.k["new_customers"]["trend"], 100.0)

    def test_zero_denominators_show_not_available(self):
        """Q4 2025 had no spend: its ROI is "n/a", and so is the trend."""
        self.assertEqual(self.k["roi"]["previous_display"], "n/a")
        self.assertIsNone(self.k["roi"]["trend"])
        self.assertEqual(self.k["roi"]["trend_display"], "n/a")

    def test_empty_period_is_not_available_everywhere(self):
        """A period without any activity shows n/a, never 0 %, for ratios."""
        data = self.dashboard().get_dashboard_data(
            {"date_from": "2024-01-01", "date_to": "2024-01-31"}
        )
        k = self.kpis(data)
        for key in (
            "conversion",
            "win_rate",
            "avg_deal",
            "median_cycle",
            "cac",
            "clv",
            "roi",
        ):
            self.assertEqual(k[key]["display"], "n/a", key)
        self.assertEqual(k["leads"]["display"], "0")

    def test_roi_by_source_with_unknown_source(self):
        """Google: 4 000 won, 1 200 spent, 2 new customers; costs without source
        (the CRM subscription) appear as "Unknown source"."""
        rows = {row["name"]: row for row in self.data["sources"]}
        google = rows["ROI Google"]
        self.assertEqual(google["won_revenue"], 4000.0)
        self.assertEqual(google["spend"], 1200.0)
        self.assertEqual(google["cac"], 600.0)
        self.assertAlmostEqual(google["roi"], 800 / 1200 * 100)
        fair = rows["ROI Fair"]
        self.assertAlmostEqual(fair["spend"], 310.0)
        self.assertEqual(fair["cac_display"], "n/a")
        unknown = rows["Unknown source"]
        self.assertEqual(unknown["spend"], 300.0)
        self.assertEqual(unknown["roi"], -100.0)

    def test_source_filter(self):
        """Google only: 3 leads, 2 won of 3 decided, CRM ROI n/a (company figure)."""
        k = self.kpis(
            self.dashboard().get_dashboard_data(self.q1(source_id=self.src_google.id))
        )
        self.assertEqual(k["leads"]["value"], 3)
        self.assertAlmostEqual(k["win_rate"]["value"], 200 / 3)
        self.assertEqual(k["spend"]["value"], 1200.0)
        self.assertIsNone(k["crm_roi"]["value"])

    def test_unknown_source_filter(self):
        """Leads without source are found with the "Unknown source" filter."""
        k = self.kpis(self.dashboard().get_dashboard_data(self.q1(source_id="unknown")))
        self.assertEqual(k["leads"]["value"], 1)
        self.assertEqual(k["spend"]["value"], 300.0)

    def test_team_filter(self):
        """Another team's dashboard does not show this team's leads."""
        k = self.kpis(
            self.dashboard().get_dashboard_data(self.q1(team_id=self.smb_team.id))
        )
        self.assertEqual(k["leads"]["value"], 0)

    def test_chart_months(self):
        """Twelve bars ending with March 2026; March: 2 000 won, 100 + 310 spent."""
        chart = self.data["chart"]
        self.assertEqual(len(chart), 12)
        self.assertEqual(chart[-1]["month"], "2026-03-01")
        self.assertEqual(chart[-1]["revenue"], 2000.0)
        self.assertAlmostEqual(chart[-1]["spend"], 410.0)

    @freeze_time("2026-05-10")
    def test_preset_period(self):
        """ "Last quarter" on 10 May 2026 is Q1 2026."""
        data = self.dashboard().get_dashboard_data({"period": "last_quarter"})
        self.assertEqual(data["filters"]["date_from"], "2026-01-01")
        self.assertEqual(self.kpis(data)["won_revenue"]["value"], 6000.0)

    def test_drill_down_lists_the_records_behind_a_figure(self):
        """Each card opens exactly the records it counts."""
        board = self.dashboard()

        def records(key, **kw):
            action = board.action_open_kpi(key, self.q1(), **kw)
            model = self.env[action["res_model"]].with_context(
                **action.get("context", {})
            )
            return model.search(action["domain"])

        self.assertEqual(len(records("leads")), 6)
        self.assertEqual(records("won_revenue"), self.l1 | self.l2 | self.l3)
        self.assertEqual(records("win_rate"), self.l1 | self.l2 | self.l3 | self.l4)
        self.assertEqual(records("new_customers"), self.l1 | self.l2)
        self.assertEqual(records("velocity"), self.l6)
        self.assertEqual(records("month", month="2026-03-01"), self.l3)
        costs = records("spend")
        self.assertIn(self.cost_fair, costs)
        self.assertIn(self.cost_ads, costs)
        self.assertNotIn(self.cost_crm_template, costs)
        self.assertEqual(len(records("crm_roi")), 3)

    def test_dashboard_uses_few_queries(self):
        """The whole screen is five queries whatever the data: lead counts, won
        deals, spend, and the two filter option lists."""
        board = self.dashboard()
        board.get_dashboard_data(self.q1())
        with self.assertQueryCount(__system__=5):
            board.get_dashboard_data(self.q1())

    def test_other_companies_are_not_counted(self):
        """The main company's dashboard ignores the test company's deals."""
        data = self.env["crm.smb.roi.dashboard"].get_dashboard_data(self.q1())
        won = self.kpis(data)["won_revenue"]["value"]
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", (self.env.company.id, False)),
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", "2026-01-01"),
                    ("date_closed", "<", "2026-04-01"),
                ]
            )
        )
        self.assertEqual(won, sum(leads.mapped("expected_revenue")))
        self.assertFalse(leads & (self.l1 | self.l2 | self.l3))

    def test_invoiced_clv_needs_accounting(self):
        """Without Accounting there is no invoice data: the "CLV from invoices"
        card is hidden and its figure is n/a (no error), while the CLV from
        won deals of the same period is a number. crm_smb_roi_account tests
        the figure with Accounting installed."""
        if "account.move" in self.env:
            self.skipTest("Accounting is installed: crm_smb_roi_account tests it")
        self.assertEqual(self.dashboard()._query_invoiced(self.data["filters"]), {})
        self.assertFalse(self.data["invoices_available"])
        self.assertIsNone(self.data["clv_invoiced"])
        self.assertEqual(self.data["clv_invoiced_display"], "n/a")
        self.assertEqual(self.data["clv_invoiced_detail"], "")
        self.assertKpi("clv", 12000.0)

    @users("smb_manager")
    def test_dashboard_is_for_owners(self):
        """Managers cannot read the owner dashboard (it ignores lead record rules)."""
        with self.assertRaises(AccessError):
            self.env["crm.smb.roi.dashboard"].get_dashboard_data({})


@tagged("post_install", "-at_install")
class TestDashboardCurrency(RoiCommon):
    """Spend in another currency reaches the dashboard in the company currency."""

    def test_foreign_spend_is_converted(self):
        """200 XRC at 4 XRC per USD on 2024-06-10 is 50 USD of June spend."""
        currency = self.env["res.currency"].create(
            {"name": "XRC", "symbol": "C", "active": True}
        )
        self.env["res.currency.rate"].create(
            {
                "currency_id": currency.id,
                "name": "2024-06-01",
                "rate": 4.0,
                "company_id": False,
            }
        )
        self.env["crm.smb.cost"].create(
            {
                **self._cost_vals("Trade fair", 200, "2024-06-10"),
                "currency_id": currency.id,
            }
        )
        data = self.dashboard().get_dashboard_data(
            {"date_from": "2024-06-01", "date_to": "2024-06-30"}
        )
        self.assertEqual(self.kpis(data)["spend"]["value"], 50.0)
        self.assertEqual(self.kpis(data)["cac"]["display"], "n/a")
