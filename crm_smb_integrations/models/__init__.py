from . import connector_backend
from . import connector_binding
from . import external_order
from . import identity_review
from . import res_partner
from . import sync_log
from . import sync_log_line
from . import webhook_delivery
