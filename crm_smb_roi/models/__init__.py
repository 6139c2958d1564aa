from . import res_company
from . import res_config_settings
from . import crm_lead
from . import crm_smb_cost
from . import crm_smb_roi_dashboard
from . import crm_smb_dashboard
