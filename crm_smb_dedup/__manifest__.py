{
    "name": "CRM for Small Business: Duplicates and Data Quality",
    "summary": "Fuzzy, explainable duplicate detection, undoable merges, data quality",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-smb/crm-smb-suite",
    "author": "CRM SMB Suite contributors",
    "license": "LGPL-3",
    "depends": ["crm_smb_core", "phone_validation"],
    "external_dependencies": {"python": ["rapidfuzz", "phonenumbers"]},
    "data": [],
    "demo": [],
    "installable": True,
}
