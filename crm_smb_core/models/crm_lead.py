from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .lifecycle import (
    COMPANY_SIZE_BANDS,
    CUSTOMER_TYPES,
    LIFECYCLE_STAGES,
)


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.smb.validation.mixin"]

    # Segmentation
    customer_type = fields.Selection(CUSTOMER_TYPES, default="b2b", tracking=True)
    industry_id = fields.Many2one("res.partner.industry")
    company_size_band = fields.Selection(COMPANY_SIZE_BANDS, string="Company Size")

    # Lifecycle
    lifecycle_stage_auto = fields.Selection(
        LIFECYCLE_STAGES,
        string="Derived Lifecycle Stage",
        compute="_compute_lifecycle_stage_auto",
        store=True,
    )
    lifecycle_stage_override = fields.Selection(
        LIFECYCLE_STAGES,
        copy=False,
        help="Set by hand; wins over the derived stage until cleared.",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        compute="_compute_lifecycle_stage",
        inverse="_inverse_lifecycle_stage",
        store=True,
        index=True,
        tracking=True,
        readonly=False,
        help="Derived from the lead's type, assignment and outcome; editable to "
        "override. Changes are kept in the chatter.",
    )

    # Follow-up
    snoozed_until = fields.Date(
        copy=False,
        tracking=True,
        help="Until this date the lead leaves the attention lists and no "
        "follow-up cadence schedules anything on it.",
    )
    last_contacted_date = fields.Datetime(
        compute="_compute_followup",
        search="_search_last_contacted_date",
        help="Last email, sent message or done activity on the lead.",
    )
    last_touched_date = fields.Datetime(
        compute="_compute_followup",
        help="Last change, note, message or activity on the lead.",
    )
    next_followup_date = fields.Date(
        compute="_compute_followup",
        search="_search_next_followup_date",
        help="Deadline of the next planned activity.",
    )
    attention_no_next_activity = fields.Boolean(
        string="No Next Activity",
        compute="_compute_followup",
        search="_search_attention_no_next_activity",
    )
    attention_untouched = fields.Boolean(
        string="Untouched",
        compute="_compute_followup",
        search="_search_attention_untouched",
        help="Nobody touched this open lead for the number of days set in the "
        "settings.",
    )
    needs_attention = fields.Boolean(
        compute="_compute_followup",
        search="_search_needs_attention",
    )

    _check_expected_revenue = models.Constraint(
        "CHECK(expected_revenue >= 0)",
        "The expected revenue cannot be negative.",
    )

    @api.depends("type", "won_status", "user_id", "email_from", "phone", "active")
    def _compute_lifecycle_stage_auto(self):
        for lead in self:
            if lead.won_status == "won":
                lead.lifecycle_stage_auto = "customer"
            elif lead.type == "opportunity":
                lead.lifecycle_stage_auto = "opportunity"
            elif lead.user_id:
                lead.lifecycle_stage_auto = "sales_qualified"
            elif lead.email_from and lead.phone:
                lead.lifecycle_stage_auto = "marketing_qualified"
            else:
                lead.lifecycle_stage_auto = "lead"

    @api.depends("lifecycle_stage_auto", "lifecycle_stage_override")
    def _compute_lifecycle_stage(self):
        for lead in self:
            lead.lifecycle_stage = (
                lead.lifecycle_stage_override or lead.lifecycle_stage_auto
            )

    @api.depends_context("uid")
    @api.depends("activity_ids.date_deadline", "snoozed_until", "won_status")
    def _compute_followup(self):
        # One grouped query for the whole batch: the dates come from
        # mail_message and mail_activity, which the ORM would read per lead.
        stored = self.filtered("id")
        rows = {}
        if stored:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT l.id, %s, %s, %s FROM crm_lead l WHERE l.id IN %s",
                    self._smb_sql_last_contacted(SQL("l")),
                    self._smb_sql_last_touched(SQL("l")),
                    self._smb_sql_next_deadline(SQL("l")),
                    tuple(stored.ids),
                )
            )
            rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        limit = self._smb_untouched_limit()
        today = fields.Date.context_today(self)
        for lead in self:
            contacted, touched, deadline = rows.get(lead.id, (False, False, False))
            lead.last_contacted_date = contacted
            lead.last_touched_date = touched
            lead.next_followup_date = deadline
            watched = (
                lead.active
                and lead.won_status == "pending"
                and not (lead.snoozed_until and lead.snoozed_until > today)
            )
            lead.attention_no_next_activity = bool(watched and not deadline)
            lead.attention_untouched = bool(watched and touched and touched < limit)
            lead.needs_attention = (
                lead.attention_no_next_activity or lead.attention_untouched
            )

    @api.constrains("date_deadline")
    def _check_date_deadline(self):
        if self._smb_skip_validation():
            return
        for lead in self:
            created = (lead.create_date or fields.Datetime.now()).date()
            if lead.date_deadline and lead.date_deadline < created:
                raise ValidationError(
                    self.env._(
                        "%(lead)s: the expected closing date %(deadline)s is before "
                        "the lead was created (%(created)s). Pick a later date.",
                        lead=lead.display_name,
                        deadline=lead.date_deadline,
                        created=created,
                    )
                )

    def _inverse_lifecycle_stage(self):
        for lead in self:
            lead.lifecycle_stage_override = (
                False
                if lead.lifecycle_stage == lead.lifecycle_stage_auto
                else lead.lifecycle_stage
            )

    def action_reset_lifecycle_stage(self):
        """Drop the manual override and go back to the derived stage."""
        self.lifecycle_stage_override = False

    # ------------------------------------------------------------
    # Follow-up: SQL fragments shared by computes, searches and dashboards
    # ------------------------------------------------------------

    @api.model
    def _smb_sql_last_contacted(self, alias):
        """Last email, sent message or done activity of lead ``alias``."""
        return SQL(
            """(SELECT max(m.date) FROM mail_message m
                 WHERE m.model = 'crm.lead' AND m.res_id = %(alias)s.id
                   AND (m.message_type = 'email'
                        OR m.mail_activity_type_id IS NOT NULL
                        OR (m.message_type = 'comment'
                            AND m.subtype_id = %(comment)s)))""",
            alias=alias,
            comment=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        )

    @api.model
    def _smb_sql_last_touched(self, alias):
        """Last message of any kind (changes, notes, emails) or the creation."""
        return SQL(
            """COALESCE((SELECT max(m.date) FROM mail_message m
                          WHERE m.model = 'crm.lead' AND m.res_id = %(alias)s.id
                            AND m.message_type != 'user_notification'),
                        %(alias)s.create_date)""",
            alias=alias,
        )

    @api.model
    def _smb_sql_next_deadline(self, alias):
        return SQL(
            """(SELECT min(a.date_deadline) FROM mail_activity a
                 WHERE a.res_model = 'crm.lead' AND a.res_id = %(alias)s.id
                   AND a.active)""",
            alias=alias,
        )

    @api.model
    def _smb_sql_watched(self, alias):
        """Open leads that are not snoozed: the ones attention lists consider."""
        return SQL(
            """%(alias)s.active AND %(alias)s.won_status = 'pending'
               AND (%(alias)s.snoozed_until IS NULL
                    OR %(alias)s.snoozed_until <= %(today)s)""",
            alias=alias,
            today=fields.Date.context_today(self),
        )

    @api.model
    def _smb_untouched_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_smb_core.untouched_days", "14")
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 14

    @api.model
    def _smb_untouched_limit(self):
        return fields.Datetime.now() - timedelta(days=self._smb_untouched_days())

    @api.model
    def _smb_search_sql(self, operator, value, condition_for):
        """A boolean search as a condition on the searched row itself.

        ``condition_for(alias)`` returns the SQL condition; a custom domain
        keeps it on the outer query, so PostgreSQL evaluates the correlated
        subqueries only for rows the other conditions (owner, team) keep.
        """
        wanted = self._smb_bool_operand(operator, value)
        self.env.flush_all()

        def to_sql(model, alias, query):
            condition = SQL(
                "COALESCE((%s), FALSE)", condition_for(SQL.identifier(alias))
            )
            return condition if wanted else SQL("NOT %s", condition)

        return Domain.custom(to_sql=to_sql)

    @api.model
    def _smb_bool_operand(self, operator, value):
        if operator in ("in", "not in"):
            values = set(value)
            wanted = True in values
            if operator == "not in":
                wanted = not wanted
            return wanted
        if operator in ("=", "!="):
            return bool(value) == (operator == "=")
        raise ValueError(f"unsupported operator {operator} on a boolean")

    def _smb_sql_no_next_activity(self, alias):
        return SQL(
            "%s AND %s IS NULL",
            self._smb_sql_watched(alias),
            self._smb_sql_next_deadline(alias),
        )

    def _smb_sql_untouched(self, alias):
        return SQL(
            "%s AND %s < %s",
            self._smb_sql_watched(alias),
            self._smb_sql_last_touched(alias),
            self._smb_untouched_limit(),
        )

    def _search_attention_no_next_activity(self, operator, value):
        return self._smb_search_sql(operator, value, self._smb_sql_no_next_activity)

    def _search_attention_untouched(self, operator, value):
        return self._smb_search_sql(operator, value, self._smb_sql_untouched)

    def _search_needs_attention(self, operator, value):
        return self._smb_search_sql(
            operator,
            value,
            lambda alias: SQL(
                "((%s) OR (%s))",
                self._smb_sql_no_next_activity(alias),
                self._smb_sql_untouched(alias),
            ),
        )

    def _search_last_contacted_date(self, operator, value):
        return self._smb_search_date(self._smb_sql_last_contacted, operator, value)

    def _search_next_followup_date(self, operator, value):
        return self._smb_search_date(self._smb_sql_next_deadline, operator, value)

    @api.model
    def _smb_search_date(self, expression_for, operator, value):
        comparisons = {"<": SQL("<"), "<=": SQL("<="), ">": SQL(">"), ">=": SQL(">=")}
        self.env.flush_all()
        if operator in ("in", "not in") and set(value) <= {False, None}:
            negate = operator == "not in"

            def to_sql(model, alias, query):
                expression = expression_for(SQL.identifier(alias))
                return SQL("%s IS NOT NULL" if negate else "%s IS NULL", expression)

        elif operator in comparisons:

            def to_sql(model, alias, query):
                expression = expression_for(SQL.identifier(alias))
                return SQL(
                    "COALESCE(%s %s %s, FALSE)",
                    expression,
                    comparisons[operator],
                    value,
                )

        else:
            return NotImplemented
        return Domain.custom(to_sql=to_sql)

    # ------------------------------------------------------------
    # Validation rules: stage gates
    # ------------------------------------------------------------

    @api.model
    def _smb_validation_applies(self, record, rule):
        """A stage gate applies from its stage on, in the same pipeline.

        Stages shared by every team form one pipeline and a team's own stages
        another; won stages are never blocked, so closing a deal always works.
        """
        if not rule["stage_id"]:
            return super()._smb_validation_applies(record, rule)
        company_ok = super()._smb_validation_applies(record, dict(rule, stage_id=None))
        if not company_ok or not record.stage_id:
            return False
        if record.stage_id.id == rule["stage_id"]:
            return True
        Rule = self.env["crm.smb.validation.rule"]
        sequence, is_won, teams = Rule._stage_info(record.stage_id.id)
        gate_sequence, _gate_won, gate_teams = Rule._stage_info(rule["stage_id"])
        if is_won:
            return False
        same_pipeline = bool(teams & gate_teams) if gate_teams else not teams
        return same_pipeline and sequence >= gate_sequence

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_snooze(self, days=7):
        """Hide the leads from attention lists and cadences for ``days`` days."""
        self.snoozed_until = fields.Date.context_today(self) + timedelta(days=days)

    def action_unsnooze(self):
        self.snoozed_until = False
