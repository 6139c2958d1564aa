from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # The ROI dashboard reads won deals by closing date and the first won deal
    # of each customer; these partial indexes keep those reads off a full scan.
    _roi_won_date_closed_idx = models.Index(
        "(company_id, date_closed) WHERE won_status = 'won'"
    )
