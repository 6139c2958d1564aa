from . import crm_smb_roi_report
from . import crm_smb_roi_cohort
from . import report_monthly_roi
