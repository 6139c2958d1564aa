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
    "data": [],
    "demo": [],
    "installable": True,
}
