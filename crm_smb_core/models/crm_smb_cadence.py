"""Follow-up cadences: the activities a team plans automatically.

A cadence belongs to a sales team and holds lines. Each line says when a lead
needs a follow-up (created and never worked on, or entered a given stage), what
to plan (an activity type and summary) and how many business days later it is
due. Business days follow the working calendar of the lead's team, or of the
cadence's company: weekends, public holidays and other days off are skipped.
The scheduled action plans the activities in set-based SQL and stores each
one in crm.smb.cadence.log, so that a lead never gets the same follow-up twice.
"""

import logging
import time
from datetime import datetime, timedelta
from datetime import time as day_time

from odoo import api, fields, models
from odoo.tools import SQL

from ..logic.business_days import add_business_days, is_business_day

_logger = logging.getLogger(__name__)

# Working days are read from a calendar in windows of this many days.
CALENDAR_WINDOW_DAYS = 92


class WorkingDays:
    """Tells whether a date is a working day of a resource.calendar.

    Reads the calendar's working days (attendances minus global leaves, as
    Odoo's own planning does) lazily, one window of days at a time, so that a
    cadence run asks the calendar a few times, not once per lead or date.
    """

    def __init__(self, calendar, company):
        self.calendar = calendar
        self.company = company
        self.known = {}

    def __call__(self, day):
        if not self.calendar:
            return is_business_day(day)
        if day not in self.known:
            self._load(day)
        return self.known[day]

    def _load(self, first):
        last = first + timedelta(days=CALENDAR_WINDOW_DAYS - 1)
        unusual = self.calendar._get_unusual_days(
            datetime.combine(first, day_time.min),
            datetime.combine(last, day_time.max),
            company_id=self.company,
        )
        for offset in range(CALENDAR_WINDOW_DAYS):
            day = first + timedelta(days=offset)
            self.known[day] = not unusual.get(fields.Date.to_string(day), True)


class CrmSmbCadence(models.Model):
    _name = "crm.smb.cadence"
    _description = "Follow-up Cadence"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        help="Leave empty to follow up the leads of every team.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    fallback_user_id = fields.Many2one(
        "res.users",
        string="Unassigned Leads Go To",
        domain=[("share", "=", False)],
        help="Who gets the follow-up of a lead without salesperson; the team "
        "leader when empty. Leads with neither are skipped.",
    )
    line_ids = fields.One2many("crm.smb.cadence.line", "cadence_id", string="Steps")
    log_count = fields.Integer(compute="_compute_log_count", string="Scheduled")

    def _compute_log_count(self):
        counts = dict(
            self.env["crm.smb.cadence.log"]._read_group(
                [("cadence_id", "in", self.ids)], ["cadence_id"], ["__count"]
            )
        )
        for cadence in self:
            cadence.log_count = counts.get(cadence, 0)

    def action_view_logs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scheduled follow-ups"),
            "res_model": "crm.smb.cadence.log",
            "view_mode": "list,form",
            "domain": [("cadence_id", "=", self.id)],
        }

    def action_run_now(self):
        """Plan the due follow-ups of these cadences right away."""
        self.line_ids._schedule_followups()
        return True

    @api.model
    def _cron_schedule_followups(self):
        lines = self.search([("line_ids", "!=", False)]).line_ids
        lines._schedule_followups()

    @api.model
    def _cron_send_followup_reminders(self):
        """Email each salesperson the lead follow-ups due today or overdue.

        One grouped query finds every open follow-up; one mail per salesperson
        lists them (the 30 oldest, with the total), linked to the leads.
        """
        self.env.flush_all()
        today = fields.Date.context_today(self)
        # SQL: one pass over the open activities of open leads, ranked per user,
        # instead of a search and read per salesperson.
        self.env.cr.execute(
            SQL(
                """
            SELECT a.user_id, a.id, a.res_id, l.name, a.summary, t.name,
                   a.date_deadline,
                   count(*) OVER (PARTITION BY a.user_id),
                   count(*) FILTER (WHERE a.date_deadline < %(today)s)
                       OVER (PARTITION BY a.user_id)
              FROM mail_activity a
              JOIN crm_lead l ON l.id = a.res_id
              JOIN mail_activity_type t ON t.id = a.activity_type_id
              JOIN res_users u ON u.id = a.user_id
             WHERE a.res_model = 'crm.lead' AND a.active
               AND a.date_deadline <= %(today)s
               AND l.active AND l.won_status = 'pending' AND u.active
             ORDER BY a.user_id, a.date_deadline, a.id
                """,
                today=today,
            )
        )
        per_user = {}
        for user_id, *row in self.env.cr.fetchall():
            per_user.setdefault(user_id, []).append(row)
        users = self.env["res.users"].browse(per_user).filtered("email")
        base_url = self.get_base_url()
        mails = []
        for user in users:
            rows = per_user[user.id]
            lang = user.lang or "en_US"
            items = [
                {
                    "lead": row[2],
                    "summary": row[3] or row[4],
                    "deadline": row[5],
                    "overdue": row[5] < today,
                    "url": f"{base_url}/odoo/crm/{row[1]}",
                }
                for row in rows[:30]
            ]
            body = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "crm_smb_core.mail_followup_reminder",
                    {
                        "user": user,
                        "items": items,
                        "total": rows[0][6],
                        "overdue": rows[0][7],
                        "today": today,
                        "base_url": base_url,
                    },
                )
            )
            mails.append(
                {
                    "subject": self.with_context(lang=lang).env._(
                        "%(count)s follow-ups due today or overdue",
                        count=rows[0][6],
                    ),
                    "body_html": body,
                    "email_to": user.email_formatted,
                    "email_from": self.env.company.email_formatted
                    or user.email_formatted,
                    "recipient_ids": [(4, user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        if mails:
            self.env["mail.mail"].sudo().create(mails)
        _logger.info("Follow-up reminders queued for %s salespeople", len(mails))
        return len(mails)


class CrmSmbCadenceLine(models.Model):
    _name = "crm.smb.cadence.line"
    _description = "Follow-up Cadence Step"
    _order = "cadence_id, sequence, id"

    cadence_id = fields.Many2one(
        "crm.smb.cadence", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    trigger = fields.Selection(
        [
            ("created", "New lead with no activity"),
            ("stage", "Entered the stage"),
        ],
        required=True,
        default="created",
    )
    stage_id = fields.Many2one("crm.stage", ondelete="cascade")
    delay_days = fields.Integer(
        string="Due After (business days)",
        default=1,
        help="Business days after the lead was created or entered the stage: "
        "the working days of the team's working hours (or the company's), "
        "without weekends and public holidays.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'crm.lead')]",
    )
    summary = fields.Char(translate=True)
    note = fields.Html()
    team_id = fields.Many2one(related="cadence_id.team_id")
    company_id = fields.Many2one(related="cadence_id.company_id", store=True)

    _check_delay = models.Constraint(
        "CHECK(delay_days >= 0)",
        "A follow-up cannot be due before its trigger: use 0 or more days.",
    )
    _check_stage = models.Constraint(
        "CHECK(trigger != 'stage' OR stage_id IS NOT NULL)",
        "A step triggered by a stage needs the stage.",
    )

    @api.depends("trigger", "stage_id", "activity_type_id", "delay_days")
    def _compute_display_name(self):
        for line in self:
            when = (
                line.stage_id.name
                if line.trigger == "stage"
                else self.env._("new lead")
            )
            line.display_name = self.env._(
                "%(activity)s %(days)s days after %(when)s",
                activity=line.activity_type_id.name or "",
                days=line.delay_days,
                when=when,
            )

    # ------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------

    def _sql_candidates(self):
        """Leads this step must follow up now and has not followed up yet.

        The anchor is the moment the trigger happened (creation, or the last
        stage change); the log is unique per step, lead and anchor, so a lead
        that leaves the stage and enters it again gets a new follow-up.
        """
        self.ensure_one()
        cadence = self.cadence_id
        anchor = (
            SQL("l.create_date")
            if self.trigger == "created"
            else SQL("COALESCE(l.date_last_stage_update, l.create_date)")
        )
        conditions = [
            SQL("l.active AND l.won_status = 'pending'"),
            SQL(
                "(l.snoozed_until IS NULL OR l.snoozed_until <= %s)",
                fields.Date.context_today(self),
            ),
            SQL("(l.company_id IS NULL OR l.company_id = %s)", cadence.company_id.id),
            SQL(
                """NOT EXISTS (SELECT 1 FROM crm_smb_cadence_log g
                    WHERE g.line_id = %s AND g.lead_id = l.id AND g.anchor = %s)""",
                self.id,
                anchor,
            ),
        ]
        if cadence.team_id:
            conditions.append(SQL("l.team_id = %s", cadence.team_id.id))
        if self.trigger == "stage":
            conditions.append(SQL("l.stage_id = %s", self.stage_id.id))
        else:
            conditions.append(
                SQL(
                    """NOT EXISTS (SELECT 1 FROM mail_activity a
                        WHERE a.res_model = 'crm.lead' AND a.res_id = l.id)"""
                )
            )
        user = SQL(
            "COALESCE(l.user_id, %s, t.user_id)", cadence.fallback_user_id.id or None
        )
        # 0 stands for "no calendar" (Monday to Friday) so that the due dates
        # join on a plain equality.
        calendar = SQL(
            "COALESCE(t.smb_calendar_id, %s, 0)",
            cadence.company_id.resource_calendar_id.id or None,
        )
        return SQL(
            """SELECT l.id AS lead_id, l.name AS lead_name, %(anchor)s AS anchor,
                      %(user)s AS user_id, %(calendar)s AS calendar_id
                 FROM crm_lead l
            LEFT JOIN crm_team t ON t.id = l.team_id
                WHERE %(conditions)s AND %(user)s IS NOT NULL""",
            anchor=anchor,
            user=user,
            calendar=calendar,
            conditions=SQL(" AND ").join(conditions),
        )

    def _due_dates(self, pairs, today):
        """Due date of each (calendar id, trigger day) pair, never in the past.

        Computed once per distinct pair, not per lead: a run over 100k leads
        holds a few hundred pairs.
        """
        self.ensure_one()
        company = self.cadence_id.company_id
        Calendar = self.env["resource.calendar"].sudo()
        checkers = {}
        dues = []
        for calendar_id, day in pairs:
            if calendar_id not in checkers:
                checkers[calendar_id] = WorkingDays(
                    Calendar.browse(calendar_id or ()), company
                )
            is_workday = checkers[calendar_id]
            due = add_business_days(day, self.delay_days, is_workday)
            if due < today:
                # A late trigger (the job did not run, a snooze ended) is due
                # on the next working day, not on a past day.
                due = add_business_days(today, 0, is_workday)
            dues.append(due)
        return dues

    def _schedule_followups(self):
        """Plan the due follow-ups of these steps; return how many were planned.

        Set-based SQL: one statement per step inserts the activities and their
        log rows, so 100k open leads take seconds. Activities are inserted as
        automated and without the assignment email; the daily reminder tells
        each salesperson what is due.
        """
        self.env.flush_all()
        cr = self.env.cr
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        total = 0
        for line in self.filtered(lambda rec: rec.cadence_id.active):
            started = time.monotonic()
            # Refresh the planner's statistics first (a bulk import, or the
            # previous step, may have added many rows): stale ones make the
            # anti-joins below plan for small tables and run in quadratic time.
            cr.execute(SQL("ANALYZE crm_lead, crm_smb_cadence_log, mail_activity"))
            candidates = line._sql_candidates()
            cr.execute(
                SQL(
                    "SELECT DISTINCT c.calendar_id, (c.anchor)::date FROM (%s) c",
                    candidates,
                )
            )
            pairs = cr.fetchall()
            if not pairs:
                continue
            calendars = [pair[0] for pair in pairs]
            days = [pair[1] for pair in pairs]
            dues = line._due_dates(pairs, today)
            # Activity ids are drawn first, so both inserts read the same rows
            # and nothing joins back on RETURNING (no row estimate for it).
            cr.execute(
                SQL(
                    """
                WITH bd AS (SELECT * FROM unnest(%(calendars)s::int[], %(days)s::date[],
                                                 %(dues)s::date[])
                                AS bd(calendar_id, day, due)),
                c AS MATERIALIZED (
                    SELECT cand.*, bd.due, nextval('mail_activity_id_seq') AS act_id
                      FROM (%(candidates)s) cand
                      JOIN bd ON bd.day = cand.anchor::date
                               AND bd.calendar_id = cand.calendar_id),
                ins AS (
                    INSERT INTO mail_activity (
                        id, res_model_id, res_model, res_id, res_name,
                        activity_type_id, summary, note, date_deadline, user_id,
                        user_tz, automated, active, create_uid, write_uid,
                        create_date, write_date)
                    SELECT c.act_id, %(model_id)s, 'crm.lead', c.lead_id, c.lead_name,
                           %(type_id)s, %(summary)s, %(note)s, c.due, c.user_id,
                           p.tz, TRUE, TRUE, %(uid)s, %(uid)s,
                           now() at time zone 'UTC', now() at time zone 'UTC'
                      FROM c
                      JOIN res_users u ON u.id = c.user_id
                      JOIN res_partner p ON p.id = u.partner_id)
                INSERT INTO crm_smb_cadence_log (
                    line_id, cadence_id, lead_id, anchor, activity_id, user_id,
                    date_deadline, company_id, create_uid, write_uid, create_date,
                    write_date)
                SELECT %(line_id)s, %(cadence_id)s, c.lead_id, c.anchor, c.act_id,
                       c.user_id, c.due, %(company_id)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM c
                    """,
                    candidates=candidates,
                    calendars=calendars,
                    days=days,
                    dues=dues,
                    model_id=model_id,
                    type_id=line.activity_type_id.id,
                    summary=line.summary or line.activity_type_id.summary or None,
                    note=line.note or None,
                    uid=self.env.uid,
                    line_id=line.id,
                    cadence_id=line.cadence_id.id,
                    company_id=line.company_id.id,
                )
            )
            count = cr.rowcount
            total += count
            _logger.info(
                "Cadence step %s planned %s follow-ups in %.2f s",
                line.id,
                count,
                time.monotonic() - started,
            )
        if total:
            self.env.invalidate_all()
        return total


class CrmSmbCadenceLog(models.Model):
    _name = "crm.smb.cadence.log"
    _description = "Scheduled Follow-up"
    _order = "id desc"
    _rec_name = "lead_id"

    line_id = fields.Many2one(
        "crm.smb.cadence.line", required=True, ondelete="cascade", readonly=True
    )
    cadence_id = fields.Many2one(
        "crm.smb.cadence", required=True, ondelete="cascade", readonly=True, index=True
    )
    lead_id = fields.Many2one(
        "crm.lead", required=True, ondelete="cascade", readonly=True, index=True
    )
    anchor = fields.Datetime(
        required=True,
        readonly=True,
        help="When the trigger happened: the lead's creation or stage change.",
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    date_deadline = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    _unique_followup = models.Constraint(
        "UNIQUE(line_id, lead_id, anchor)",
        "This follow-up was already scheduled.",
    )
