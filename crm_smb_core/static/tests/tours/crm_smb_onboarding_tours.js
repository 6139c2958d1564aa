import { registry } from "@web/core/registry";

function screenshot() {
    console.log("crm_smb:screenshot");
}

registry.category("web_tour.tours").add("crm_smb_setup_checklist_tour", {
    url: "/odoo/action-crm_smb_core.crm_smb_setup_action",
    steps: () => [
        {
            content: "The checklist shows the steps",
            trigger: ".o_smb_setup .o_smb_step_pipeline_template .fa-circle-o",
            run: screenshot,
        },
        {
            content: "Open the pipeline template step",
            trigger: ".o_smb_step_pipeline_template .o_smb_step_button",
            run: "click",
        },
        {
            content: "Pick the retail template",
            trigger: ".modal .o_field_widget[name='template'] input[data-value='retail']",
            run: "click",
        },
        {
            content: "Pick the team",
            trigger: ".modal .o_field_widget[name='team_id'] input",
            run: "edit Tour team",
        },
        {
            trigger: "a.dropdown-item:contains('Tour team')",
            run: "click",
        },
        {
            content: "The preview lists the stages",
            trigger: ".modal .o_field_widget[name='preview']:contains('Visited store')",
            run: screenshot,
        },
        {
            content: "Apply",
            trigger: ".modal .o_smb_apply_template",
            run: "click",
        },
        {
            content: "The team's new pipeline opens",
            trigger: ".o_kanban_view .o_column_title:contains('Visited store')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_smb_ask_help_tour", {
    url: "/odoo/crm",
    steps: () => [
        {
            content: "Open a deal",
            trigger: ".o_kanban_record:contains('Tour idle deal')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] textarea, .o_form_view .o_field_widget[name='name'] input",
        },
        {
            content: "Ask for help from the top bar",
            trigger: ".o_smb_ask_help button",
            run: "click",
        },
        {
            content: "Say what is wrong",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: "edit How do I split this deal?",
        },
        {
            trigger: ".modal .o_field_widget[name='screen_name']",
            run: screenshot,
        },
        {
            content: "Send",
            trigger: ".modal .o_smb_send_request",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Your request was sent')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_smb_add_field_tour", {
    url: "/odoo/action-crm_smb_core.crm_smb_field_wizard_action",
    steps: () => [
        {
            content: "Name the field",
            trigger: ".modal .o_field_widget[name='label'] input",
            run: "edit Favourite colour",
        },
        {
            trigger: ".modal .o_smb_add_field",
            run: screenshot,
        },
        {
            content: "Add it",
            trigger: ".modal .o_smb_add_field",
            run: "click",
        },
        {
            content: "The new field is a column of the list",
            trigger: ".o_list_view th[data-name='x_smb_favourite_colour']",
        },
        {
            content: "Open the wizard again",
            trigger: ".o_list_view",
            run: "goToUrl /odoo/action-crm_smb_core.crm_smb_field_wizard_action",
            expectUnloadPage: true,
        },
        {
            content: "Name a link field",
            trigger: ".modal .o_field_widget[name='label'] input",
            run: "edit Partner agency",
        },
        {
            content: "Open the types",
            trigger: ".modal .o_field_widget[name='field_type'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "It links to a record",
            trigger: ".o_select_menu_item:contains('Link to a record')",
            run: "click",
        },
        {
            content: "Open what it links to",
            trigger: ".modal .o_field_widget[name='relation'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "A contact",
            trigger: ".o_select_menu_item:contains('Contact')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='relation'] input:value(Contact)",
            run: screenshot,
        },
        {
            content: "Add it",
            trigger: ".modal .o_smb_add_field",
            run: "click",
        },
        {
            content: "The link is a column of the list",
            trigger: ".o_list_view th[data-name='x_smb_partner_agency']",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The list can be grouped by the link",
            trigger: ".o_group_by_menu .dropdown-item:contains('Partner agency')",
            run: screenshot,
        },
    ],
});

registry.category("web_tour.tours").add("crm_smb_cadence_tour", {
    url: "/odoo/action-crm_smb_core.crm_smb_cadence_action",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Call new leads",
        },
        {
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name='activity_type_id'] input",
            run: "edit Call",
        },
        {
            trigger: "a.dropdown-item:contains('Call')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Plan the follow-ups now",
            trigger: ".o_form_view button[name='action_run_now']",
            run: "click",
        },
        {
            content: "The planned follow-ups are counted",
            trigger: "button[name='action_view_logs']:contains('Scheduled'):contains('1')",
            run: screenshot,
        },
    ],
});
