from . import test_metrics
