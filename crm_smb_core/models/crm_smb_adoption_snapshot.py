"""Weekly adoption figures per salesperson, with a score and its trend.

The scheduled action stores one snapshot per salesperson and week; the
reports group them per team. A weekly digest email goes to each team leader.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..logic.adoption import adoption_score

_logger = logging.getLogger(__name__)


class CrmSmbAdoptionSnapshot(models.Model):
    _name = "crm.smb.adoption.snapshot"
    _description = "CRM Adoption Snapshot"
    _order = "date desc, score"
    _rec_name = "user_id"

    date = fields.Date(required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, readonly=True
    )
    team_id = fields.Many2one("crm.team", index=True, readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    login_days = fields.Integer(string="Days Logged In", readonly=True)
    activities_on_time = fields.Integer(string="Done on Time", readonly=True)
    activities_late = fields.Integer(string="Done Late", readonly=True)
    activities_overdue = fields.Integer(string="Overdue Now", readonly=True)
    records_updated = fields.Integer(string="Leads Updated", readonly=True)
    open_leads = fields.Integer(readonly=True)
    leads_without_next_step = fields.Integer(readonly=True)
    leads_touched_14d = fields.Integer(string="Touched in 14 Days", readonly=True)
    touched_share = fields.Float(
        string="Pipeline Touched (%)", readonly=True, aggregator="avg"
    )
    score = fields.Float(string="Adoption Score", readonly=True, aggregator="avg")
    previous_score = fields.Float(readonly=True, aggregator="avg")
    trend = fields.Float(
        readonly=True, aggregator="avg", help="Score minus last week's."
    )

    _unique_week = models.Constraint(
        "UNIQUE(date, user_id)", "One snapshot per salesperson and day."
    )

    @api.model
    def _salespeople(self):
        group = self.env.ref("crm_smb_core.group_smb_salesperson")
        return self.env["res.users"].search(
            [("all_group_ids", "in", group.ids), ("share", "=", False)]
        )

    @api.model
    def _compute_snapshots(self, day=None):
        """Store this week's snapshot of every salesperson; return them."""
        day = day or fields.Date.context_today(self)
        users = self._salespeople()
        if not users:
            return self.browse()
        self.env.flush_all()
        now = fields.Datetime.now()
        week_ago = now - timedelta(days=7)
        fortnight = now - timedelta(days=14)
        # SQL: one statement aggregates logins, activities, messages and leads
        # for every salesperson, where the ORM would search per user and figure.
        self.env.cr.execute(
            SQL(
                """
            SELECT u.id,
                   (SELECT count(DISTINCT d.day) FROM (
                           SELECT m.day FROM crm_smb_login_day m
                            WHERE m.user_id = u.id AND m.day > %(week_ago)s::date
                           UNION ALL
                           -- logins from before the daily marks existed
                           SELECT g.create_date::date FROM res_users_log g
                            WHERE g.create_uid = u.id
                              AND g.create_date::date > %(week_ago)s::date
                              AND NOT EXISTS (
                                  SELECT 1 FROM crm_smb_login_day m
                                   WHERE m.user_id = u.id
                                     AND m.create_date <= g.create_date)) d),
                   (SELECT count(*) FROM mail_activity a
                     WHERE a.user_id = u.id AND a.res_model = 'crm.lead'
                       AND NOT a.active AND a.date_done >= %(week_ago)s::date
                       AND a.date_done <= a.date_deadline),
                   (SELECT count(*) FROM mail_activity a
                     WHERE a.user_id = u.id AND a.res_model = 'crm.lead'
                       AND NOT a.active AND a.date_done >= %(week_ago)s::date
                       AND a.date_done > a.date_deadline),
                   (SELECT count(*) FROM mail_activity a
                     WHERE a.user_id = u.id AND a.res_model = 'crm.lead'
                       AND a.active AND a.date_deadline < %(today)s),
                   (SELECT count(DISTINCT m.res_id) FROM mail_message m
                     WHERE m.model = 'crm.lead' AND m.author_id = u.partner_id
                       AND m.date >= %(week_ago)s
                       AND m.message_type != 'user_notification'),
                   lead.open, lead.no_next, lead.touched
              FROM res_users u
         LEFT JOIN LATERAL (
                   SELECT count(*) AS open,
                          count(*) FILTER (WHERE NOT EXISTS (
                              SELECT 1 FROM mail_activity a
                               WHERE a.res_model = 'crm.lead' AND a.res_id = l.id
                                 AND a.active)) AS no_next,
                          count(*) FILTER (WHERE l.create_date >= %(fortnight)s
                              OR EXISTS (SELECT 1 FROM mail_message m
                               WHERE m.model = 'crm.lead' AND m.res_id = l.id
                                 AND m.date >= %(fortnight)s
                                 AND m.message_type != 'user_notification'))
                              AS touched
                     FROM crm_lead l
                    WHERE l.user_id = u.id AND l.active
                      AND l.won_status = 'pending'
                   ) lead ON TRUE
             WHERE u.id IN %(users)s
                """,
                week_ago=week_ago,
                fortnight=fortnight,
                today=day,
                users=tuple(users.ids),
            )
        )
        rows = self.env.cr.fetchall()
        previous = {
            snap.user_id.id: snap.score
            for snap in self.search(
                [("user_id", "in", users.ids), ("date", "<", day)], order="date asc"
            )
        }
        self.search([("date", "=", day), ("user_id", "in", users.ids)]).unlink()
        values = []
        for (
            uid,
            logins,
            on_time,
            late,
            overdue,
            updated,
            open_,
            no_next,
            touched,
        ) in rows:
            user = users.browse(uid)
            score = adoption_score(
                logins, on_time, late, overdue, open_, touched, no_next
            )
            prev = previous.get(uid, score)
            values.append(
                {
                    "date": day,
                    "user_id": uid,
                    "team_id": user.sale_team_id.id,
                    "company_id": user.company_id.id,
                    "login_days": logins,
                    "activities_on_time": on_time,
                    "activities_late": late,
                    "activities_overdue": overdue,
                    "records_updated": updated,
                    "open_leads": open_,
                    "leads_without_next_step": no_next,
                    "leads_touched_14d": touched,
                    "touched_share": round(100.0 * touched / open_, 1)
                    if open_
                    else 100.0,
                    "score": score,
                    "previous_score": prev,
                    "trend": round(score - prev, 1),
                }
            )
        snapshots = self.create(values)
        _logger.info("Adoption snapshots stored for %s salespeople", len(snapshots))
        return snapshots

    def action_open_leads_without_next_step(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Leads without next step"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [[False, "list"], [False, "form"]],
            "domain": [
                ("user_id", "=", self.user_id.id),
                ("attention_no_next_activity", "=", True),
            ],
        }

    @api.model
    def action_compute_now(self):
        self._compute_snapshots()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_smb_core.crm_smb_adoption_snapshot_action"
        )

    @api.model
    def _cron_weekly_adoption(self):
        snapshots = self._compute_snapshots()
        self._send_digests(snapshots)

    @api.model
    def _send_digests(self, snapshots):
        """Email each team leader the scores of their team, lowest first."""
        mails = []
        for team, team_snaps in snapshots.grouped("team_id").items():
            leader = team.user_id
            if not team or not leader.email:
                continue
            lang = leader.lang or "en_US"
            body = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "crm_smb_core.mail_adoption_digest",
                    {
                        "team": team,
                        "leader": leader,
                        "snapshots": team_snaps.sorted("score"),
                        "average": round(
                            sum(team_snaps.mapped("score")) / len(team_snaps), 1
                        ),
                    },
                )
            )
            mails.append(
                {
                    "subject": self.with_context(lang=lang).env._(
                        "CRM adoption this week: %(team)s", team=team.name
                    ),
                    "body_html": body,
                    "email_to": leader.email_formatted,
                    "email_from": self.env.company.email_formatted
                    or leader.email_formatted,
                    "recipient_ids": [(4, leader.partner_id.id)],
                    "auto_delete": True,
                }
            )
        if mails:
            self.env["mail.mail"].sudo().create(mails)
        _logger.info("Adoption digests queued for %s team leaders", len(mails))
        return len(mails)
