"""Plain Python side of the connectors: HTTP clients, signatures, mappings.

Nothing here imports Odoo. The clients turn each API's errors into the
exceptions of :mod:`.errors` so the jobs can decide between retrying later,
failing one record, or asking for a reconnect.
"""
