"""Formulas behind every ROI figure; readme/USAGE.md gives a worked example of each.

Conventions:

- rates (conversion, win rate, ROI) are returned as percentages (0-100+);
- money is in the company currency, already converted by the caller;
- ``None`` means "not available" (zero or missing denominator, no data).
"""

from statistics import median as _median

NOT_AVAILABLE = "n/a"


def ratio(numerator, denominator):
    """``numerator / denominator``, or None when the denominator is 0 or None."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _pct(value):
    return None if value is None else value * 100.0


def conversion_rate(converted, total):
    """Share of ``total`` records that reached the next step, in percent."""
    return _pct(ratio(converted, total))


def win_rate(won, lost):
    """Won over decided (won plus lost) opportunities, in percent."""
    return _pct(ratio(won, (won or 0) + (lost or 0)))


def average_deal(won_revenue, won_count):
    """Average revenue of a won opportunity."""
    return ratio(won_revenue, won_count)


def mean(values):
    """Arithmetic mean of a list of numbers, None for an empty list."""
    values = [value for value in values if value is not None]
    return ratio(float(sum(values)), len(values))


def median(values):
    """Median of a list of numbers, None for an empty list."""
    values = [value for value in values if value is not None]
    return float(_median(values)) if values else None


def median_from_counts(counts):
    """Median of values given as ``{value: how many times}``; None when empty.

    Lets the database return a small histogram (sales cycles are whole days)
    instead of every value.
    """
    counts = {value: n for value, n in counts.items() if value is not None and n}
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts)
    middle = (total - 1) / 2  # 0-based position(s) of the median

    def value_at(position):
        seen = 0
        for value in ordered:
            seen += counts[value]
            if position < seen:
                return value
        return ordered[-1]

    return (value_at(int(middle)) + value_at(int(middle + 0.5))) / 2.0


def pipeline_velocity(open_count, win_rate_pct, avg_deal, cycle_days):
    """Expected revenue per day flowing out of the pipeline.

    ``open opportunities x win rate x average deal / cycle days``; undefined
    when any factor is unknown or the cycle is 0 days.
    """
    if win_rate_pct is None or avg_deal is None or open_count is None:
        return None
    return ratio(open_count * (win_rate_pct / 100.0) * avg_deal, cycle_days)


def cac(spend, new_customers):
    """Customer acquisition cost: spend over new customers."""
    return ratio(spend, new_customers)


def clv(won_revenue, customers, period_months, margin_pct, lifespan_months):
    """Customer lifetime value (gross margin a customer brings over its life).

    ``won_revenue / customers / period_months`` is the monthly revenue of a
    customer over the observed period; times ``margin_pct / 100`` gives the
    monthly gross margin; times ``lifespan_months`` gives the value.
    """
    monthly = monthly_margin_per_customer(
        won_revenue, customers, period_months, margin_pct
    )
    if monthly is None or lifespan_months is None:
        return None
    return monthly * lifespan_months


def monthly_margin_per_customer(won_revenue, customers, period_months, margin_pct):
    """Gross margin one customer brings per month over the observed period."""
    per_customer = ratio(won_revenue, customers)
    per_month = ratio(per_customer, period_months)
    if per_month is None or margin_pct is None:
        return None
    return per_month * margin_pct / 100.0


def ltv_to_cac(clv_value, cac_value):
    """Lifetime value over acquisition cost (3 or more is healthy)."""
    return ratio(clv_value, cac_value)


def cac_payback_months(cac_value, won_revenue, customers, period_months, margin_pct):
    """Months of a customer's gross margin needed to earn back its CAC."""
    monthly = monthly_margin_per_customer(
        won_revenue, customers, period_months, margin_pct
    )
    return ratio(cac_value, monthly)


def roi(won_revenue, spend, margin_pct):
    """Return on spend in percent: ``(revenue x margin - spend) / spend``."""
    if won_revenue is None or margin_pct is None:
        return None
    return _pct(ratio(won_revenue * margin_pct / 100.0 - (spend or 0.0), spend))


def crm_roi(
    period_revenue,
    period_months,
    baseline_revenue,
    baseline_months,
    crm_cost,
    margin_pct,
):
    """Return of the CRM itself, in percent, against the months before adoption.

    The uplift is the monthly won revenue of the period minus the monthly won
    revenue of the baseline, over the period's months, at gross margin:
    ``(period/months - baseline/baseline_months) x months x margin``. The CRM's
    return is that uplift net of the CRM's own cost, over that cost.
    Undefined without a baseline (no months) or without CRM cost.
    """
    period_monthly = ratio(period_revenue, period_months)
    baseline_monthly = ratio(baseline_revenue, baseline_months)
    if period_monthly is None or baseline_monthly is None or margin_pct is None:
        return None
    uplift = (period_monthly - baseline_monthly) * period_months * margin_pct / 100.0
    return _pct(ratio(uplift - (crm_cost or 0.0), crm_cost))


def trend_pct(current, previous):
    """Change against the previous period in percent; None without a base."""
    if current is None or previous is None:
        return None
    change = ratio(current - previous, abs(previous))
    return _pct(change)


def format_metric(value, digits=2, suffix=""):
    """Text for a figure: "n/a" for undefined figures, rounded otherwise."""
    if value is None:
        return NOT_AVAILABLE
    return f"{value:,.{digits}f}{suffix}"
