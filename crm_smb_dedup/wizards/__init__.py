from . import merge_wizard
from . import merge_wizard_member
from . import merge_wizard_line
from . import cleaning_wizard
from . import cleaning_wizard_line
