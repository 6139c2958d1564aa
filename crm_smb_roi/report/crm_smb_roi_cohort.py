from odoo import fields, models, tools
from odoo.tools import SQL


class CrmSmbRoiCohort(models.Model):
    """Customers by acquisition month: what each cohort buys in later months.

    One row per customer and month with won deals. A customer is the
    commercial entity of the lead's contact; a won lead without contact is a
    customer of its own. The acquisition month is the month of the customer's
    first won deal; ``months_since`` counts the months after it (0 for the
    acquisition month). Counting rows gives the active customers of a cohort.
    """

    _name = "crm.smb.roi.cohort"
    _description = "ROI Cohorts"
    _auto = False
    _order = "acquisition_month desc, months_since"
    _rec_name = "acquisition_month"
    _depends = {
        "crm.lead": [
            "won_status",
            "date_closed",
            "expected_revenue",
            "partner_id",
            "company_id",
            "team_id",
            "source_id",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    acquisition_month = fields.Date(readonly=True)
    date = fields.Date(string="Month", readonly=True)
    months_since = fields.Integer(
        string="Months Since Acquisition", readonly=True, aggregator=False
    )
    team_id = fields.Many2one("crm.team", string="Acquiring Team", readonly=True)
    source_id = fields.Many2one(
        "utm.source",
        string="Acquisition Source",
        readonly=True,
        falsy_value_label="Unknown source",
    )
    revenue = fields.Monetary(readonly=True, currency_field="currency_id")
    deal_count = fields.Integer(string="Won Deals", readonly=True)

    def _query(self):
        # SQL view: first-won per customer needs a window over all won leads.
        return SQL(
            """
            WITH won AS (
                SELECT l.id, l.company_id, l.team_id, l.source_id,
                       l.expected_revenue, l.date_closed,
                       p.commercial_partner_id AS partner_id,
                       COALESCE(p.commercial_partner_id, -l.id) AS customer_key
                  FROM crm_lead l
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.won_status = 'won' AND l.date_closed IS NOT NULL
            ), firsts AS (
                SELECT DISTINCT ON (company_id, customer_key)
                       company_id, customer_key, team_id, source_id,
                       date_trunc('month', date_closed)::date AS acquisition_month
                  FROM won
                 ORDER BY company_id, customer_key, date_closed, id
            )
            SELECT MIN(w.id) AS id, w.company_id,
                   COALESCE(c.currency_id, %(main_currency)s) AS currency_id,
                   MIN(w.partner_id) AS partner_id, f.acquisition_month,
                   date_trunc('month', w.date_closed)::date AS date,
                   ((EXTRACT(YEAR FROM date_trunc('month', w.date_closed))
                     - EXTRACT(YEAR FROM f.acquisition_month)) * 12
                    + EXTRACT(MONTH FROM date_trunc('month', w.date_closed))
                    - EXTRACT(MONTH FROM f.acquisition_month))::int AS months_since,
                   f.team_id, f.source_id,
                   SUM(COALESCE(w.expected_revenue, 0)) AS revenue,
                   COUNT(*) AS deal_count
              FROM won w
              JOIN firsts f
                ON f.company_id = w.company_id AND f.customer_key = w.customer_key
              LEFT JOIN res_company c ON c.id = w.company_id
             GROUP BY w.company_id, c.currency_id, w.customer_key,
                      f.acquisition_month, date_trunc('month', w.date_closed),
                      f.team_id, f.source_id
            """,
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
