{
    "name": "CRM for Small Business: Shopify, Mailchimp, QuickBooks",
    "summary": "Connectors with webhooks, job queue and idempotent sync",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm_smb_core", "crm_smb_dedup", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/crm_smb_integrations_security.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_smb_connector_backend_views.xml",
        "views/crm_smb_connector_binding_views.xml",
        "views/crm_smb_identity_review_views.xml",
        "views/crm_smb_sync_log_views.xml",
        "views/res_partner_views.xml",
        "views/crm_smb_integrations_menus.xml",
    ],
    "installable": True,
    "assets": {
        "web.assets_tests": [
            "crm_smb_integrations/static/tests/tours/*.js",
        ],
    },
}
