import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/** The owner's setup checklist: each step is ticked from the data. */
export class SmbSetupChecklist extends Component {
    static template = "crm_smb_core.SmbSetupChecklist";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.tour = useService("tour_service");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("crm.smb.setup", "get_steps", []);
    }

    async run(step) {
        if (step.tour) {
            this.tour.startTour(step.tour, { mode: "manual" });
        } else if (step.action) {
            await this.action.doAction(step.action, { onClose: () => this.load() });
        }
    }

    openHelp() {
        this.action.doAction("crm_smb_core.crm_smb_help_article_action", {
            additionalContext: { search_default_screen: "setup" },
        });
    }
}

registry.category("actions").add("crm_smb_core.setup_checklist", SmbSetupChecklist);
