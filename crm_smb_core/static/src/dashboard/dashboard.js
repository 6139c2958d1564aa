import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Role dashboard (My day, team, owner, marketing). The server sends tiles and
 * tables; every figure carries the window action that lists its records.
 */
export class SmbDashboard extends Component {
    static template = "crm_smb_core.SmbDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.role = this.props.action.params?.role || "salesperson";
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("crm.smb.dashboard", "get_dashboard", [
            this.role,
        ]);
    }

    format(value, format) {
        if (format === "monetary") {
            return formatMonetary(value, { digits: [16, 0] });
        }
        if (format === "percent") {
            return `${formatFloat(value, { digits: [16, 1] })} %`;
        }
        return formatFloat(value, { digits: [16, 0] });
    }

    open(figure) {
        this.action.doAction(figure.action);
    }

    openHelp() {
        this.action.doAction("crm_smb_core.crm_smb_help_article_action", {
            additionalContext: { search_default_screen: this.state.data.help_screen },
        });
    }

    get refreshLabel() {
        return _t("Refresh");
    }
}

registry.category("actions").add("crm_smb_core.dashboard", SmbDashboard);
