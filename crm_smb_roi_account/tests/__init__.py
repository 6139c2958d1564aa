from . import test_invoiced_clv
from . import test_ui
