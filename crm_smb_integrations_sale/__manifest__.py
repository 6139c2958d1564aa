{
    "name": "CRM for Small Business: Shopify Orders as Sale Orders",
    "summary": "Shopify orders also become confirmed sale orders of the contact",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm_smb_integrations", "sale"],
    "data": [
        "data/product_data.xml",
        "views/crm_smb_external_order_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
