from odoo.tools import SQL


def pre_init_hook(env):
    """Make sure pg_trgm exists before the trigram indexes are created.

    pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may
    create it without superuser rights.
    """
    env.cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
