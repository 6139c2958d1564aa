import { registry } from "@web/core/registry";

function screenshot() {
    console.log("crm_smb:screenshot");
}

registry.category("web_tour.tours").add("crm_smb_roi_account_invoiced_clv_tour", {
    url: "/odoo/action-crm_smb_roi.crm_smb_roi_dashboard_action",
    steps: () => [
        {
            content: "The CLV from invoices card shows the invoiced figure",
            trigger: ".o_roi_card_clv_invoiced .o_roi_value:contains('6,000.00')",
        },
        {
            content: "Under it, the invoiced revenue and customers it rests on",
            trigger: ".o_roi_card_clv_invoiced .o_roi_detail:contains('1,500.00')",
            run: screenshot,
        },
        {
            content: "Open the invoices behind the card",
            trigger: ".o_roi_card_clv_invoiced",
            run: "click",
        },
        {
            content: "The list shows the posted invoice and its customer",
            trigger: ".o_list_view .o_data_row:contains('Tour Invoiced Customer')",
        },
        {
            content: "The list totals the invoiced revenue in the company currency",
            trigger: ".o_list_view tfoot:contains('1,500.00')",
            run: screenshot,
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The dashboard is back with the card",
            trigger: ".o_roi_card_clv_invoiced .o_roi_value:contains('6,000.00')",
        },
    ],
});
