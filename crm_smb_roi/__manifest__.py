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
    "data": [],
    "demo": [],
    "installable": True,
}
