from odoo import fields, models

from ..logic.pipeline_templates import TEMPLATES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    smb_pipeline_template = fields.Selection(
        [(key, values["name"]) for key, values in TEMPLATES.items()],
        string="Pipeline Template",
        readonly=True,
        copy=False,
        help="The template last applied to this team's pipeline.",
    )
    smb_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="Follow-up cadences count business days on these working hours "
        "and their public holidays. Leave empty to use the company's.",
    )

    def action_smb_apply_template(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply a pipeline template"),
            "res_model": "crm.smb.pipeline.template.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_team_id": self.id},
        }
