import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_identity_review_tour", {
    url: "/odoo/action-crm_smb_integrations.crm_smb_identity_review_action",
    steps: () => [
        {
            content: "Open the customer waiting for a decision",
            trigger: ".o_data_row:contains('Nora Review') td[name=name]",
            run: "click",
        },
        {
            content: "Both look-alike contacts are offered",
            trigger: ".o_field_widget[name=candidate_ids] .o_data_row:nth-child(2)",
        },
        {
            content: "Choose the second one",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Nora R. Second",
        },
        {
            content: "Pick it in the drop-down",
            trigger: ".o-autocomplete--dropdown-item:contains('Nora R. Second')",
            run: "click",
        },
        {
            content: "Link the incoming customer to it",
            trigger: "button[name=action_link]",
            run: "click",
        },
        {
            content: "The review is closed as linked",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Linked')",
        },
    ],
});
