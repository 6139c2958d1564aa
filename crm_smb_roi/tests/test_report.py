from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestReport(RoiCommon):
    """The ROI analysis and cohort SQL views give the worked example's figures
    at every grouping level."""

    def _group(self, model, groupby, aggregates, domain=()):
        return (
            self.env[model]
            .with_company(self.roi_company)
            ._read_group(
                [("company_id", "=", self.roi_company.id), *domain], groupby, aggregates
            )
        )

    def test_totals_of_the_quarter(self):
        """Totals of Q1 2026 match the dashboard's worked example."""
        [row] = self._group(
            "crm.smb.roi.report",
            [],
            [
                "lead_count:sum",
                "won_revenue:sum",
                "spend:sum",
                "win_rate:avg",
                "cac:avg",
                "roi:avg",
                "conversion_rate:avg",
                "average_cycle_days:avg",
            ],
            [("date", ">=", "2026-01-01"), ("date", "<=", "2026-03-31")],
        )
        leads, revenue, spend, win_rate, cac, roi, conversion, cycle = row
        self.assertEqual(leads, 6)
        self.assertEqual(revenue, 6000.0)
        self.assertAlmostEqual(spend, 1810.0)
        self.assertAlmostEqual(win_rate, 75.0)
        self.assertAlmostEqual(cac, 905.0)
        self.assertAlmostEqual(roi, 1190 / 1810 * 100)
        self.assertAlmostEqual(conversion, 500 / 6)
        self.assertAlmostEqual(cycle, 100 / 3)

    def test_spend_is_spread_over_months(self):
        """The fair's 610 over March and April: 310 and 300."""
        rows = self._group(
            "crm.smb.roi.report",
            ["date:month"],
            ["spend:sum"],
            [("cost_id", "=", self.cost_fair.id)],
        )
        self.assertEqual(
            [(month.strftime("%Y-%m"), round(spend, 2)) for month, spend in rows],
            [("2026-03", 310.0), ("2026-04", 300.0)],
        )

    def test_ratios_by_source(self):
        """Per source the ratios come from that source's sums; a source with
        no spend has no ROI (NULL, shown empty) rather than 0."""
        groups = self._group(
            "crm.smb.roi.report",
            ["source_id"],
            ["win_rate:avg", "roi:avg"],
            [("date", ">=", "2026-01-01"), ("date", "<=", "2026-03-31")],
        )
        rows = {source.name: (win_rate, roi) for source, win_rate, roi in groups}
        self.assertAlmostEqual(rows["ROI Google"][0], 200 / 3)
        self.assertAlmostEqual(rows["ROI Google"][1], 800 / 1200 * 100)
        self.assertIn(False, rows)  # leads and costs without source

    def test_cohorts_by_acquisition_month(self):
        """Customer A: acquired in January 2026, buys again 2 months later."""
        rows = self._group(
            "crm.smb.roi.cohort",
            ["partner_id", "acquisition_month:month", "months_since"],
            ["revenue:sum"],
            [("partner_id", "=", self.cust_a.id)],
        )
        self.assertEqual(
            [(m.strftime("%Y-%m"), since, rev) for __, m, since, rev in rows],
            [("2026-01", 0, 1000.0), ("2026-01", 2, 2000.0)],
        )

    @users("smb_salesperson")
    def test_salesperson_cannot_read_the_analysis(self):
        """Salespeople cannot open the ROI analysis."""
        with self.assertRaises(AccessError):
            self.env["crm.smb.roi.report"].search([], limit=1)

    @users("smb_marketing")
    def test_marketing_reads_the_analysis_of_its_companies(self):
        """Marketing reads the analysis, but only rows of its own companies."""
        rows = self.env["crm.smb.roi.report"].search(
            [("company_id", "=", self.roi_company.id)], limit=1
        )
        self.assertFalse(rows)
        self.assertTrue(
            self.env["crm.smb.roi.report"]
            .with_user(self.roi_owner)
            .search([("company_id", "=", self.roi_company.id)], limit=1)
        )
