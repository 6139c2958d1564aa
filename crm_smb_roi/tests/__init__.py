from . import test_metrics
from . import test_cost
from . import test_dashboard
from . import test_report
from . import test_ui
from . import test_monthly_report
from . import test_settings
from . import test_role_dashboard
