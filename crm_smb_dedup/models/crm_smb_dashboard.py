from odoo import api, models


class CrmSmbDashboard(models.AbstractModel):
    _inherit = "crm.smb.dashboard"

    @api.model
    def _owner_extra_tiles(self):
        """Data health on the owner's overview: the average quality score of
        active contacts and the duplicate groups waiting for a review."""
        tiles = super()._owner_extra_tiles()
        _ = self.env._
        tiles.append(
            self._tile(
                "dedup_quality",
                _("Contact data quality (avg. score)"),
                "res.partner",
                [("active", "=", True), ("type", "=", "contact")],
                measure="smb_quality_score:avg",
            )
        )
        tiles.append(
            self._tile(
                "dedup_pending",
                _("Duplicates to review"),
                "crm.smb.duplicate.group",
                [("state", "=", "pending")],
            )
        )
        return tiles
