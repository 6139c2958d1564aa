import { registry } from "@web/core/registry";

function screenshot() {
    console.log("crm_smb:screenshot");
}

const CSV = [
    "name,partner_name,email_from",
    "Import good,Acme,ann@acme.example.com",
    "Import no company,,bob@beta.example.com",
    "Import bad email,Delta,not-an-email",
].join("\n");

registry.category("web_tour.tours").add("crm_smb_import_invalid_rows_tour", {
    url: "/odoo/action-crm.crm_lead_action_pipeline?view_type=list",
    steps: () => [
        {
            content: "Open the list's actions",
            trigger: ".o_list_view .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Import records",
            trigger: ".o_import_menu",
            run: "click",
        },
        {
            content: "Upload a file with two invalid rows",
            trigger: ".o_control_panel .o_import_file",
            run() {
                const input = document.querySelector(".o_control_panel input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CSV], "leads.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Test the file",
            trigger: ".o_import_data_content table",
        },
        {
            trigger: ".o_control_panel button:contains('Test')",
            run: "click",
        },
        {
            content: "Every bad record is listed at the top",
            trigger: ".o_import_data_content p:contains('These records break validation rules')",
        },
        {
            content: "Each bad row is reported with its number and reason",
            trigger:
                ".o_import_data_content p:contains('Error at row 1'):contains('Import no company: Company?')",
        },
        {
            trigger:
                ".o_import_data_content p:contains('Error at row 2'):contains('not a valid email')",
            run: screenshot,
        },
    ],
});
