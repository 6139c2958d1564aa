"""Formulas checked against values computed by hand (see readme/USAGE.md)."""

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..metrics import formulas as f


@tagged("post_install", "-at_install")
class TestMetricFormulas(BaseCase):
    """Every figure of the dashboard, from plain numbers; no database."""

    def test_conversion_rate(self):
        """40 leads, 10 became opportunities: 25 % conversion."""
        self.assertAlmostEqual(f.conversion_rate(10, 40), 25.0)

    def test_win_rate_counts_only_decided_opportunities(self):
        """3 won, 1 lost (open ones ignored): 75 % win rate."""
        self.assertAlmostEqual(f.win_rate(3, 1), 75.0)

    def test_average_deal(self):
        """12 000 won over 4 deals: 3 000 per deal."""
        self.assertAlmostEqual(f.average_deal(12000.0, 4), 3000.0)

    def test_median_and_mean_cycle(self):
        """Cycles of 10, 20 and 60 days: median 20, mean 30."""
        self.assertAlmostEqual(f.median([10, 20, 60]), 20.0)
        self.assertAlmostEqual(f.mean([10, 20, 60]), 30.0)
        self.assertAlmostEqual(f.median([10, 20, 30, 60]), 25.0)

    def test_median_from_counts(self):
        """{10: 1, 20: 1, 60: 1} has median 20; {10: 2, 30: 2} has median 20."""
        self.assertEqual(f.median_from_counts({10: 1, 20: 1, 60: 1}), 20.0)
        self.assertEqual(f.median_from_counts({10: 2, 30: 2}), 20.0)
        self.assertEqual(f.median_from_counts({5: 3, 90: 1}), 5.0)
        self.assertIsNone(f.median_from_counts({}))

    @given(st.lists(st.integers(min_value=0, max_value=400), max_size=60))
    def test_median_from_counts_matches_median(self, values):
        """The histogram median equals the median of the values themselves."""
        counts = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        self.assertEqual(f.median_from_counts(counts), f.median(values))

    def test_pipeline_velocity(self):
        """20 open x 75 % x 3 000 / 30 days = 1 500 per day."""
        self.assertAlmostEqual(f.pipeline_velocity(20, 75.0, 3000.0, 30), 1500.0)

    def test_cac(self):
        """6 000 spent for 4 new customers: 1 500 per customer."""
        self.assertAlmostEqual(f.cac(6000.0, 4), 1500.0)

    def test_clv_uses_margin_and_lifespan(self):
        """12 000 from 4 customers in 3 months = 1 000 a month each; at 40 %
        margin 400 a month; over 24 months 9 600."""
        self.assertAlmostEqual(f.clv(12000.0, 4, 3, 40.0, 24), 9600.0)

    def test_ltv_to_cac(self):
        """CLV 9 600 over CAC 1 500 = 6.4."""
        self.assertAlmostEqual(f.ltv_to_cac(9600.0, 1500.0), 6.4)

    def test_cac_payback_months(self):
        """CAC 1 500 over 400 margin a month = 3.75 months."""
        self.assertAlmostEqual(f.cac_payback_months(1500.0, 12000.0, 4, 3, 40.0), 3.75)

    def test_roi(self):
        """12 000 revenue at 40 % margin = 4 800; spend 2 000: ROI 140 %."""
        self.assertAlmostEqual(f.roi(12000.0, 2000.0, 40.0), 140.0)

    def test_crm_roi_against_baseline(self):
        """Period: 30 000 in 3 months (10 000 a month); baseline 48 000 in 12
        months (4 000 a month). Uplift 6 000 x 3 months x 50 % = 9 000; CRM
        cost 3 000: (9 000 - 3 000) / 3 000 = 200 %."""
        self.assertAlmostEqual(f.crm_roi(30000.0, 3, 48000.0, 12, 3000.0, 50.0), 200.0)

    def test_crm_roi_can_be_negative(self):
        """No uplift at all: the CRM lost its own cost, -100 %."""
        self.assertAlmostEqual(f.crm_roi(12000.0, 3, 48000.0, 12, 500.0, 50.0), -100.0)

    def test_trend(self):
        """From 80 to 100 is +25 %; from 100 to 80 is -20 %."""
        self.assertAlmostEqual(f.trend_pct(100.0, 80.0), 25.0)
        self.assertAlmostEqual(f.trend_pct(80.0, 100.0), -20.0)

    def test_zero_denominators_are_not_available(self):
        """Nothing divides by zero and nothing pretends to be 0: "n/a"."""
        self.assertIsNone(f.conversion_rate(0, 0))
        self.assertIsNone(f.win_rate(0, 0))
        self.assertIsNone(f.average_deal(0.0, 0))
        self.assertIsNone(f.median([]))
        self.assertIsNone(f.mean([]))
        self.assertIsNone(f.pipeline_velocity(5, 50.0, 100.0, 0))
        self.assertIsNone(f.pipeline_velocity(5, None, 100.0, 10))
        self.assertIsNone(f.cac(1000.0, 0))
        self.assertIsNone(f.clv(1000.0, 0, 3, 40.0, 24))
        self.assertIsNone(f.ltv_to_cac(9600.0, None))
        self.assertIsNone(f.cac_payback_months(None, 1000.0, 2, 3, 40.0))
        self.assertIsNone(f.roi(1000.0, 0.0, 40.0))
        self.assertIsNone(f.crm_roi(1000.0, 3, 0.0, 0, 100.0, 50.0))
        self.assertIsNone(f.crm_roi(1000.0, 3, 100.0, 12, 0.0, 50.0))
        self.assertIsNone(f.trend_pct(10.0, 0.0))
        self.assertEqual(f.format_metric(None), "n/a")
        self.assertEqual(f.format_metric(1234.5), "1,234.50")
        self.assertEqual(f.format_metric(75.0, 1, " %"), "75.0 %")

    @given(
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=0, max_value=10**6),
    )
    def test_win_rate_bounds(self, won, lost):
        """Any counts give a win rate between 0 and 100, or n/a when none decided."""
        rate = f.win_rate(won, lost)
        if won + lost == 0:
            self.assertIsNone(rate)
        else:
            self.assertTrue(0.0 <= rate <= 100.0)
