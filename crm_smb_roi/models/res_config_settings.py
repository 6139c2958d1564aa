from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    roi_adoption_date = fields.Date(
        related="company_id.roi_adoption_date", readonly=False
    )
    roi_baseline_months = fields.Integer(
        related="company_id.roi_baseline_months", readonly=False
    )
    roi_gross_margin_pct = fields.Float(
        related="company_id.roi_gross_margin_pct", readonly=False
    )
    roi_lifespan_months = fields.Integer(
        related="company_id.roi_lifespan_months", readonly=False
    )
