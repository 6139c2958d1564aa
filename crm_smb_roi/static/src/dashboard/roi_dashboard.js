import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Owner dashboard: KPI cards with their trend against the previous period,
 * revenue and spend per month, ROI per source. Every figure opens the
 * records behind it (the server builds the action, so the list always
 * matches the figure).
 */
export class RoiDashboard extends Component {
    static template = "crm_smb_roi.RoiDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            filters: { period: "this_quarter", team_id: "", source_id: "" },
            data: null,
            loading: true,
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call(
            "crm.smb.roi.dashboard",
            "get_dashboard_data",
            [this.state.filters]
        );
        this.state.loading = false;
    }

    async onFilterChange(name, ev) {
        this.state.filters[name] = ev.target.value;
        await this.load();
    }

    async open(key, extra = {}) {
        const filters = { ...this.state.filters, ...(extra.filters || {}) };
        const action = await this.orm.call(
            "crm.smb.roi.dashboard",
            "action_open_kpi",
            [key, filters],
            { month: extra.month || null }
        );
        await this.action.doAction(action);
    }

    openSource(row) {
        return this.open("source", { filters: { source_id: String(row.source_id) } });
    }

    sameId(a, b) {
        return String(a) === String(b);
    }

    trendClass(kpi) {
        if (kpi.good === null || kpi.good === undefined) {
            return "text-muted";
        }
        return kpi.good ? "text-success" : "text-danger";
    }

    trendArrow(kpi) {
        if (kpi.trend === null || kpi.trend === 0) {
            return "";
        }
        return kpi.trend > 0 ? "▲" : "▼";
    }
}

registry.category("actions").add("crm_smb_roi.dashboard", RoiDashboard);
