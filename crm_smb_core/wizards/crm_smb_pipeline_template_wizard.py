import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..logic.pipeline_templates import TEMPLATES, properties_definition

_logger = logging.getLogger(__name__)


class CrmSmbPipelineTemplateWizard(models.TransientModel):
    _name = "crm.smb.pipeline.template.wizard"
    _description = "Apply a Pipeline Template"

    team_id = fields.Many2one("crm.team", required=True, ondelete="cascade")
    template = fields.Selection(
        [(key, values["name"]) for key, values in TEMPLATES.items()],
        required=True,
        default="services",
    )
    apply_properties = fields.Boolean(
        string="Add the template's lead properties",
        default=True,
        help="Adds the template's fields to the team's leads (lead properties). "
        "Existing properties are kept.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=True)

    @api.depends("template")
    def _compute_preview(self):
        for wizard in self:
            template = TEMPLATES.get(wizard.template)
            if not template:
                wizard.preview = False
                continue
            _ = self.env._
            wizard.preview = (
                f"<p><b>{_('Stages')}:</b> "
                + " → ".join(name for name, _won, _fold in template["stages"])
                + f"</p><p><b>{_('Lost reasons')}:</b> "
                + ", ".join(template["lost_reasons"])
                + f"</p><p><b>{_('Tags')}:</b> "
                + ", ".join(template["tags"])
                + "</p>"
            )

    def action_apply(self):
        """Create the team's stages, the lost reasons and tags it lacks."""
        self.ensure_one()
        if not self.env.user.has_group("crm_smb_core.group_smb_manager"):
            raise AccessError(self.env._("Only managers can change pipelines."))
        template = TEMPLATES[self.template]
        # SMB managers shape their team's pipeline without Odoo's Sales
        # Administrator right; the group check above stands for it.
        team = self.team_id.sudo()
        Stage = self.env["crm.stage"].sudo()
        existing = Stage.search([("team_ids", "in", team.ids)])
        by_name = {stage.name: stage for stage in existing}
        values = []
        for sequence, (name, is_won, fold) in enumerate(template["stages"], 1):
            if name in by_name:
                by_name[name].write({"sequence": sequence * 10})
                continue
            values.append(
                {
                    "name": name,
                    "sequence": sequence * 10,
                    "is_won": is_won,
                    "fold": fold,
                    "team_ids": [(6, 0, team.ids)],
                }
            )
        Stage.create(values)
        self._create_missing("crm.lost.reason", template["lost_reasons"])
        self._create_missing("crm.tag", template["tags"])
        if self.apply_properties:
            current = list(team.lead_properties_definition or [])
            names = {prop["name"] for prop in current}
            current += [
                prop
                for prop in properties_definition(self.template)
                if prop["name"] not in names
            ]
            team.lead_properties_definition = current
        team.smb_pipeline_template = self.template
        _logger.info(
            "Pipeline template %s applied to team %s: %s new stages",
            self.template,
            team.id,
            len(values),
        )
        return {
            "type": "ir.actions.act_window",
            "name": team.name,
            "res_model": "crm.lead",
            "view_mode": "kanban,list,form",
            "views": [[False, "kanban"], [False, "list"], [False, "form"]],
            "domain": [("type", "=", "opportunity")],
            "context": {"default_team_id": team.id, "search_default_team_id": team.id},
        }

    def _create_missing(self, model, names):
        Model = self.env[model].sudo()
        found = set(Model.search([("name", "in", names)]).mapped("name"))
        Model.create([{"name": name} for name in names if name not in found])
