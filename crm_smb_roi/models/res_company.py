import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    roi_adoption_date = fields.Date(
        string="CRM Adoption Date",
        help="Day the company started to use this CRM. The months before it "
        "are the baseline the CRM's own ROI is measured against.",
    )
    roi_baseline_months = fields.Integer(
        string="Baseline Months",
        default=12,
        help="How many months before the adoption date form the baseline.",
    )
    roi_gross_margin_pct = fields.Float(
        string="Gross Margin (%)",
        default=100.0,
        help="Share of revenue left after the cost of what was sold; used by "
        "CLV, CAC payback and ROI.",
    )
    roi_lifespan_months = fields.Integer(
        string="Customer Lifespan (months)",
        default=24,
        help="How long a customer typically stays; used by CLV.",
    )

    @api.constrains(
        "roi_gross_margin_pct", "roi_lifespan_months", "roi_baseline_months"
    )
    def _check_roi_settings(self):
        for company in self:
            if not 0.0 <= company.roi_gross_margin_pct <= 100.0:
                _logger.warning("Rejected ROI settings of %s: margin", company.name)
                raise ValidationError(
                    self.env._(
                        "The gross margin of %(company)s must be between 0 and "
                        "100 %%; it is %(value)s.",
                        company=company.name,
                        value=company.roi_gross_margin_pct,
                    )
                )
            if company.roi_lifespan_months < 1 or company.roi_baseline_months < 1:
                _logger.warning("Rejected ROI settings of %s: months", company.name)
                raise ValidationError(
                    self.env._(
                        "The customer lifespan and the baseline of %(company)s "
                        "must be at least one month.",
                        company=company.name,
                    )
                )
