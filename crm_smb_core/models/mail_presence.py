from odoo import api, fields, models

from odoo.addons.mail.models.mail_presence import AWAY_TIMER


class MailPresence(models.Model):
    _inherit = "mail.presence"

    @api.model
    def _update_presence(self, user_or_guest, inactivity_period=0):
        """Mark the day for users who keep their session open across days.

        Only the first active ping of the user's day writes (the previous
        presence is read anyway), so later pings cost nothing more. An away
        session (no input for half an hour) does not count as a day of use.
        """
        if (
            user_or_guest._name == "res.users"
            and inactivity_period <= AWAY_TIMER * 1000
            and not user_or_guest.share
        ):
            LoginDay = self.env["crm.smb.login.day"].sudo()
            last = user_or_guest.sudo().presence_ids[:1].last_presence
            user_env = self.with_context(tz=user_or_guest.tz)
            if not last or fields.Datetime.context_timestamp(
                user_env, last
            ).date() < LoginDay._user_today(user_or_guest):
                LoginDay._mark(user_or_guest)
        return super()._update_presence(user_or_guest, inactivity_period)
