from odoo import fields, models, tools
from odoo.tools import SQL

# Lead rows counted everywhere: open ones and lost ones (archived by Odoo when
# marked lost); leads archived without being lost were thrown away.
COUNTED_LEAD = "(l.active OR l.won_status = 'lost')"


class CrmSmbRoiReport(models.Model):
    """ROI analysis: one row per event, so every measure has its own month.

    A lead gives a "created" row in its creation month, a "closed" row in the
    month it was won or lost, and a "new customer" row when it is the first
    won deal of its customer; a cost gives one "spend" row per month of its
    period with the part of its amount that falls in that month. Sums of rows
    are the measures; the ratio measures (win rate, CAC, ROI...) are computed
    from those sums in ``_read_group_select`` so that they stay right at every
    level of a pivot.
    """

    _name = "crm.smb.roi.report"
    _description = "ROI Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "date"
    _depends = {
        "crm.lead": [
            "active",
            "won_status",
            "create_date",
            "date_closed",
            "type",
            "date_conversion",
            "expected_revenue",
            "day_close",
            "partner_id",
            "company_id",
            "team_id",
            "user_id",
            "source_id",
            "medium_id",
            "campaign_id",
        ],
        "crm.smb.cost": [
            "amount_company",
            "date_start",
            "date_end",
            "recurring",
            "category",
            "company_id",
            "team_id",
            "user_id",
            "source_id",
            "medium_id",
            "campaign_id",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    date = fields.Date(string="Month", readonly=True)
    kind = fields.Selection(
        [
            ("created", "Lead Created"),
            ("closed", "Opportunity Closed"),
            ("customer", "New Customer"),
            ("spend", "Spend"),
        ],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    source_id = fields.Many2one(
        "utm.source", readonly=True, falsy_value_label="Unknown source"
    )
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    category = fields.Selection(
        selection=lambda self: self.env["crm.smb.cost"]
        ._fields["category"]
        ._description_selection(self.env),
        string="Cost Category",
        readonly=True,
    )
    lead_id = fields.Many2one("crm.lead", readonly=True)
    cost_id = fields.Many2one("crm.smb.cost", readonly=True)

    # Counts and sums
    lead_count = fields.Integer(string="Leads", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    won_revenue = fields.Monetary(readonly=True, currency_field="currency_id")
    cycle_days = fields.Float(string="Cycle Days (won)", readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    spend = fields.Monetary(readonly=True, currency_field="currency_id")

    # Ratios, computed from the sums above (see _read_group_select)
    conversion_rate = fields.Float(
        string="Lead to Opportunity (%)", readonly=True, aggregator="avg"
    )
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg")
    average_deal = fields.Float(readonly=True, aggregator="avg")
    average_cycle_days = fields.Float(
        string="Mean Cycle (days)", readonly=True, aggregator="avg"
    )
    cac = fields.Float(string="CAC", readonly=True, aggregator="avg")
    roi = fields.Float(string="ROI (%)", readonly=True, aggregator="avg")

    def _ratio_sql(self, fname, query):
        """SQL of a ratio measure over the grouped rows, NULL when undefined."""

        def total(name):
            return SQL("SUM(%s)", self._field_to_sql(self._table, name, query))

        margin = SQL(
            "(SELECT roi_gross_margin_pct FROM res_company WHERE id = %s)",
            self.env.company.id,
        )
        formulas = {
            "conversion_rate": SQL(
                "100.0 * %s / NULLIF(%s, 0)",
                total("opportunity_count"),
                total("lead_count"),
            ),
            "win_rate": SQL(
                "100.0 * %s / NULLIF(%s + %s, 0)",
                total("won_count"),
                total("won_count"),
                total("lost_count"),
            ),
            "average_deal": SQL(
                "%s / NULLIF(%s, 0)", total("won_revenue"), total("won_count")
            ),
            "average_cycle_days": SQL(
                "%s / NULLIF(%s, 0)", total("cycle_days"), total("won_count")
            ),
            "cac": SQL(
                "%s / NULLIF(%s, 0)", total("spend"), total("new_customer_count")
            ),
            "roi": SQL(
                "100.0 * (%s * %s / 100.0 - %s) / NULLIF(%s, 0)",
                total("won_revenue"),
                margin,
                total("spend"),
                total("spend"),
            ),
        }
        return formulas.get(fname)

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = models.parse_read_group_spec(aggregate_spec)
        if func == "avg":
            ratio = self._ratio_sql(fname, query)
            if ratio is not None:
                return ratio
        return super()._read_group_select(aggregate_spec, query)

    def _query(self):
        # SQL view: the measures come from four event streams over crm_lead and
        # crm_smb_cost, which the ORM cannot express as one grouped read.
        return SQL(
            """
            SELECT l.id * 4 AS id, 'created' AS kind,
                   date_trunc('month', l.create_date)::date AS date,
                   l.company_id,
                   COALESCE(c.currency_id, %(main_currency)s) AS currency_id,
                   l.team_id, l.user_id,
                   l.source_id, l.medium_id, l.campaign_id,
                   NULL AS category, l.id AS lead_id, NULL::int AS cost_id,
                   1 AS lead_count,
                   CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL
                        THEN 1 ELSE 0 END AS opportunity_count,
                   0 AS won_count, 0 AS lost_count, 0.0 AS won_revenue,
                   0.0 AS cycle_days, 0 AS new_customer_count, 0.0 AS spend
              FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE %(counted)s
            UNION ALL
            SELECT l.id * 4 + 1, 'closed',
                   date_trunc('month', l.date_closed)::date,
                   l.company_id, COALESCE(c.currency_id, %(main_currency)s),
                   l.team_id, l.user_id,
                   l.source_id, l.medium_id, l.campaign_id,
                   NULL, l.id, NULL,
                   0, 0,
                   CASE WHEN l.won_status = 'won' THEN 1 ELSE 0 END,
                   CASE WHEN l.won_status = 'lost' THEN 1 ELSE 0 END,
                   CASE WHEN l.won_status = 'won'
                        THEN COALESCE(l.expected_revenue, 0) ELSE 0 END,
                   CASE WHEN l.won_status = 'won'
                        THEN COALESCE(l.day_close, 0) ELSE 0 END,
                   0, 0.0
              FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.date_closed IS NOT NULL AND l.won_status IN ('won', 'lost')
            UNION ALL
            SELECT f.id * 4 + 2, 'customer',
                   date_trunc('month', f.date_closed)::date,
                   f.company_id, COALESCE(c.currency_id, %(main_currency)s),
                   f.team_id, f.user_id,
                   f.source_id, f.medium_id, f.campaign_id,
                   NULL, f.id, NULL,
                   0, 0, 0, 0, 0.0, 0.0, 1, 0.0
              FROM (
                    SELECT DISTINCT ON (
                               l.company_id,
                               COALESCE(p.commercial_partner_id, -l.id)
                           ) l.*
                      FROM crm_lead l
                      LEFT JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.won_status = 'won' AND l.date_closed IS NOT NULL
                     ORDER BY l.company_id,
                              COALESCE(p.commercial_partner_id, -l.id),
                              l.date_closed, l.id
                   ) f
              LEFT JOIN res_company c ON c.id = f.company_id
            UNION ALL
            SELECT (k.id * 1000 + m.idx) * 4 + 3, 'spend', m.month::date,
                   k.company_id, COALESCE(c.currency_id, %(main_currency)s),
                   k.team_id, k.user_id,
                   k.source_id, k.medium_id, k.campaign_id,
                   k.category, NULL, k.id,
                   0, 0, 0, 0, 0.0, 0.0, 0,
                   k.amount_company
                   * ((LEAST(COALESCE(k.date_end, k.date_start),
                             (m.month + interval '1 month - 1 day')::date)
                       - GREATEST(k.date_start, m.month::date) + 1)::numeric
                      / (COALESCE(k.date_end, k.date_start) - k.date_start + 1))
              FROM crm_smb_cost k
              JOIN res_company c ON c.id = k.company_id
              CROSS JOIN LATERAL (
                    SELECT month, row_number() OVER () AS idx
                      FROM generate_series(
                               date_trunc('month', k.date_start),
                               date_trunc('month', COALESCE(k.date_end, k.date_start)),
                               interval '1 month'
                           ) AS month
                   ) m
             WHERE k.recurring IS NOT TRUE AND k.date_start IS NOT NULL
            """,
            counted=SQL(COUNTED_LEAD),
            # Leads without company are shown in the main company's currency.
            main_currency=SQL(
                "(SELECT currency_id FROM res_company ORDER BY sequence, id LIMIT 1)"
            ),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
