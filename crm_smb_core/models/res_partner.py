from odoo import api, fields, models

from .lifecycle import (
    COMPANY_SIZE_BANDS,
    CUSTOMER_TYPES,
    LIFECYCLE_RANK,
    LIFECYCLE_STAGES,
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.smb.validation.mixin"]

    # Segmentation
    customer_type = fields.Selection(CUSTOMER_TYPES, tracking=True)
    company_size_band = fields.Selection(COMPANY_SIZE_BANDS, string="Company Size")

    # Lifecycle
    smb_lead_ids = fields.One2many("crm.lead", "partner_id", string="All Leads")
    lifecycle_stage_auto = fields.Selection(
        LIFECYCLE_STAGES,
        string="Derived Lifecycle Stage",
        compute="_compute_lifecycle_stage_auto",
        store=True,
    )
    lifecycle_stage_override = fields.Selection(
        LIFECYCLE_STAGES,
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
        help="The most advanced stage among the contact's leads and "
        "opportunities, 'Subscriber' when it has none; editable to override.",
    )

    @api.depends("smb_lead_ids.lifecycle_stage_auto")
    def _compute_lifecycle_stage_auto(self):
        for partner in self:
            stages = partner.smb_lead_ids.mapped("lifecycle_stage_auto")
            partner.lifecycle_stage_auto = max(
                stages, key=LIFECYCLE_RANK.__getitem__, default="subscriber"
            )

    @api.depends("lifecycle_stage_auto", "lifecycle_stage_override")
    def _compute_lifecycle_stage(self):
        for partner in self:
            partner.lifecycle_stage = (
                partner.lifecycle_stage_override or partner.lifecycle_stage_auto
            )

    def _inverse_lifecycle_stage(self):
        for partner in self:
            partner.lifecycle_stage_override = (
                False
                if partner.lifecycle_stage == partner.lifecycle_stage_auto
                else partner.lifecycle_stage
            )

    def action_reset_lifecycle_stage(self):
        """Drop the manual override and go back to the derived stage."""
        self.lifecycle_stage_override = False
