from . import test_setup_step
