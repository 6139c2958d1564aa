"""Local fake servers for the SaaS APIs the connectors talk to.

Each fake is a threaded ``http.server`` bound to 127.0.0.1 on a free port. It
implements the documented endpoints, payload shapes, pagination, rate limits
and error bodies the connectors rely on, keeps its data in memory, and lets a
test inject failures. Plain Python: no Odoo import, usable from tests and from
the benchmark alike.
"""

from .base import FakeServer
from .mailchimp import FakeMailchimp
from .quickbooks import FakeQuickBooks
from .shopify import FakeShopify

__all__ = ["FakeMailchimp", "FakeQuickBooks", "FakeServer", "FakeShopify"]
