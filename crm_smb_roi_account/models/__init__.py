from . import crm_smb_roi_dashboard
