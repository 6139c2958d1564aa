"""Metric formulas of the ROI addon, free of the ORM.

Every function takes plain numbers and returns a float, or ``None`` when the
figure is undefined (a zero or missing denominator). Screens show ``None`` as
"n/a" through :func:`format_metric`; nothing here ever returns 0 in place of
an undefined figure.
"""

from .formulas import (
    NOT_AVAILABLE,
    average_deal,
    cac,
    cac_payback_months,
    clv,
    conversion_rate,
    crm_roi,
    format_metric,
    ltv_to_cac,
    mean,
    median,
    median_from_counts,
    pipeline_velocity,
    ratio,
    roi,
    trend_pct,
    win_rate,
)
