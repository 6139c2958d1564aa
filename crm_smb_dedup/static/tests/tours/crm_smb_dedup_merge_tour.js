import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_dedup_merge_tour", {
    url: "/odoo/action-crm_smb_dedup.crm_smb_duplicate_group_action",
    steps: () => [
        {
            content: "The group of the two Kelly records waits for review",
            trigger: ".o_data_row:contains('Kelly Slater') button[name='action_review']",
            run: "click",
        },
        {
            content: "Both records are shown side by side with their reasons",
            trigger: ".modal .o_smb_merge_members .o_data_row:contains('kel@surf.io')",
        },
        {
            content: "The field whose values differ offers a choice",
            trigger: ".modal .o_smb_merge_lines .o_data_row:contains('Kelly Slater | Kel Slater')",
        },
        {
            content: "Merge",
            trigger: ".modal .o_smb_merge_button",
            run: "click",
        },
        {
            content: "The surviving contact opens",
            trigger: ".o_form_view .o_field_widget[name='email'] input",
        },
    ],
});
