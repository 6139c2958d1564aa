import { registry } from "@web/core/registry";

function screenshot() {
    console.log("crm_smb:screenshot");
}

function dashboardTour(name, url, tileKey, expectRecord) {
    registry.category("web_tour.tours").add(name, {
        url,
        steps: () => [
            {
                content: "The dashboard shows its figures",
                trigger: `.o_smb_dashboard .o_smb_tile_${tileKey} .o_smb_tile_value`,
                run: screenshot,
            },
            {
                content: "Every figure opens the records behind it",
                trigger: `.o_smb_tile_${tileKey}`,
                run: "click",
            },
            {
                content: "The records are listed",
                trigger: `.o_list_view .o_data_row:contains('${expectRecord}')`,
            },
            {
                content: "Back to the dashboard",
                trigger: ".o_breadcrumb .breadcrumb-item a",
                run: "click",
            },
            {
                content: "Table cells open records too",
                trigger: ".o_smb_dashboard .o_smb_table .o_smb_cell",
                run: "click",
            },
            {
                content: "A list opens",
                trigger: ".o_list_view",
            },
        ],
    });
}

dashboardTour(
    "crm_smb_my_day_tour",
    "/odoo/action-crm_smb_core.crm_smb_dashboard_action_my_day",
    "no_next_step",
    "Tour idle deal"
);
dashboardTour(
    "crm_smb_manager_dashboard_tour",
    "/odoo/action-crm_smb_core.crm_smb_dashboard_action_manager",
    "team_pipeline",
    "Tour idle deal"
);
dashboardTour(
    "crm_smb_owner_dashboard_tour",
    "/odoo/action-crm_smb_core.crm_smb_dashboard_action_owner",
    "revenue_year",
    "Tour won deal"
);
dashboardTour(
    "crm_smb_marketing_dashboard_tour",
    "/odoo/action-crm_smb_core.crm_smb_dashboard_action_marketing",
    "new_leads",
    "Tour idle deal"
);
