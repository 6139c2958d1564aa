import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Models whose data health the dashboard follows.
HEALTH_MODELS = ("res.partner", "crm.lead")


class CrmSmbQualitySnapshot(models.Model):
    """Daily data health figures, so the dashboard can show a trend."""

    _name = "crm.smb.quality.snapshot"
    _description = "Data Health Snapshot"
    _order = "date desc, res_model"

    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    res_model = fields.Char("Model", required=True)
    record_count = fields.Integer("Records")
    average_score = fields.Float(aggregator="avg")
    incomplete_count = fields.Integer("Incomplete")
    stale_count = fields.Integer("Stale")
    pending_group_count = fields.Integer("Duplicate Groups to Review")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    _date_model_unique = models.Constraint(
        "UNIQUE (date, res_model, company_id)",
        "One data health snapshot per day, model and company.",
    )

    @api.model
    def _smb_health_figures(self, res_model):
        """Current figures of one model, computed in SQL over stored scores."""
        model = self.env[res_model]
        model.flush_model(
            ["smb_quality_score", "smb_quality_incomplete", "smb_quality_stale"]
        )
        query = model._search([])

        # SQL: one aggregate over the stored scores instead of reading records.
        def column(fname):
            return model._field_to_sql(model._table, fname)

        row = self.env.execute_query(
            query.select(
                SQL("count(*)"),
                SQL("coalesce(avg(%s), 0)", column("smb_quality_score")),
                SQL("count(*) FILTER (WHERE %s)", column("smb_quality_incomplete")),
                SQL("count(*) FILTER (WHERE %s)", column("smb_quality_stale")),
            )
        )[0]
        pending = self.env["crm.smb.duplicate.group"].search_count(
            [("res_model", "=", res_model), ("state", "=", "pending")]
        )
        return {
            "record_count": row[0],
            "average_score": round(float(row[1]), 1),
            "incomplete_count": row[2],
            "stale_count": row[3],
            "pending_group_count": pending,
        }

    @api.model
    def _smb_top_problems(self, res_model, limit=6):
        model = self.env[res_model]
        query = model._search([("smb_quality_issues", "!=", False)])
        column = model._field_to_sql(model._table, "smb_quality_issues")
        # SQL: problems are counted across all records with one unnest.
        rows = self.env.execute_query(
            SQL(
                """SELECT problem, count(*) FROM (%s) AS issues,
                          unnest(string_to_array(issues.text, ', ')) AS problem
                   GROUP BY problem ORDER BY count(*) DESC, problem LIMIT %s""",
                query.select(SQL("%s AS text", column)),
                limit,
            )
        )
        return [{"problem": problem, "count": count} for problem, count in rows]

    @api.model
    def get_dashboard_data(self):
        """Everything the data health dashboard shows, for the current user."""
        data = {}
        for res_model in HEALTH_MODELS:
            history = self.search_read(
                [("res_model", "=", res_model)],
                ["date", "average_score"],
                limit=30,
            )
            data[res_model.replace(".", "_")] = {
                **self._smb_health_figures(res_model),
                "problems": self._smb_top_problems(res_model),
                "trend": [
                    {"date": str(item["date"]), "score": item["average_score"]}
                    for item in reversed(history)
                ],
            }
        return data

    @api.model
    def _cron_snapshot(self):
        """Refresh quality scores, then record today's figures per model."""
        today = fields.Date.context_today(self)
        for res_model in HEALTH_MODELS:
            self.env[res_model]._cron_refresh_quality()
            figures = self._smb_health_figures(res_model)
            existing = self.search(
                [
                    ("date", "=", today),
                    ("res_model", "=", res_model),
                    ("company_id", "=", self.env.company.id),
                ]
            )
            if existing:
                existing.write(figures)
            else:
                self.create({"date": today, "res_model": res_model, **figures})
