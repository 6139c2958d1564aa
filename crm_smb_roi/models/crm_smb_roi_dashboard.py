import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

from ..metrics import formulas
from ..metrics.periods import (
    add_months,
    month_end,
    month_start,
    months_in_period,
    preset_period,
    previous_period,
)

_logger = logging.getLogger(__name__)

# Value of the source filter that selects leads and costs without a source.
UNKNOWN_SOURCE = "unknown"
# How many months the revenue / spend chart shows, ending with the period.
CHART_MONTHS = 12
# A lead counts when open or lost (lost leads are archived by Odoo); leads
# archived without being lost were discarded and count nowhere.
COUNTED_LEAD = SQL("(l.active OR l.won_status = 'lost')")
# The first won deal of a customer is the MIN of (closing second x span + id):
# one integer instead of an array, with the id as tie-breaker (ids < span).
FIRST_WON_ID_SPAN = 10**8


class CrmSmbRoiDashboard(models.AbstractModel):
    """Figures of the owner dashboard and of the monthly ROI report.

    ``get_dashboard_data`` returns everything the screen shows in one call,
    computed by a handful of set-based queries; ``action_open_kpi`` returns
    the window action listing the records behind a figure. Periods are whole
    calendar months, so that costs spread over months add up exactly.
    """

    _name = "crm.smb.roi.dashboard"
    _description = "ROI Dashboard"

    # Filters

    @api.model
    def _check_dashboard_access(self):
        if not self.env.user.has_group("crm_smb_core.group_smb_owner"):
            raise AccessError(
                self.env._("The ROI dashboard is for owners (SMB Owner role).")
            )

    @api.model
    def _parse_filters(self, filters):
        """Normalise the filters sent by the screen into dates and ids."""
        filters = dict(filters or {})
        today = fields.Date.context_today(self)
        if filters.get("date_from") and filters.get("date_to"):
            date_from = month_start(fields.Date.to_date(filters["date_from"]))
            date_to = month_end(fields.Date.to_date(filters["date_to"]))
            if date_to < date_from:
                raise UserError(
                    self.env._(
                        "The period ends (%(end)s) before it starts (%(start)s).",
                        start=date_from,
                        end=date_to,
                    )
                )
        else:
            date_from, date_to = preset_period(
                filters.get("period") or "this_quarter", today
            )
        prev_from, prev_to = previous_period(date_from, date_to)
        source = filters.get("source_id") or False
        if source not in (False, UNKNOWN_SOURCE):
            source = int(source)
        return {
            "period": filters.get("period") or "this_quarter",
            "date_from": date_from,
            "date_to": date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            "team_id": int(filters.get("team_id") or 0) or False,
            "source_id": source,
        }

    @api.model
    def _company_sql(self, alias="l"):
        """Leads of the current company, and leads without company."""
        return SQL(
            "(%s.company_id = %s OR %s.company_id IS NULL)",
            SQL.identifier(alias),
            self.env.company.id,
            SQL.identifier(alias),
        )

    @api.model
    def _lead_filter_sql(self, f, alias="l", with_company=True):
        conditions = [self._company_sql(alias) if with_company else SQL("TRUE")]
        if f["team_id"]:
            conditions.append(
                SQL("%s.team_id = %s", SQL.identifier(alias), f["team_id"])
            )
        if f["source_id"] == UNKNOWN_SOURCE:
            conditions.append(SQL("%s.source_id IS NULL", SQL.identifier(alias)))
        elif f["source_id"]:
            conditions.append(
                SQL("%s.source_id = %s", SQL.identifier(alias), f["source_id"])
            )
        return SQL(" AND ").join(conditions)

    @api.model
    def _lead_filter_domain(self, f):
        # Leads without company belong to every company (Odoo's convention).
        domain = [("company_id", "in", (self.env.company.id, False))]
        if f["team_id"]:
            domain.append(("team_id", "=", f["team_id"]))
        if f["source_id"] == UNKNOWN_SOURCE:
            domain.append(("source_id", "=", False))
        elif f["source_id"]:
            domain.append(("source_id", "=", f["source_id"]))
        return domain

    @staticmethod
    def _bounds(date_from, date_to):
        """Datetime bounds [start, end) of a period of dates."""
        return (
            datetime.combine(date_from, time.min),
            datetime.combine(date_to + timedelta(days=1), time.min),
        )

    # Queries. SQL because each is one pass over crm_lead / crm_smb_cost with
    # many conditional aggregates (FILTER, medians, DISTINCT ON) that grouped
    # ORM reads would need one query per figure for.

    @api.model
    def _query_lead_figures(self, f):
        """Created, converted and lost leads per period, and the open pipeline:
        one pass over crm_lead with conditional counts."""
        periods = {
            "cur": self._bounds(f["date_from"], f["date_to"]),
            "prev": self._bounds(f["prev_from"], f["prev_to"]),
        }
        columns = []
        for key, (start, end) in periods.items():
            created = SQL("l.create_date >= %s AND l.create_date < %s", start, end)
            columns += [
                SQL(
                    "COUNT(*) FILTER (WHERE %s) AS %s",
                    created,
                    SQL.identifier(f"leads_{key}"),
                ),
                SQL(
                    "COUNT(*) FILTER (WHERE %s AND (l.type = 'opportunity' "
                    "OR l.date_conversion IS NOT NULL)) AS %s",
                    created,
                    SQL.identifier(f"opportunities_{key}"),
                ),
                SQL(
                    "COUNT(*) FILTER (WHERE l.won_status = 'lost' "
                    "AND l.date_closed >= %s AND l.date_closed < %s) AS %s",
                    start,
                    end,
                    SQL.identifier(f"lost_{key}"),
                ),
            ]
        open_opportunity = SQL(
            "l.active AND l.type = 'opportunity' AND l.won_status = 'pending'"
        )
        columns += [
            SQL("COUNT(*) FILTER (WHERE %s) AS open_count", open_opportunity),
            SQL(
                "COALESCE(SUM(l.expected_revenue) FILTER (WHERE %s), 0) AS open_value",
                open_opportunity,
            ),
            SQL(
                "COALESCE(SUM(l.prorated_revenue) FILTER (WHERE %s), 0) "
                "AS weighted_value",
                open_opportunity,
            ),
        ]
        query = SQL(
            "SELECT %s FROM crm_lead l WHERE %s AND %s",
            SQL(", ").join(columns),
            COUNTED_LEAD,
            self._lead_filter_sql(f),
        )
        return self.env.execute_query_dict(query)[0]

    @api.model
    def _query_won_figures(self, f, chart_from):
        """Every figure drawn from won deals, in one statement.

        The won deals of the company are read once (CTE ``won``); from them:
        per period the count, revenue, mean and median cycle and distinct
        customers; new customers per period and source (a customer is new in
        the period of its first won deal, whose team and source must match
        the filters); won revenue per month for the chart; revenue per source;
        and the baseline revenue before the CRM's adoption.
        """
        cur = self._bounds(f["date_from"], f["date_to"])
        prev = self._bounds(f["prev_from"], f["prev_to"])
        chart = self._bounds(chart_from, f["date_to"])
        baseline = self._baseline_bounds()
        baseline = self._bounds(*baseline) if baseline else (None, None)
        query = SQL(
            """
            WITH won AS MATERIALIZED (
                SELECT l.id, l.date_closed, l.day_close, l.source_id,
                       COALESCE(l.expected_revenue, 0) AS revenue,
                       COALESCE(p.commercial_partner_id, -l.id) AS customer,
                       (%(filters)s) AS matches,
                       CASE WHEN l.date_closed >= %(cur_start)s
                                 AND l.date_closed < %(cur_end)s THEN 'cur'
                            WHEN l.date_closed >= %(prev_start)s
                                 AND l.date_closed < %(prev_end)s THEN 'prev'
                       END AS period
                  FROM crm_lead l
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                 WHERE %(company)s
                   AND l.won_status = 'won' AND l.date_closed IS NOT NULL
            ), firsts AS (
                SELECT MIN(EXTRACT(EPOCH FROM date_closed)::bigint
                           * %(id_span)s + id) %% %(id_span)s AS first_id,
                       bool_or(matches AND period = 'cur') AS bought_cur,
                       bool_or(matches AND period = 'prev') AS bought_prev
                  FROM won
                 GROUP BY customer
            )
            SELECT 'period' AS kind, period, NULL::int AS source_id,
                   NULL::date AS month, COUNT(*)::float8 AS n1,
                   SUM(revenue)::float8 AS n2, day_close::float8 AS n3,
                   NULL::float8 AS n4
              FROM won
             WHERE matches AND period IS NOT NULL
             GROUP BY period, day_close
            UNION ALL
            SELECT 'customers', NULL, NULL, NULL,
                   COUNT(*) FILTER (WHERE bought_cur),
                   COUNT(*) FILTER (WHERE bought_prev), NULL, NULL
              FROM firsts
            UNION ALL
            SELECT 'new', w.period, w.source_id, NULL, COUNT(*), NULL, NULL,
                   NULL
              FROM firsts
              JOIN won w ON w.id = firsts.first_id
             WHERE w.matches AND w.period IS NOT NULL
             GROUP BY w.period, w.source_id
            UNION ALL
            SELECT 'month', NULL, NULL, date_trunc('month', date_closed)::date,
                   NULL, SUM(revenue), NULL, NULL
              FROM won
             WHERE matches AND date_closed >= %(chart_start)s
               AND date_closed < %(chart_end)s
             GROUP BY 4
            UNION ALL
            SELECT 'source', NULL, source_id, NULL, COUNT(*), SUM(revenue), NULL,
                   NULL
              FROM won
             WHERE matches AND period = 'cur'
             GROUP BY source_id
            UNION ALL
            SELECT 'baseline', NULL, NULL, NULL, COUNT(*), SUM(revenue), NULL,
                   NULL
              FROM won
             WHERE matches AND date_closed >= %(baseline_start)s
               AND date_closed < %(baseline_end)s
            """,
            filters=self._lead_filter_sql(f, with_company=False),
            id_span=FIRST_WON_ID_SPAN,
            company=self._company_sql(),
            cur_start=cur[0],
            cur_end=cur[1],
            prev_start=prev[0],
            prev_end=prev[1],
            chart_start=chart[0],
            chart_end=chart[1],
            baseline_start=baseline[0],
            baseline_end=baseline[1],
        )
        result = {
            "cur": {
                "won": 0,
                "revenue": 0.0,
                "mean": None,
                "median": None,
                "customers": 0,
            },
            "prev": {
                "won": 0,
                "revenue": 0.0,
                "mean": None,
                "median": None,
                "customers": 0,
            },
            "new": {"cur": {}, "prev": {}},
            "months": {},
            "sources": {},
            "baseline_revenue": 0.0,
        }
        cycles = {"cur": {}, "prev": {}}
        for row in self.env.execute_query_dict(query):
            kind = row["kind"]
            if kind == "period":
                # One row per period and cycle length (a histogram of cycles).
                period = result[row["period"]]
                period["won"] += int(row["n1"])
                period["revenue"] += row["n2"] or 0.0
                cycles[row["period"]][row["n3"]] = int(row["n1"])
            elif kind == "customers":
                result["cur"]["customers"] = int(row["n1"])
                result["prev"]["customers"] = int(row["n2"])
            elif kind == "new":
                result["new"][row["period"]][row["source_id"]] = int(row["n1"])
            elif kind == "month":
                result["months"][row["month"]] = row["n2"] or 0.0
            elif kind == "source":
                result["sources"][row["source_id"]] = (int(row["n1"]), row["n2"] or 0.0)
            else:
                result["baseline_revenue"] = row["n2"] or 0.0
        for key, counts in cycles.items():
            result[key]["median"] = formulas.median_from_counts(counts)
            result[key]["mean"] = formulas.ratio(
                sum(days * n for days, n in counts.items() if days is not None),
                sum(n for days, n in counts.items() if days is not None),
            )
        return result

    @api.model
    def _first_won_sql(self, f, columns, tail=None):
        """Won leads that are the first won deal of their customer.

        A customer is the commercial entity of the lead's contact, or the lead
        itself when it has no contact. Team and source filters apply to that
        first deal: it is the one that acquired the customer.
        """
        company_id = self.env.company.id
        return SQL(
            """SELECT %(columns)s FROM (
                   SELECT DISTINCT ON (COALESCE(p.commercial_partner_id, -l.id))
                          l.id, l.date_closed, l.team_id, l.source_id, l.company_id
                     FROM crm_lead l
                     LEFT JOIN res_partner p ON p.id = l.partner_id
                    WHERE (l.company_id = %(company_id)s OR l.company_id IS NULL)
                      AND l.won_status = 'won' AND l.date_closed IS NOT NULL
                    ORDER BY COALESCE(p.commercial_partner_id, -l.id),
                             l.date_closed, l.id
               ) f
               WHERE %(filters)s %(tail)s""",
            columns=columns,
            tail=tail or SQL(),
            company_id=company_id,
            filters=self._lead_filter_sql(f, alias="f"),
        )

    @api.model
    def _cost_filter_sql(self, f):
        conditions = [
            SQL("k.company_id = %s", self.env.company.id),
            SQL("k.recurring IS NOT TRUE"),
            SQL("k.date_start IS NOT NULL"),
        ]
        if f["team_id"]:
            conditions.append(SQL("k.team_id = %s", f["team_id"]))
        if f["source_id"] == UNKNOWN_SOURCE:
            conditions.append(SQL("k.source_id IS NULL"))
        elif f["source_id"]:
            conditions.append(SQL("k.source_id = %s", f["source_id"]))
        return SQL(" AND ").join(conditions)

    @api.model
    def _query_monthly_spend(self, f, date_from, date_to):
        """Spend per (month, source, category), each cost spread over its days."""
        self.env["crm.smb.cost"].flush_model()
        query = SQL(
            """SELECT m.month::date AS month, k.source_id, k.category,
                      SUM(k.amount_company
                          * ((LEAST(COALESCE(k.date_end, k.date_start),
                                    (m.month + interval '1 month - 1 day')::date)
                              - GREATEST(k.date_start, m.month::date) + 1)::numeric
                             / (COALESCE(k.date_end, k.date_start)
                                - k.date_start + 1))) AS spend
                 FROM crm_smb_cost k
                 CROSS JOIN LATERAL generate_series(
                       date_trunc('month', k.date_start),
                       date_trunc('month', COALESCE(k.date_end, k.date_start)),
                       interval '1 month') AS m(month)
                WHERE %s
                  AND k.date_start <= %s
                  AND COALESCE(k.date_end, k.date_start) >= %s
                  AND m.month >= %s AND m.month <= %s
                GROUP BY 1, 2, 3""",
            self._cost_filter_sql(f),
            date_to,
            date_from,
            date_from,
            date_to,
        )
        return self.env.execute_query_dict(query)

    @api.model
    def _query_invoiced(self, f):
        """Extension point: invoiced revenue of the period ``f`` and its customers.

        Feeds the "CLV from invoices" card. An override returns
        ``{"revenue": float, "customers": int}`` (revenue in the company
        currency, refunds subtracted; customers counted once per commercial
        entity). This addon does not depend on Accounting, so here there is
        no invoice data: an empty dict, and the dashboard hides the card.
        ``crm_smb_roi_account`` (installed automatically with Accounting)
        overrides it.
        """
        return {}

    @api.model
    def _baseline_bounds(self):
        company = self.env.company
        if not company.roi_adoption_date:
            return None
        end = company.roi_adoption_date - timedelta(days=1)
        start = add_months(company.roi_adoption_date, -company.roi_baseline_months)
        return start, end

    # Figures

    @api.model
    def _compute_figures(self, f):
        """All figures for the filters ``f`` (see ``_parse_filters``)."""
        self.env["crm.lead"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        company = self.env.company
        margin = company.roi_gross_margin_pct
        lifespan = company.roi_lifespan_months
        chart_from = add_months(f["date_to"].replace(day=1), 1 - CHART_MONTHS)
        leads = self._query_lead_figures(f)
        won = self._query_won_figures(f, chart_from)
        spend_rows = self._query_monthly_spend(
            f, min(chart_from, f["prev_from"]), f["date_to"]
        )

        def spend_between(start, end, category=None):
            return sum(
                float(row["spend"])
                for row in spend_rows
                if start <= row["month"] <= end
                and (category is None or row["category"] == category)
            )

        figures = {}
        for key, start, end in (
            ("cur", f["date_from"], f["date_to"]),
            ("prev", f["prev_from"], f["prev_to"]),
        ):
            months = months_in_period(start, end)
            revenue = won[key]["revenue"]
            won_count = won[key]["won"]
            customers = won[key]["customers"]
            new_customers = sum(won["new"][key].values())
            spend = spend_between(start, end)
            win_rate = formulas.win_rate(won_count, leads[f"lost_{key}"])
            avg_deal = formulas.average_deal(revenue, won_count)
            mean_cycle = won[key]["mean"]
            median_cycle = won[key]["median"]
            cac = formulas.cac(spend, new_customers)
            clv = formulas.clv(revenue, customers, months, margin, lifespan)
            figures[key] = {
                "leads": leads[f"leads_{key}"],
                "conversion": formulas.conversion_rate(
                    leads[f"opportunities_{key}"], leads[f"leads_{key}"]
                ),
                "win_rate": win_rate,
                "won_revenue": revenue,
                "won_count": won_count,
                "avg_deal": avg_deal,
                "median_cycle": median_cycle,
                "mean_cycle": mean_cycle,
                "velocity": formulas.pipeline_velocity(
                    leads["open_count"], win_rate, avg_deal, mean_cycle
                ),
                "new_customers": new_customers,
                "spend": spend,
                "cac": cac,
                "clv": clv,
                "ltv_cac": formulas.ltv_to_cac(clv, cac),
                "payback": formulas.cac_payback_months(
                    cac, revenue, customers, months, margin
                ),
                "roi": formulas.roi(revenue, spend, margin),
                "crm_roi": self._crm_roi(
                    f,
                    won["baseline_revenue"],
                    revenue,
                    months,
                    spend_between(start, end, "crm_subscription"),
                ),
            }
        # Invoices carry neither the lead's team nor its source: the invoiced
        # CLV is a company figure, n/a under a team or source filter.
        invoiced = self._query_invoiced(f)
        figures["invoices_available"] = bool(invoiced)
        figures["invoiced"] = invoiced
        figures["cur"]["clv_invoiced"] = (
            formulas.clv(
                invoiced["revenue"],
                invoiced["customers"],
                months_in_period(f["date_from"], f["date_to"]),
                margin,
                lifespan,
            )
            if invoiced and not f["team_id"] and not f["source_id"]
            else None
        )
        figures["pipeline"] = {
            "open_count": leads["open_count"],
            "open_value": float(leads["open_value"]),
            "weighted_value": float(leads["weighted_value"]),
        }
        figures["chart"] = []
        month = chart_from
        while month <= f["date_to"]:
            figures["chart"].append(
                {
                    "month": month,
                    "revenue": won["months"].get(month, 0.0),
                    "spend": spend_between(month, month),
                }
            )
            month = add_months(month, 1)
        figures["sources"] = self._source_rows(f, won, spend_rows, margin)
        return figures

    @api.model
    def _crm_roi(self, f, baseline_revenue, revenue, months, crm_cost):
        """The CRM's own ROI; a company figure, so n/a under team/source filters."""
        baseline = self._baseline_bounds()
        if not baseline or f["team_id"] or f["source_id"]:
            return None
        return formulas.crm_roi(
            revenue,
            months,
            baseline_revenue,
            self.env.company.roi_baseline_months,
            crm_cost,
            self.env.company.roi_gross_margin_pct,
        )

    @api.model
    def _source_rows(self, f, won, spend_rows, margin):
        customers = won["new"]["cur"]
        spend = {}
        for row in spend_rows:
            if f["date_from"] <= row["month"] <= f["date_to"]:
                spend[row["source_id"]] = spend.get(row["source_id"], 0.0) + float(
                    row["spend"]
                )
        revenue = won["sources"]
        source_ids = set(revenue) | set(spend) | {s for s, c in customers.items() if c}
        names = {
            source.id: source.name
            for source in self.env["utm.source"].browse(
                [sid for sid in source_ids if sid]
            )
        }
        rows = []
        for source_id in source_ids:
            count, total = revenue.get(source_id, (0, 0.0))
            cost = spend.get(source_id, 0.0)
            new = customers.get(source_id, 0)
            rows.append(
                {
                    "source_id": source_id or UNKNOWN_SOURCE,
                    "name": names.get(source_id) or self.env._("Unknown source"),
                    "won_count": count,
                    "won_revenue": total,
                    "spend": cost,
                    "new_customers": new,
                    "cac": formulas.cac(cost, new),
                    "roi": formulas.roi(total, cost, margin),
                }
            )
        rows.sort(key=lambda row: (-row["won_revenue"], row["name"]))
        return rows

    # Screen

    @api.model
    def _kpi_specs(self):
        """(key, label, unit, higher is better, help) of each card, in order."""
        _ = self.env._
        return [
            ("leads", _("Leads"), "count", True, _("Leads created in the period")),
            (
                "conversion",
                _("Lead to Opportunity"),
                "pct",
                True,
                _("Created leads that became opportunities"),
            ),
            ("win_rate", _("Win Rate"), "pct", True, _("Won over won plus lost")),
            (
                "won_revenue",
                _("Won Revenue"),
                "money",
                True,
                _("Expected revenue of deals won"),
            ),
            (
                "avg_deal",
                _("Average Deal"),
                "money",
                True,
                _("Won revenue over won deals"),
            ),
            (
                "median_cycle",
                _("Median Sales Cycle"),
                "days",
                False,
                _("Days from creation to win (median)"),
            ),
            (
                "mean_cycle",
                _("Mean Sales Cycle"),
                "days",
                False,
                _("Days from creation to win (mean)"),
            ),
            (
                "velocity",
                _("Pipeline Velocity"),
                "money_day",
                True,
                _("Open opportunities x win rate x average deal / mean cycle"),
            ),
            (
                "new_customers",
                _("New Customers"),
                "count",
                True,
                _("Customers whose first deal was won in the period"),
            ),
            (
                "spend",
                _("Spend"),
                "money",
                False,
                _("Marketing and sales costs of the period"),
            ),
            ("cac", _("CAC"), "money", False, _("Spend over new customers")),
            (
                "clv",
                _("CLV"),
                "money",
                True,
                _("Monthly revenue per customer x margin x lifespan"),
            ),
            (
                "ltv_cac",
                _("LTV : CAC"),
                "ratio",
                True,
                _("CLV over CAC (3 or more is healthy)"),
            ),
            (
                "payback",
                _("CAC Payback"),
                "months",
                False,
                _("Months of margin to earn back the CAC"),
            ),
            ("roi", _("ROI"), "pct", True, _("(Won revenue x margin - spend) / spend")),
            (
                "crm_roi",
                _("CRM ROI"),
                "pct",
                True,
                _("Uplift over the pre-CRM baseline, net of CRM cost"),
            ),
        ]

    @api.model
    def _format(self, value, unit):
        if value is None:
            return formulas.NOT_AVAILABLE
        currency = self.env.company.currency_id
        if unit == "money":
            return format_amount(self.env, value, currency)
        if unit == "money_day":
            return self.env._(
                "%(amount)s / day", amount=format_amount(self.env, value, currency)
            )
        if unit == "pct":
            return formulas.format_metric(value, 1, " %")
        if unit == "days":
            return self.env._("%(days)s days", days=formulas.format_metric(value, 1))
        if unit == "months":
            return self.env._(
                "%(months)s months", months=formulas.format_metric(value, 1)
            )
        if unit == "count":
            return formulas.format_metric(value, 0)
        return formulas.format_metric(value, 2)

    @api.model
    def get_dashboard_data(self, filters=None):
        """Everything the owner dashboard shows, for the given filters.

        ``filters``: ``period`` (see ``_period_options``) or ``date_from`` and
        ``date_to`` (whole months), ``team_id``, ``source_id`` (an id or
        "unknown" for leads and costs without source).
        """
        self._check_dashboard_access()
        f = self._parse_filters(filters)
        figures = self._compute_figures(f)
        cur, prev = figures["cur"], figures["prev"]
        kpis = []
        for key, label, unit, higher_is_better, help_text in self._kpi_specs():
            trend = formulas.trend_pct(cur[key], prev[key])
            kpis.append(
                {
                    "key": key,
                    "label": label,
                    "help": help_text,
                    "value": cur[key],
                    "display": self._format(cur[key], unit),
                    "previous_display": self._format(prev[key], unit),
                    "trend": trend,
                    "trend_display": formulas.format_metric(trend, 1, " %"),
                    "good": None if not trend else (trend > 0) == higher_is_better,
                }
            )
        pipeline = figures["pipeline"]
        currency = self.env.company.currency_id
        for row in figures["sources"]:
            row.update(
                won_revenue_display=self._format(row["won_revenue"], "money"),
                spend_display=self._format(row["spend"], "money"),
                cac_display=self._format(row["cac"], "money"),
                roi_display=self._format(row["roi"], "pct"),
            )
        chart_max = max(
            [max(row["revenue"], row["spend"]) for row in figures["chart"]] or [0.0]
        )
        return {
            "filters": {
                "period": f["period"],
                "date_from": fields.Date.to_string(f["date_from"]),
                "date_to": fields.Date.to_string(f["date_to"]),
                "prev_from": fields.Date.to_string(f["prev_from"]),
                "prev_to": fields.Date.to_string(f["prev_to"]),
                "team_id": f["team_id"],
                "source_id": f["source_id"],
            },
            "kpis": kpis,
            "pipeline": {
                **pipeline,
                "open_value_display": self._format(pipeline["open_value"], "money"),
                "weighted_value_display": self._format(
                    pipeline["weighted_value"], "money"
                ),
            },
            "clv_invoiced": cur["clv_invoiced"],
            "clv_invoiced_display": self._format(cur["clv_invoiced"], "money"),
            "clv_invoiced_detail": self._invoiced_detail(f, figures["invoiced"]),
            "invoices_available": figures["invoices_available"],
            "chart": [
                {
                    "month": fields.Date.to_string(row["month"]),
                    "label": row["month"].strftime("%b %Y"),
                    "revenue": row["revenue"],
                    "spend": row["spend"],
                    "revenue_display": self._format(row["revenue"], "money"),
                    "spend_display": self._format(row["spend"], "money"),
                    "revenue_pct": 100.0 * row["revenue"] / chart_max
                    if chart_max
                    else 0,
                    "spend_pct": 100.0 * row["spend"] / chart_max if chart_max else 0,
                }
                for row in figures["chart"]
            ],
            "sources": figures["sources"],
            "options": self._filter_options(),
            "currency": currency.name,
        }

    @api.model
    def _invoiced_detail(self, f, invoiced):
        """Line under the "CLV from invoices" card: what the figure rests on."""
        if not invoiced:
            return ""
        if f["team_id"] or f["source_id"]:
            return self.env._("Invoices have no team or source")
        return self.env._(
            "Invoiced %(revenue)s; customers: %(customers)s",
            revenue=self._format(invoiced["revenue"], "money"),
            customers=invoiced["customers"],
        )

    @api.model
    def _period_options(self):
        """Periods of the filter; keys as understood by ``preset_period``."""
        _ = self.env._
        return [
            ("this_month", _("This month")),
            ("last_month", _("Last month")),
            ("this_quarter", _("This quarter")),
            ("last_quarter", _("Last quarter")),
            ("this_year", _("This year")),
            ("last_12_months", _("Last 12 months")),
        ]

    @api.model
    def _filter_options(self):
        teams = self.env["crm.team"].search_read(
            [("company_id", "in", (False, self.env.company.id))], ["name"]
        )
        sources = self.env["utm.source"].search_read([], ["name"], limit=200)
        return {
            "periods": [
                {"value": value, "label": label}
                for value, label in self._period_options()
            ],
            "teams": [{"id": t["id"], "name": t["name"]} for t in teams],
            "sources": [{"id": UNKNOWN_SOURCE, "name": self.env._("Unknown source")}]
            + [{"id": s["id"], "name": s["name"]} for s in sources],
        }

    # Monthly report

    @api.model
    def _cron_send_monthly_report(self):
        """Scheduled action: email last month's ROI report to each company's
        owners (users of the SMB Owner role with an email address).

        One PDF per company; a company whose report cannot be rendered (for
        example without wkhtmltopdf) is logged and skipped, the others are
        still sent.
        """
        owner_group = self.env.ref("crm_smb_core.group_smb_owner")
        today = fields.Date.context_today(self)
        date_from = add_months(month_start(today), -1)
        data = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(month_end(date_from)),
        }
        mails = self.env["mail.mail"]
        owners_all = owner_group.all_user_ids.filtered(
            lambda user: user.email and user.active and not user.share
        )
        for company in owners_all.company_ids:
            owners = owners_all.filtered(
                lambda user, company=company: company in user.company_ids
            )
            mails |= self._send_monthly_report(company, owners, data)
        _logger.info("Monthly ROI report: %s emails queued", len(mails))
        return mails

    @api.model
    def _send_monthly_report(self, company, owners, data):
        try:
            content, report_type = (
                self.env["ir.actions.report"]
                .with_company(company)
                ._render_qweb_pdf(
                    "crm_smb_roi.action_report_monthly_roi",
                    company.ids,
                    data=dict(data),
                )
            )
        except UserError:
            _logger.exception("Monthly ROI report of %s not rendered", company.name)
            return self.env["mail.mail"]
        month = data["date_from"][:7]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"roi-{company.id}-{month}.{report_type}",
                "raw": content,
                "res_model": "res.company",
                "res_id": company.id,
                "mimetype": "application/pdf" if report_type == "pdf" else "text/html",
            }
        )
        return self.env["mail.mail"].create(
            {
                "subject": self.env._(
                    "%(company)s: ROI report for %(month)s",
                    company=company.name,
                    month=month,
                ),
                "body_html": self.env._(
                    "<p>The ROI report of %(company)s for %(month)s is attached. "
                    "The owner dashboard (CRM > ROI) has the live figures.</p>",
                    company=company.name,
                    month=month,
                ),
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "email_to": ",".join(owners.mapped("email_formatted")),
                "recipient_ids": [(6, 0, owners.partner_id.ids)],
                "attachment_ids": [(6, 0, attachment.ids)],
                "auto_delete": True,
            }
        )

    # Drill-down

    @api.model
    def _lead_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "crm.lead",
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"active_test": False, "create": False},
        }

    @api.model
    def action_open_kpi(self, key, filters=None, month=None):
        """Window action listing the records behind a card, chart bar or row.

        ``key`` is a card key, ``"month"`` for a chart bar (with ``month``) or
        ``"source"`` for a row of the source table (``filters`` carry it).
        """
        self._check_dashboard_access()
        f = self._parse_filters(filters)
        base = self._lead_filter_domain(f)
        start, end = self._bounds(f["date_from"], f["date_to"])
        created = [("create_date", ">=", start), ("create_date", "<", end)]
        closed = [("date_closed", ">=", start), ("date_closed", "<", end)]
        counted = ["|", ("active", "=", True), ("won_status", "=", "lost")]
        _ = self.env._
        if key in ("leads",):
            return self._lead_action(_("Leads created"), base + counted + created)
        if key == "conversion":
            return self._lead_action(
                _("Opportunities created"),
                base
                + counted
                + created
                + ["|", ("type", "=", "opportunity"), ("date_conversion", "!=", False)],
            )
        if key == "win_rate":
            return self._lead_action(
                _("Won and lost"),
                base + closed + [("won_status", "in", ("won", "lost"))],
            )
        if key in (
            "won_revenue",
            "avg_deal",
            "median_cycle",
            "mean_cycle",
            "clv",
            "source",
        ):
            return self._lead_action(
                _("Won deals"), base + closed + [("won_status", "=", "won")]
            )
        if key == "month":
            month_from = fields.Date.to_date(month)
            m_start, m_end = self._bounds(month_from, month_end(month_from))
            return self._lead_action(
                _("Won deals"),
                [
                    *base,
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", m_start),
                    ("date_closed", "<", m_end),
                ],
            )
        if key == "velocity":
            return self._lead_action(
                _("Open opportunities"),
                [*base, ("type", "=", "opportunity"), ("won_status", "=", "pending")],
            )
        if key == "new_customers":
            # The first won deal of each customer: ids from the same query as
            # the figure, so the list always matches the card.
            rows = self.env.execute_query(
                self._first_won_sql(
                    f,
                    SQL("f.id"),
                    SQL("AND f.date_closed >= %s AND f.date_closed < %s", start, end),
                )
            )
            return self._lead_action(
                _("First deals of new customers"), [("id", "in", [r[0] for r in rows])]
            )
        if key in ("spend", "cac", "ltv_cac", "payback", "roi", "crm_roi"):
            domain = [
                ("company_id", "=", self.env.company.id),
                ("recurring", "=", False),
                ("date_start", "<=", f["date_to"]),
                "|",
                "&",
                ("date_end", "=", False),
                ("date_start", ">=", f["date_from"]),
                ("date_end", ">=", f["date_from"]),
            ]
            if key == "crm_roi":
                domain.append(("category", "=", "crm_subscription"))
            else:
                if f["team_id"]:
                    domain.append(("team_id", "=", f["team_id"]))
                if f["source_id"] == UNKNOWN_SOURCE:
                    domain.append(("source_id", "=", False))
                elif f["source_id"]:
                    domain.append(("source_id", "=", f["source_id"]))
            return {
                "type": "ir.actions.act_window",
                "name": _("Costs of the period"),
                "res_model": "crm.smb.cost",
                "views": [[False, "list"], [False, "form"]],
                "domain": domain,
            }
        raise UserError(_("Unknown dashboard figure “%(key)s”.", key=key))
