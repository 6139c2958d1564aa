from odoo import api, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        # Stage gates cache each stage's sequence and teams.
        self.env.registry.clear_cache()
        return stages

    def write(self, vals):
        result = super().write(vals)
        if {"sequence", "is_won", "team_ids"}.intersection(vals):
            self.env.registry.clear_cache()
        return result
