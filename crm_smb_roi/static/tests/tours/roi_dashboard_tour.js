import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_smb_roi_dashboard_tour", {
    url: "/odoo/action-crm_smb_roi.crm_smb_roi_dashboard_action",
    steps: () => [
        {
            content: "The KPI cards are shown with their trend",
            trigger: ".o_roi_card_won_revenue .o_roi_value:contains('1,500')",
        },
        {
            content: "Without adoption date the CRM ROI reads n/a",
            trigger: ".o_roi_card_crm_roi .o_roi_value:contains('n/a')",
        },
        {
            content: "Filter on the tour's source",
            trigger: "select.o_roi_filter_source",
            run: "selectByLabel Tour Source",
        },
        {
            content: "The source table shows the filtered source only",
            trigger: ".o_roi_sources tr.o_roi_source_row:contains('Tour Source')",
        },
        {
            content: "Look at the whole year",
            trigger: "select.o_roi_filter_period",
            run: "select this_year",
        },
        {
            content: "Open the won deals behind the revenue card",
            trigger: ".o_roi_card_won_revenue",
            run: "click",
        },
        {
            content: "The list shows the won deal",
            trigger: ".o_list_view .o_data_row:contains('Tour won deal')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the costs behind the spend card",
            trigger: ".o_roi_card_spend",
            run: "click",
        },
        {
            content: "The list shows the tour's cost",
            trigger: ".o_list_view .o_data_row:contains('Tour ads')",
        },
    ],
});
