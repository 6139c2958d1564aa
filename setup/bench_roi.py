"""ROI benchmark: the owner dashboard against Odoo's own grouped reads.

``run(env, scale)`` measures, on the database prepared by ``setup/bench``:

- ``dashboard_200k_median_ms``: ``crm.smb.roi.dashboard.get_dashboard_data``
  for the last 12 months (current and previous period, chart, ROI by source),
  median of several calls;
- ``read_group_200k_median_ms``: the grouped reads (``_read_group``, what
  Odoo's Pipeline Analysis runs) that give the same figures over the same
  grouping, listed in ``_odoo_grouped_reads``; customers are grouped by
  contact there (by commercial entity on the dashboard), and the first won
  date per customer is read for every customer, as the dashboard does;
- ``ratio_to_read_group``: the first divided by the second (below 1 means the
  dashboard is faster);
- ``read_group_subset_200k_median_ms`` and ``ratio_to_read_group_subset``: the
  same against only the grouped reads a Pipeline Analysis can answer without
  customer figures (a narrower job than the dashboard's).

Both are timed alternately (one call of each per round), so that load from
other processes weighs on both alike.

Costs: 24 months of monthly costs per source and category are added when the
database has none (in the benchmark's transaction, rolled back afterwards).
Customers: the issue sizes the figure at 50k customers; when the won deals
belong to fewer commercial entities, lost deals of contacts that are not
customers yet are turned into won deals (one per entity, same transaction,
rolled back) until there are 50k.
The figure names carry "200k" as BENCH.md asks; ``leads_count`` and
``customers_count`` say what the database really held.
"""

import statistics
import time
from datetime import date

RUNS = 11
CUSTOMERS = 50_000
CATEGORIES = ("ads", "events", "staff_time", "tools")


def _add_costs(env, company, today):
    Cost = env["crm.smb.cost"]
    if Cost.search_count([("company_id", "=", company.id)], limit=1):
        return 0
    sources = env["utm.source"].search([], limit=8)
    vals_list = []
    for months_back in range(24):
        index = today.year * 12 + today.month - 1 - months_back
        month = date(index // 12, index % 12 + 1, 1)
        for source in sources:
            for amount, category in enumerate(CATEGORIES, start=1):
                vals_list.append(
                    {
                        "name": f"Bench {category} {month:%Y-%m}",
                        "amount": 100.0 * amount,
                        "category": category,
                        "date_start": month,
                        "source_id": source.id,
                        "company_id": company.id,
                    }
                )
        vals_list.append(
            {
                "name": f"Bench CRM {month:%Y-%m}",
                "amount": 300.0,
                "category": "crm_subscription",
                "date_start": month,
                "company_id": company.id,
            }
        )
    Cost.create(vals_list)
    return len(vals_list)


def _customers(env):
    env.cr.execute(
        """SELECT COUNT(DISTINCT p.commercial_partner_id)
             FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
            WHERE l.won_status = 'won'"""
    )
    return env.cr.fetchone()[0]


def _top_up_customers(env, target=CUSTOMERS):
    """Win lost deals of non-customers until ``target`` customers exist.

    SQL, as the benchmark's data set-up (no business rule to run): the deal
    keeps its dates and amount, and only its outcome changes.
    """
    env.flush_all()
    missing = target - _customers(env)
    if missing <= 0:
        return 0
    env.cr.execute(
        """
        WITH customers AS (
            SELECT DISTINCT p.commercial_partner_id AS id
              FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.won_status = 'won'
        ), picked AS (
            SELECT DISTINCT ON (p.commercial_partner_id) l.id
              FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.won_status = 'lost' AND l.date_closed IS NOT NULL
               AND p.commercial_partner_id NOT IN (SELECT id FROM customers)
             ORDER BY p.commercial_partner_id, l.id
             LIMIT %s
        )
        UPDATE crm_lead l
           SET won_status = 'won', active = TRUE, probability = 100,
               lost_reason_id = NULL,
               stage_id = (SELECT id FROM crm_stage WHERE is_won
                            ORDER BY sequence LIMIT 1)
          FROM picked WHERE picked.id = l.id
        """,
        (missing,),
    )
    won = env.cr.rowcount
    env.invalidate_all()
    return won


def _interleaved_medians_ms(*functions, runs=RUNS):
    """Median wall time of each function, the functions run in turn.

    Taking turns keeps them all exposed to the same machine load, so their
    ratios hold even when other work runs on the machine.
    """
    for function in functions:
        function()  # warm-up: caches, plans
    timings = tuple([] for _ in functions)
    for _ in range(runs):
        for function, bucket in zip(functions, timings, strict=True):
            started = time.perf_counter()
            function()
            bucket.append((time.perf_counter() - started) * 1000.0)
    return tuple(round(statistics.median(bucket), 1) for bucket in timings)


def _odoo_grouped_reads(env, filters, subset=False):
    """The dashboard's figures through Odoo's own grouped reads.

    Per period (current and previous): created leads by type; decided deals
    by outcome with revenue; won deals by customer (the number of groups is
    the number of customers) and by cycle length (for the median). Then the
    first won date of every customer (new customers), the open pipeline, won
    revenue by source and by month, and spend by month and source.

    ``subset`` keeps only what a Pipeline Analysis shows without customer
    figures (no customers, cycle histogram, first won dates, spend): the
    narrower comparison, reported as ``read_group_subset_200k_median_ms``.
    """
    Lead = env["crm.lead"].with_context(active_test=False)
    counted = ["|", ("active", "=", True), ("won_status", "=", "lost")]
    periods = (
        (filters["date_from"], filters["date_to"]),
        (filters["prev_from"], filters["prev_to"]),
    )
    for start, end in periods:
        end = end + " 23:59:59"
        created = [("create_date", ">=", start), ("create_date", "<=", end)]
        closed = [("date_closed", ">=", start), ("date_closed", "<=", end)]
        won = [("won_status", "=", "won"), *closed]
        Lead._read_group(counted + created, ["type"], ["__count"])
        Lead._read_group(
            [*closed, ("won_status", "in", ("won", "lost"))],
            ["won_status"],
            ["__count", "expected_revenue:sum", "day_close:avg"],
        )
        if not subset:
            Lead._read_group(won, ["partner_id"], ["__count"])
            Lead._read_group(won, ["day_close"], ["__count"])
    if not subset:
        Lead._read_group(
            [("won_status", "=", "won")], ["partner_id"], ["date_closed:min"]
        )
    start, end = filters["date_from"], filters["date_to"] + " 23:59:59"
    won = [
        ("won_status", "=", "won"),
        ("date_closed", ">=", start),
        ("date_closed", "<=", end),
    ]
    Lead._read_group(
        [("type", "=", "opportunity"), ("won_status", "=", "pending")],
        [],
        ["__count", "expected_revenue:sum", "prorated_revenue:sum"],
    )
    Lead._read_group(won, ["source_id"], ["__count", "expected_revenue:sum"])
    Lead._read_group(won, ["date_closed:month"], ["expected_revenue:sum"])
    if not subset:
        env["crm.smb.cost"]._read_group(
            [("date_start", ">=", filters["prev_from"]), ("date_start", "<=", end)],
            ["date_start:month", "source_id"],
            ["amount_company:sum"],
        )


def run(env, scale):
    company = env.company
    today = date.today()
    added = _add_costs(env, company, today)
    won_added = _top_up_customers(env)
    env.flush_all()
    env.cr.execute("ANALYZE crm_lead")
    env.cr.execute("ANALYZE crm_smb_cost")
    board = env["crm.smb.roi.dashboard"].with_company(company)
    filters = {"period": "last_12_months"}
    data = board.get_dashboard_data(filters)
    dashboard_ms, read_group_ms, subset_ms = _interleaved_medians_ms(
        lambda: board.get_dashboard_data(filters),
        lambda: _odoo_grouped_reads(env, data["filters"]),
        lambda: _odoo_grouped_reads(env, data["filters"], subset=True),
    )
    env.cr.execute("SELECT COUNT(*) FROM crm_lead")
    leads = env.cr.fetchone()[0]
    customers = _customers(env)
    return {
        "dashboard_200k_median_ms": dashboard_ms,
        "read_group_200k_median_ms": read_group_ms,
        "ratio_to_read_group": round(dashboard_ms / read_group_ms, 2),
        "read_group_subset_200k_median_ms": subset_ms,
        "ratio_to_read_group_subset": round(dashboard_ms / subset_ms, 2),
        "leads_count": leads,
        "customers_count": customers,
        "costs_added_count": added,
        "lost_deals_won_count": won_added,
    }
