import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_lifecycle_tour", {
    url: "/odoo/action-crm_smb_core.crm_lead_action_lifecycle",
    steps: () => [
        {
            content: "The leads are grouped by lifecycle stage",
            trigger: ".o_list_view .o_group_header:contains('Opportunity')",
            run: "click",
        },
        {
            content: "The lead of the group is listed",
            trigger: ".o_data_row:contains('Tour lead')",
        },
    ],
});
