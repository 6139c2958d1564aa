{
    "name": "CRM for Small Business: ROI from Invoices",
    "summary": "Customer lifetime value from posted invoices on the ROI dashboard",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm_smb_roi", "account"],
    "data": ["views/account_move_views.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_smb_roi_account/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "auto_install": True,
}
