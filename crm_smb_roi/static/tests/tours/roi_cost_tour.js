import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_roi_cost_tour", {
    url: "/odoo/action-crm_smb_roi.crm_smb_cost_action",
    steps: () => [
        {
            content: "Record a new cost",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Describe it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour booth",
        },
        {
            content: "Open the categories",
            trigger: ".o_field_widget[name=category] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "An event",
            trigger: ".o_select_menu_item:contains('Events')",
            run: "click",
        },
        {
            content: "Its amount",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 750",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb a:contains('Costs')",
            run: "click",
        },
        {
            content: "The cost is listed",
            trigger: ".o_data_row:contains('Tour booth'):contains('750.00')",
        },
    ],
});
