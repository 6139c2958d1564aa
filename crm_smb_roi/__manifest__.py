{
    "name": "CRM for Small Business: ROI",
    "summary": "Costs, conversion, CLV, CAC, pipeline velocity and CRM ROI",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm_smb_core"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "security/crm_smb_roi_security.xml",
        "data/ir_cron_data.xml",
        "views/crm_smb_cost_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_smb_roi_dashboard_views.xml",
        "report/crm_smb_roi_report_views.xml",
        "report/report_monthly_roi.xml",
        "views/crm_smb_roi_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_smb_roi/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "crm_smb_roi/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
