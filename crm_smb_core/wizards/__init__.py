from . import crm_smb_pipeline_template_wizard
from . import crm_smb_field_wizard
