"""Role dashboards: the figures behind the OWL client actions.

Every figure is a tile or a table cell built from a domain on a model: the
number comes from one grouped read (set-based SQL through ``_read_group``, with
the user's record rules) and a click opens exactly the records behind it.

Extension point for the other addons of the suite: override
``_owner_extra_tiles()`` (or ``_role_sections(role)``) and append tiles built
with ``_tile()``; crm_smb_roi adds its ROI tiles and crm_smb_dedup its data
health tiles there, so they only show when those addons are installed.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

ROLE_GROUPS = {
    "salesperson": "crm_smb_core.group_smb_salesperson",
    "manager": "crm_smb_core.group_smb_manager",
    "owner": "crm_smb_core.group_smb_owner",
    "marketing": "crm_smb_core.group_smb_marketing",
}
QUALIFIED_STAGES = ["sales_qualified", "opportunity", "customer", "evangelist"]


class CrmSmbDashboard(models.AbstractModel):
    _name = "crm.smb.dashboard"
    _description = "CRM Role Dashboards"

    @api.model
    def get_dashboard(self, role):
        """Return the sections of ``role``'s dashboard for the current user."""
        if role not in ROLE_GROUPS:
            raise ValueError(f"unknown dashboard role {role!r}")
        if not self.env.user.has_group(ROLE_GROUPS[role]):
            raise AccessError(
                self.env._("This dashboard is for another role; ask your manager.")
            )
        titles = {
            "salesperson": self.env._("My day"),
            "manager": self.env._("Team dashboard"),
            "owner": self.env._("Business overview"),
            "marketing": self.env._("Marketing dashboard"),
        }
        return {
            "role": role,
            "title": titles[role],
            "sections": self._role_sections(role),
            "help_screen": f"dashboard_{role}",
        }

    @api.model
    def _role_sections(self, role):
        return getattr(self, f"_{role}_sections")()

    # ------------------------------------------------------------
    # Building blocks
    # ------------------------------------------------------------

    @api.model
    def _tile(
        self, key, label, model, domain, measure="__count", fmt="number", context=None
    ):
        """A figure and the action opening its records."""
        domain = list(Domain(domain))
        [(value,)] = self.env[model]._read_group(domain, aggregates=[measure])
        return {
            "key": key,
            "label": label,
            "value": value or 0,
            "format": fmt,
            "action": self._records_action(label, model, domain, context),
        }

    @api.model
    def _records_action(self, name, model, domain, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [[False, "list"], [False, "form"]],
            "context": context or {},
        }

    @api.model
    def _grouped_table(self, key, title, model, domain, groupby, columns):
        """A table with one row per group and one clickable cell per column.

        ``columns`` is a list of (label, aggregate, extra domain, format); one
        grouped read per column.
        """
        domain = Domain(domain)
        rows = {}
        order = []
        for index, (_label, aggregate, extra, _fmt) in enumerate(columns):
            cell_domain = domain & Domain(extra or [])
            for group, value in self.env[model]._read_group(
                cell_domain, [groupby], [aggregate]
            ):
                relational = isinstance(group, models.BaseModel)
                gid = group.id if relational else group
                if gid not in rows:
                    label = group.display_name if relational else group
                    rows[gid] = {
                        "label": label or self.env._("None"),
                        "cells": [None] * len(columns),
                    }
                    order.append(gid)
                rows[gid]["cells"][index] = value
        table_rows = []
        for gid in order:
            row = rows[gid]
            cells = []
            for index, (label, _aggregate, extra, fmt) in enumerate(columns):
                cell_domain = list(
                    domain & Domain(extra or []) & Domain(groupby, "=", gid or False)
                )
                cells.append(
                    {
                        "value": row["cells"][index] or 0,
                        "format": fmt,
                        "action": self._records_action(
                            f"{row['label']}: {label}", model, cell_domain
                        ),
                    }
                )
            table_rows.append({"label": row["label"], "cells": cells})
        return {
            "key": key,
            "title": title,
            "columns": [column[0] for column in columns],
            "rows": table_rows,
        }

    @api.model
    def _open_leads(self):
        return [("won_status", "=", "pending"), ("type", "=", "opportunity")]

    @api.model
    def _dates(self):
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        return {
            "today": today,
            "month_start": month_start,
            "next_month": month_start + relativedelta(months=1),
            "month_after": month_start + relativedelta(months=2),
            "year_start": today.replace(month=1, day=1),
            "week_ago": fields.Datetime.now() - timedelta(days=7),
            "quarter_ago": fields.Datetime.now() - timedelta(days=90),
            "year_ago": fields.Datetime.now() - timedelta(days=365),
        }

    @api.model
    def _team_ids(self):
        """Teams the current user leads or belongs to."""
        return (
            self.env["crm.team"]
            .search(
                [
                    "|",
                    ("user_id", "=", self.env.uid),
                    ("member_ids", "in", self.env.uid),
                ]
            )
            .ids
        )

    # ------------------------------------------------------------
    # Roles
    # ------------------------------------------------------------

    def _salesperson_sections(self):
        _ = self.env._
        d = self._dates()
        uid = self.env.uid
        mine = [("user_id", "=", uid)]
        Lead = "crm.lead"
        tiles = [
            self._tile(
                "overdue",
                _("Overdue activities"),
                "mail.activity",
                [
                    ("res_model", "=", Lead),
                    ("user_id", "=", uid),
                    ("date_deadline", "<", d["today"]),
                ],
                fmt="alert",
            ),
            self._tile(
                "due_today",
                _("Due today"),
                "mail.activity",
                [
                    ("res_model", "=", Lead),
                    ("user_id", "=", uid),
                    ("date_deadline", "=", d["today"]),
                ],
            ),
            self._tile(
                "stale",
                _("Stale leads"),
                Lead,
                [*mine, ("attention_untouched", "=", True)],
                fmt="alert",
            ),
            self._tile(
                "no_next_step",
                _("No next step"),
                Lead,
                [*mine, ("attention_no_next_activity", "=", True)],
                fmt="alert",
            ),
            self._tile(
                "pipeline_count",
                _("Open opportunities"),
                Lead,
                mine + self._open_leads(),
            ),
            self._tile(
                "pipeline_value",
                _("Open pipeline"),
                Lead,
                mine + self._open_leads(),
                measure="expected_revenue:sum",
                fmt="monetary",
            ),
        ]
        table = self._grouped_table(
            "my_pipeline",
            _("My pipeline by stage"),
            Lead,
            mine + self._open_leads(),
            "stage_id",
            [
                (_("Opportunities"), "__count", [], "number"),
                (_("Expected revenue"), "expected_revenue:sum", [], "monetary"),
                (
                    _("Need attention"),
                    "__count",
                    [("needs_attention", "=", True)],
                    "number",
                ),
            ],
        )
        return [{"tiles": tiles}, {"table": table}]

    def _manager_sections(self):
        _ = self.env._
        d = self._dates()
        team = [("team_id", "in", self._team_ids())]
        Lead = "crm.lead"
        open_team = team + self._open_leads()
        tiles = [
            self._tile("team_pipeline", _("Team pipeline"), Lead, open_team),
            self._tile(
                "team_value",
                _("Pipeline value"),
                Lead,
                open_team,
                measure="expected_revenue:sum",
                fmt="monetary",
            ),
            self._tile(
                "forecast_month",
                _("Forecast this month"),
                Lead,
                [
                    *open_team,
                    ("date_deadline", ">=", d["month_start"]),
                    ("date_deadline", "<", d["next_month"]),
                ],
                measure="prorated_revenue:sum",
                fmt="monetary",
            ),
            self._tile(
                "forecast_next_month",
                _("Forecast next month"),
                Lead,
                [
                    *open_team,
                    ("date_deadline", ">=", d["next_month"]),
                    ("date_deadline", "<", d["month_after"]),
                ],
                measure="prorated_revenue:sum",
                fmt="monetary",
            ),
            self._tile(
                "team_attention",
                _("Need attention"),
                Lead,
                [*team, ("needs_attention", "=", True)],
                fmt="alert",
            ),
        ]
        pipeline = self._grouped_table(
            "team_stages",
            _("Team pipeline by stage"),
            Lead,
            open_team,
            "stage_id",
            [
                (_("Opportunities"), "__count", [], "number"),
                (_("Expected revenue"), "expected_revenue:sum", [], "monetary"),
                (_("Weighted"), "prorated_revenue:sum", [], "monetary"),
            ],
        )
        reps = self._grouped_table(
            "team_reps",
            _("Each rep's activity"),
            Lead,
            [*team, ("user_id", "!=", False)],
            "user_id",
            [
                (_("Open"), "__count", self._open_leads(), "number"),
                (
                    _("Overdue activities"),
                    "__count",
                    [("activity_ids.date_deadline", "<", d["today"])],
                    "number",
                ),
                (
                    _("Touched this week"),
                    "__count",
                    [("write_date", ">=", d["week_ago"])],
                    "number",
                ),
                (
                    _("Need attention"),
                    "__count",
                    [("needs_attention", "=", True)],
                    "number",
                ),
            ],
        )
        return [{"tiles": tiles}, {"table": pipeline}, {"table": reps}]

    def _owner_sections(self):
        _ = self.env._
        d = self._dates()
        Lead = "crm.lead"
        decided = [
            ("won_status", "in", ["won", "lost"]),
            ("date_closed", ">=", d["year_ago"]),
        ]
        tiles = [
            self._tile(
                "revenue_year",
                _("Won this year"),
                Lead,
                [("won_status", "=", "won"), ("date_closed", ">=", d["year_start"])],
                measure="expected_revenue:sum",
                fmt="monetary",
            ),
            self._tile(
                "won_count_year",
                _("Deals won this year"),
                Lead,
                [("won_status", "=", "won"), ("date_closed", ">=", d["year_start"])],
            ),
            self._conversion_tile(decided),
            self._tile(
                "open_value",
                _("Open pipeline"),
                Lead,
                self._open_leads(),
                measure="expected_revenue:sum",
                fmt="monetary",
            ),
        ]
        tiles += self._owner_extra_tiles()
        by_team = self._grouped_table(
            "owner_teams",
            _("Teams"),
            Lead,
            [("team_id", "!=", False)],
            "team_id",
            [
                (_("Open"), "__count", self._open_leads(), "number"),
                (
                    _("Won this year"),
                    "expected_revenue:sum",
                    [
                        ("won_status", "=", "won"),
                        ("date_closed", ">=", d["year_start"]),
                    ],
                    "monetary",
                ),
            ],
        )
        return [{"tiles": tiles}, {"table": by_team}]

    @api.model
    def _conversion_tile(self, decided):
        """Won deals out of the deals decided in the last twelve months.

        Lost deals are archived by Odoo, so both counts include archived leads.
        """
        Lead = self.env["crm.lead"].with_context(active_test=False)
        [(total,)] = Lead._read_group(decided, aggregates=["__count"])
        [(won,)] = Lead._read_group(
            [*decided, ("won_status", "=", "won")], aggregates=["__count"]
        )
        return {
            "key": "conversion",
            "label": self.env._("Win rate (12 months)"),
            "value": round(100.0 * won / total, 1) if total else 0,
            "format": "percent",
            "action": self._records_action(
                self.env._("Decided deals"),
                "crm.lead",
                decided,
                {"group_by": ["won_status"], "active_test": False},
            ),
        }

    @api.model
    def _owner_extra_tiles(self):
        """Tiles other addons add to the owner dashboard (ROI, data health)."""
        return []

    def _marketing_sections(self):
        _ = self.env._
        d = self._dates()
        Lead = "crm.lead"
        recent = [("create_date", ">=", d["quarter_ago"])]
        tiles = [
            self._tile("new_leads", _("New leads (90 days)"), Lead, recent),
            self._tile(
                "mql",
                _("Marketing qualified"),
                Lead,
                [*recent, ("lifecycle_stage", "=", "marketing_qualified")],
            ),
            self._tile(
                "sql",
                _("Sales qualified or better"),
                Lead,
                [*recent, ("lifecycle_stage", "in", QUALIFIED_STAGES)],
            ),
        ]
        sources = self._grouped_table(
            "sources",
            _("Leads by source (90 days)"),
            Lead,
            recent,
            "source_id",
            [
                (_("Leads"), "__count", [], "number"),
                (
                    _("Qualified"),
                    "__count",
                    [("lifecycle_stage", "in", QUALIFIED_STAGES)],
                    "number",
                ),
                (_("Won"), "__count", [("won_status", "=", "won")], "number"),
            ],
        )
        for row in sources["rows"]:
            leads, qualified = row["cells"][0]["value"], row["cells"][1]["value"]
            rate = round(100.0 * qualified / leads, 1) if leads else 0
            row["cells"].append(dict(row["cells"][1], value=rate, format="percent"))
        sources["columns"].append(_("Qualification rate"))
        return [{"tiles": tiles}, {"table": sources}]
