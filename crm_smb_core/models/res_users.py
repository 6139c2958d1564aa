from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _update_last_login(self):
        """Also mark the day in crm.smb.login.day, which Odoo does not clean."""
        result = super()._update_last_login()
        for user in self:
            self.env["crm.smb.login.day"].sudo()._mark(user)
        return result
