import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_dedup_health_tour", {
    url: "/odoo/action-crm_smb_dedup.crm_smb_data_health_action",
    steps: () => [
        {
            content: "The contacts' quality score is shown",
            trigger: ".o_smb_health_section[data-model='res.partner'] .o_smb_kpi_score",
        },
        {
            content: "Open the cleaning preview for contacts",
            trigger: ".o_smb_health_section[data-model='res.partner'] .o_smb_clean_button",
            run: "click",
        },
        {
            content: "The preview proposes a cased name",
            trigger: ".modal .o_data_row:contains('Gill Bates')",
        },
        {
            content: "Apply the cleaning",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Back on the dashboard, open the incomplete contacts",
            trigger:
                ".o_smb_data_health:not(:has(.modal)) .o_smb_health_section[data-model='res.partner'] .o_smb_kpi_incomplete",
            run: "click",
        },
        {
            content: "The incomplete contact is listed",
            trigger: ".o_list_view .o_data_row:contains('Gill Bates')",
        },
    ],
});
