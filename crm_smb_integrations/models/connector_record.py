from odoo import fields, models


class CrmSmbConnectorRecord(models.AbstractModel):
    """What every record of a connected service holds: its connector, and the
    connector's company, which the multi-company record rules read."""

    _name = "crm.smb.connector.record"
    _description = "Record of a connected service"

    backend_id = fields.Many2one(
        "crm.smb.connector.backend",
        string="Connector",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
