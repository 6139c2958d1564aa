import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_sync_log_retry_tour", {
    url: "/odoo/action-crm_smb_integrations.crm_smb_sync_log_action",
    steps: () => [
        {
            content: "Open the run with a failed order",
            trigger: ".o_data_row:contains('Tour import') td[name=operation]",
            run: "click",
        },
        {
            content: "The failure says what the order waits for",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('not imported yet')",
        },
        {
            content: "Retry the failed records",
            trigger: "button[name=action_retry_failed]",
            run: "click",
        },
        {
            content: "The retry is queued",
            trigger: ".o_notification:contains('Retry queued')",
        },
    ],
});
