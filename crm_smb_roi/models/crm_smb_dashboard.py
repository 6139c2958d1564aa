"""ROI tiles on the suite's owner dashboard ("Business overview"), and the
"Enter your costs" step of the owner's setup checklist."""

from odoo import api, models

# Tiles are computed for the current quarter, like the ROI dashboard's default.
TILE_PERIOD = "this_quarter"


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


class CrmSmbSetup(models.AbstractModel):
    _inherit = "crm.smb.setup"

    @api.model
    def _step_enter_costs(self):
        """Done once the company has entered a cost; opens the cost list."""
        step = super()._step_enter_costs()
        step.update(
            description=self.env._(
                "Enter what you spend on ads, events, staff time and the CRM "
                "itself, so the owner dashboard can show CAC and ROI."
            ),
            done=bool(self.env["crm.smb.cost"].sudo().search_count([], limit=1)),
            action=self._action("crm_smb_roi.crm_smb_cost_action"),
        )
        return step
