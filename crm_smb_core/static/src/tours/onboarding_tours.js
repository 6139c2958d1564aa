import { markup } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("crm_smb_first_lead", {
    url: "/odoo/crm",
    steps: () => [
        {
            trigger: ".o_opportunity_kanban .o-kanban-button-new",
            content: markup(_t("<b>Create your first lead</b> right in the pipeline.")),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            trigger:
                ".o_kanban_quick_create .o_field_widget[name='name'] input, .o_form_view .o_field_widget[name='name'] textarea, .o_form_view .o_field_widget[name='name'] input",
            content: _t("Name the opportunity, for example the customer's need."),
            tooltipPosition: "right",
            run: "edit Website redesign",
        },
        {
            trigger: ".o_kanban_quick_create .o_kanban_add, .o_form_view .o_form_button_save",
            content: _t("Add it to the pipeline."),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            // A full form (when quick create is off) counts once it is saved.
            trigger:
                ".o_kanban_record:contains('Website redesign'), body:has(.o_form_saved) .o_breadcrumb:contains('Website redesign')",
            content: _t("Here it is. Drag it to the next stage as the deal moves."),
            tooltipPosition: "right",
        },
    ],
});

tours.add("crm_smb_first_activity", {
    url: "/odoo/crm",
    steps: () => [
        {
            trigger: ".o_opportunity_kanban .o_kanban_record .o_mail_activity .o-mail-ActivityButton",
            content: markup(_t("Click the clock to <b>plan a next step</b> on a deal.")),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityListPopover button:contains('Schedule')",
            content: _t("Schedule an activity: a call, an email, a meeting."),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='summary'] input",
            content: _t("Say what you will do."),
            tooltipPosition: "right",
            run: "edit Call to follow up",
        },
        {
            trigger: ".modal button:contains('Save')",
            content: _t("Save: the activity shows in My day on its date."),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

tours.add("crm_smb_first_dashboard", {
    url: "/odoo/action-crm_smb_core.crm_smb_dashboard_action_my_day",
    steps: () => [
        {
            trigger: ".o_smb_dashboard .o_smb_tile_no_next_step",
            content: markup(
                _t("<b>My day</b> tells you what needs you. Click a figure to see its leads.")
            ),
            tooltipPosition: "bottom",
            run: "click",
        },
        {
            trigger: ".o_list_view",
            content: _t("These are the leads behind the figure."),
            tooltipPosition: "top",
        },
    ],
});
