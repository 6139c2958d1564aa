"""ROI tiles on the suite's owner dashboard ("Business overview").

crm_smb_core's role dashboards offer ``_owner_extra_tiles()`` as extension
point. The check below keeps this addon installable with a crm_smb_core
that has no role dashboards yet: the inheritance is only declared when
core's dashboard model and its extension point exist.
"""

from odoo import api, models

try:
    from odoo.addons.crm_smb_core.models.crm_smb_dashboard import (
        CrmSmbDashboard as _CoreDashboard,
    )
except ImportError:
    _CoreDashboard = None

# Tiles are computed for the current quarter, like the ROI dashboard's default.
TILE_PERIOD = "this_quarter"

if _CoreDashboard is not None and hasattr(_CoreDashboard, "_owner_extra_tiles"):

    class CrmSmbDashboard(models.AbstractModel):
        _inherit = "crm.smb.dashboard"

        @api.model
        def _owner_extra_tiles(self):
            """Spend and ROI of the quarter; both open the ROI dashboard.

            The ROI tile is left out while the ROI is undefined (no spend):
            core's tiles show numbers only, and "n/a" must never read as 0.
            """
            tiles = super()._owner_extra_tiles()
            data = self.env["crm.smb.roi.dashboard"].get_dashboard_data(
                {"period": TILE_PERIOD}
            )
            kpis = {kpi["key"]: kpi for kpi in data["kpis"]}
            action = "crm_smb_roi.crm_smb_roi_dashboard_action"
            _ = self.env._
            tiles.append(
                {
                    "key": "roi_spend_quarter",
                    "label": _("Spend this quarter"),
                    "value": kpis["spend"]["value"],
                    "format": "monetary",
                    "action": action,
                }
            )
            if kpis["roi"]["value"] is not None:
                tiles.append(
                    {
                        "key": "roi_quarter",
                        "label": _("ROI this quarter"),
                        "value": kpis["roi"]["value"],
                        "format": "percent",
                        "action": action,
                    }
                )
            return tiles
