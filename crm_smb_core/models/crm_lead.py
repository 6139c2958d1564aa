from odoo import api, fields, models

from .lifecycle import (
    COMPANY_SIZE_BANDS,
    CUSTOMER_TYPES,
    LIFECYCLE_STAGES,
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Segmentation
    customer_type = fields.Selection(CUSTOMER_TYPES, default="b2b", tracking=True)
    industry_id = fields.Many2one("res.partner.industry", string="Industry")
    company_size_band = fields.Selection(COMPANY_SIZE_BANDS, string="Company Size")

    # Lifecycle
    lifecycle_stage_auto = fields.Selection(
        LIFECYCLE_STAGES,
        string="Derived Lifecycle Stage",
        compute="_compute_lifecycle_stage_auto",
        store=True,
    )
    lifecycle_stage_override = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle Stage Override",
        copy=False,
        help="Set by hand; wins over the derived stage until cleared.",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        compute="_compute_lifecycle_stage",
        inverse="_inverse_lifecycle_stage",
        store=True,
        index=True,
        tracking=True,
        readonly=False,
        help="Derived from the lead's type, assignment and outcome; editable to "
        "override. Changes are kept in the chatter.",
    )

    @api.depends("type", "won_status", "user_id", "email_from", "phone", "active")
    def _compute_lifecycle_stage_auto(self):
        for lead in self:
            if lead.won_status == "won":
                lead.lifecycle_stage_auto = "customer"
            elif lead.type == "opportunity":
                lead.lifecycle_stage_auto = "opportunity"
            elif lead.user_id:
                lead.lifecycle_stage_auto = "sales_qualified"
            elif lead.email_from and lead.phone:
                lead.lifecycle_stage_auto = "marketing_qualified"
            else:
                lead.lifecycle_stage_auto = "lead"

    @api.depends("lifecycle_stage_auto", "lifecycle_stage_override")
    def _compute_lifecycle_stage(self):
        for lead in self:
            lead.lifecycle_stage = (
                lead.lifecycle_stage_override or lead.lifecycle_stage_auto
            )

    def _inverse_lifecycle_stage(self):
        for lead in self:
            lead.lifecycle_stage_override = (
                False
                if lead.lifecycle_stage == lead.lifecycle_stage_auto
                else lead.lifecycle_stage
            )

    def action_reset_lifecycle_stage(self):
        """Drop the manual override and go back to the derived stage."""
        self.lifecycle_stage_override = False
