import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CrmSmbSupportRequest(models.Model):
    """A user's "Ask for help" request, with the screen and record attached.

    It goes to the CRM administrator set in the settings (the company's admin
    or consultant) and its status shows in the chatter of both people.
    """

    _name = "crm.smb.support.request"
    _description = "Help Request"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Text(string="What were you trying to do?")
    user_id = fields.Many2one(
        "res.users",
        string="Asked By",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
    )
    assigned_id = fields.Many2one(
        "res.users",
        string="CRM Administrator",
        default=lambda self: self._default_assigned(),
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("waiting", "Waiting for You"),
            ("done", "Solved"),
        ],
        default="new",
        required=True,
        tracking=True,
        group_expand=True,
    )
    screen_name = fields.Char(string="Screen", readonly=True)
    screen_url = fields.Char(string="Screen Address", readonly=True)
    res_model = fields.Char(string="Record Model", readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    record_name = fields.Char(compute="_compute_record_name", string="Record")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _default_assigned(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_smb_core.admin_user_id")
        )
        user = (
            self.env["res.users"].sudo().browse(int(param)).exists() if param else None
        )
        return user or self.env.ref("base.user_admin", raise_if_not_found=False)

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for request in self:
            name = False
            if request.res_model in self.env and request.res_id:
                record = (
                    self.env[request.res_model].sudo().browse(request.res_id).exists()
                )
                name = record.display_name if record else False
            request.record_name = name

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            # The requester follows by default; the administrator is told.
            if request.assigned_id:
                request.message_subscribe(
                    partner_ids=request.assigned_id.partner_id.ids
                )
                request.message_post(
                    body=self.env._(
                        "%(user)s asks for help on %(screen)s.",
                        user=request.user_id.name,
                        screen=request.screen_name or self.env._("a screen"),
                    ),
                    partner_ids=request.assigned_id.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        _logger.info("%s help requests filed", len(requests))
        return requests

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [[False, "form"]],
        }

    def action_start(self):
        self.state = "in_progress"

    def action_wait(self):
        self.state = "waiting"

    def action_done(self):
        self.state = "done"

    def action_send(self):
        """The dialog's Send button: the record is saved already."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "Your request was sent. Follow it in Help > My Requests."
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
