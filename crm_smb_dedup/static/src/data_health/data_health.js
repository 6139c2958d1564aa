import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Data health dashboard: overall quality score, its trend, the most common
 * problems and the duplicates waiting for review, for contacts and leads.
 */
export class DataHealthDashboard extends Component {
    static template = "crm_smb_dedup.DataHealthDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.sections = [
            { key: "res_partner", model: "res.partner", title: _t("Contacts") },
            { key: "crm_lead", model: "crm.lead", title: _t("Leads") },
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "crm.smb.quality.snapshot",
            "get_dashboard_data",
            []
        );
    }

    scoreClass(score) {
        if (score >= 80) {
            return "text-success";
        }
        return score >= 50 ? "text-warning" : "text-danger";
    }

    openRecords(section, domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: section.model,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
            context: { active_test: true },
        });
    }

    openIncomplete(section) {
        this.openRecords(
            section,
            [["smb_quality_incomplete", "=", true]],
            _t("Incomplete %s", section.title)
        );
    }

    openStale(section) {
        this.openRecords(
            section,
            [["smb_quality_stale", "=", true]],
            _t("Stale %s", section.title)
        );
    }

    openProblem(section, problem) {
        this.openRecords(section, [["smb_quality_issues", "ilike", problem]], problem);
    }

    openDuplicates() {
        this.action.doAction("crm_smb_dedup.crm_smb_duplicate_group_action");
    }

    openCleaning(section) {
        this.action.doAction("crm_smb_dedup.crm_smb_cleaning_wizard_action", {
            additionalContext: { active_model: section.model, active_ids: [] },
            onClose: () => this.load(),
        });
    }

    trendHeight(point) {
        return `${Math.max(4, Math.round(point.score))}%`;
    }
}

registry.category("actions").add("crm_smb_dedup.data_health", DataHealthDashboard);
