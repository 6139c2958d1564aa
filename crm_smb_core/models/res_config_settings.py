from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_smb_untouched_days = fields.Integer(
        string="Untouched After (days)",
        config_parameter="crm_smb_core.untouched_days",
        default=14,
        help="An open lead nobody touched for this many days needs attention.",
    )
    crm_smb_admin_user_id = fields.Many2one(
        "res.users",
        string="CRM Administrator",
        config_parameter="crm_smb_core.admin_user_id",
        domain=[("share", "=", False)],
        help="Receives the help requests of the team (your administrator or "
        "consultant).",
    )
