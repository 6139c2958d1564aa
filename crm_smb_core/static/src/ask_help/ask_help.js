import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * "Ask for help" in the top bar of every screen: files a help request with
 * the current screen (its name and address) and the open record attached.
 */
export class SmbAskHelp extends Component {
    static template = "crm_smb_core.SmbAskHelp";
    static props = {};

    setup() {
        this.action = useService("action");
    }

    async ask() {
        const controller = this.action.currentController;
        const context = { default_screen_url: window.location.href };
        if (controller) {
            context.default_screen_name = controller.displayName || controller.action?.name;
            const resModel = controller.props?.resModel;
            const resId = controller.props?.resId;
            if (resModel && resId) {
                context.default_res_model = resModel;
                context.default_res_id = resId;
            }
        }
        await this.action.doAction("crm_smb_core.crm_smb_support_request_action_ask", {
            additionalContext: context,
        });
    }
}

registry
    .category("systray")
    .add("crm_smb_core.ask_help", { Component: SmbAskHelp }, { sequence: 40 });
