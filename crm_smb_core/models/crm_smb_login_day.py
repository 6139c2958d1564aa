"""One mark per user and day the user logged in or worked in Odoo.

Odoo keeps only each user's last login (a daily clean-up empties
res.users.log), so the adoption score reads its "days logged in" here. The
mark is written on login and, for users who keep a session open for days, on
the first presence ping of the day (see res.users and mail.presence).
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Marks older than this are removed by the daily clean-up: the adoption
# snapshots keep the figures of past weeks.
KEEP_DAYS = 400


class CrmSmbLoginDay(models.Model):
    _name = "crm.smb.login.day"
    _description = "Day a User Logged In"
    _order = "day desc, id desc"
    _rec_name = "day"

    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", readonly=True, index=True
    )
    day = fields.Date(required=True, readonly=True, index=True)

    _unique_day = models.Constraint(
        "UNIQUE(user_id, day)", "One mark per user and day."
    )

    @api.model
    def _user_today(self, user):
        return fields.Date.context_today(self.with_context(tz=user.tz))

    @api.model
    def _mark(self, user):
        """Record that ``user`` used Odoo today (in the user's time zone).

        SQL: an INSERT that ignores the day already marked is safe against two
        logins at the same moment and costs one statement.
        """
        day = self._user_today(user)
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_smb_login_day (
                       user_id, day, create_uid, write_uid, create_date, write_date)
                   VALUES (%(user)s, %(day)s, %(user)s, %(user)s,
                           now() at time zone 'UTC', now() at time zone 'UTC')
                   ON CONFLICT (user_id, day) DO NOTHING""",
                user=user.id,
                day=day,
            )
        )

    @api.autovacuum
    def _gc_login_days(self):
        limit = fields.Date.today() - timedelta(days=KEEP_DAYS)
        self.env.cr.execute(SQL("DELETE FROM crm_smb_login_day WHERE day < %s", limit))
        _logger.info("Removed %s login marks before %s", self.env.cr.rowcount, limit)
