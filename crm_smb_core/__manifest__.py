{
    "name": "CRM for Small Business: Core",
    "summary": "Lifecycle stages, SMB roles and menus on top of Odoo CRM",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm", "contacts"],
    "external_dependencies": {"python": []},
    "data": [
        "security/crm_smb_security.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/crm_smb_menus.xml",
    ],
    "demo": ["demo/crm_smb_demo_users.xml"],
    "assets": {
        "web.assets_tests": ["crm_smb_core/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
