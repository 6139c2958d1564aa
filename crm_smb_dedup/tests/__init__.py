from . import test_matching
from . import test_candidates
from . import test_live_detection
from . import test_scan
from . import test_merge
from . import test_quality
from . import test_ui
from . import test_dashboard_tiles
