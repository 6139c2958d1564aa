"""A token bucket in PostgreSQL, shared by every worker and job.

QuickBooks Online allows 500 requests a minute per company. Channel
capacities bound how many jobs run at once, not how fast they call; this
bucket bounds the rate across all workers: each request takes a token
first, tokens come back at a steady rate, and a caller that finds the
bucket empty learns how long to wait.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class CrmSmbRateBucket(models.Model):
    _name = "crm.smb.rate.bucket"
    _description = "Request budget shared between workers"
    _order = "key"

    key = fields.Char(required=True, readonly=True)
    capacity = fields.Float(readonly=True, help="Tokens the bucket holds at most.")
    rate = fields.Float(readonly=True, help="Tokens coming back per second.")
    tokens = fields.Float(readonly=True)
    updated_at = fields.Datetime(readonly=True)

    _key_uniq = models.Constraint("UNIQUE(key)", "One bucket per key.")

    @api.model
    def _take(self, key, capacity, rate):
        """Take one token from the bucket ``key``.

        Returns 0.0 when granted, else the seconds until a token is back.
        SQL on a cursor of its own, committed at once: every worker must see
        the same count at the same time, and no job may hold the row locked
        while it works. The SELECT ... FOR UPDATE makes concurrent takes
        queue for the few microseconds of the statement.
        """
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    INSERT INTO crm_smb_rate_bucket
                        (key, capacity, rate, tokens, updated_at)
                    VALUES (%s, %s, %s, %s, clock_timestamp() AT TIME ZONE 'UTC')
                    ON CONFLICT (key) DO NOTHING
                    """,
                    key,
                    capacity,
                    rate,
                    capacity,
                )
            )
            cr.execute(
                SQL(
                    """
                    WITH refill AS (
                        SELECT id, LEAST(
                            %(capacity)s,
                            tokens + GREATEST(0, EXTRACT(EPOCH FROM (
                                clock_timestamp() AT TIME ZONE 'UTC' - updated_at
                            ))) * %(rate)s
                        ) AS level
                        FROM crm_smb_rate_bucket
                        WHERE key = %(key)s
                        FOR UPDATE
                    )
                    UPDATE crm_smb_rate_bucket bucket
                       SET tokens = refill.level
                                    - CASE WHEN refill.level >= 1 THEN 1 ELSE 0 END,
                           capacity = %(capacity)s,
                           rate = %(rate)s,
                           updated_at = clock_timestamp() AT TIME ZONE 'UTC'
                      FROM refill
                     WHERE bucket.id = refill.id
                 RETURNING refill.level
                    """,
                    capacity=capacity,
                    rate=rate,
                    key=key,
                )
            )
            (level,) = cr.fetchone()
        if level >= 1:
            return 0.0
        return (1 - level) / rate if rate > 0 else 60.0
