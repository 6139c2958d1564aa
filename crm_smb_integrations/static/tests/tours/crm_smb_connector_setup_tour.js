import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_connector_setup_tour", {
    url: "/odoo/action-crm_smb_integrations.crm_smb_connector_backend_action",
    steps: () => [
        {
            content: "Add a connector",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour audience",
        },
        {
            content: "It is a Mailchimp audience",
            trigger: ".o_field_widget[name=service] input[data-value=mailchimp]",
            run: "click",
        },
        {
            content: "The audience ID appears for Mailchimp",
            trigger: ".o_field_widget[name=mailchimp_list_id] input",
            run: "edit a1b2c3d4e5",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, not connected yet",
            trigger:
                ".o_form_saved .o_statusbar_status .o_arrow_button_current:contains('Not connected')",
        },
        {
            content: "Back to the connectors",
            trigger: ".o_breadcrumb .o_back_button a, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the shop prepared by the test",
            trigger: ".o_data_row:contains('Tour shop') td[name=name]",
            run: "click",
        },
        {
            content: "Check the connection",
            trigger: "button[name=action_health_check]",
            run: "click",
        },
        {
            content: "The shop is connected",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Connected')",
        },
        {
            content: "Sync Now is offered once connected",
            trigger: "button[name=action_sync_now]",
        },
        {
            content: "Register the shop's webhooks",
            trigger: "button[name=action_shopify_register_webhooks]",
            run: "click",
        },
        {
            content: "Shopify confirms the webhooks",
            trigger: ".o_notification:contains('Shopify webhooks registered')",
        },
    ],
});
