"""Fake Shopify GraphQL Admin API: customers and orders with cursor pagination.

Follows the documented shapes: ``POST /admin/api/<version>/graphql.json`` with
the ``X-Shopify-Access-Token`` header, connections with ``edges``/``node`` and
``pageInfo`` (an order's ``lineItems`` and ``shippingLines`` too, only when
the query asks for them; ``order(id:)`` reads further line items from a
cursor), and a leaky bucket of cost points reported in
``extensions.cost``. Over budget, the API answers HTTP 200 with an error whose
``extensions.code`` is ``THROTTLED``, as the real one does. The
``webhookSubscriptionCreate`` mutation registers webhook subscriptions
(refusing the same topic and address twice with a user error).
"""

import base64
import hashlib
import hmac
import json
import re
import time

from .base import FakeServer

_CONNECTION = re.compile(r"\b(customers|orders)\s*\(")
_ID_QUERY = re.compile(r"id:(\d+)")
_UPDATED_QUERY = re.compile(r"updated_at:>=?'?([0-9T:\-Z.+]+)'?")
_WEBHOOK_MUTATION = re.compile(r"\bwebhookSubscriptionCreate\s*\(")
_LINE_ITEMS = re.compile(r"lineItems\s*\(\s*first\s*:\s*(\d+)")
_SHIPPING_LINES = re.compile(r"shippingLines\s*\(\s*first\s*:\s*(\d+)")
_ORDER_QUERY = re.compile(r"\border\s*\(\s*id\s*:")
MAX_QUERY_COST = 1000


class FakeShopify(FakeServer):
    def __init__(self, token="shpat_test", bucket=2000, restore_rate=100.0):
        super().__init__()
        self.token = token
        self.bucket_size = bucket
        self.restore_rate = restore_rate
        self.available = float(bucket)
        self._last = time.monotonic()
        self.customers = []
        self.orders = []
        self.webhooks = []

    # Data -----------------------------------------------------------------
    def add_customer(self, cid, **values):
        node = {
            "id": f"gid://shopify/Customer/{cid}",
            "firstName": values.get("first_name", f"First{cid}"),
            "lastName": values.get("last_name", f"Last{cid}"),
            "email": values.get("email", f"customer{cid}@example.com"),
            "phone": values.get("phone"),
            "tags": values.get("tags", []),
            "updatedAt": values.get("updated_at", "2026-01-01T00:00:00Z"),
            "createdAt": values.get("created_at", "2026-01-01T00:00:00Z"),
            "defaultAddress": {
                "zip": values.get("zip"),
                "city": values.get("city"),
                "countryCodeV2": values.get("country", "US"),
            },
            "emailMarketingConsent": {
                "marketingState": values.get("marketing_state", "NOT_SUBSCRIBED"),
                "consentUpdatedAt": values.get("consent_at"),
            },
        }
        with self.lock:
            self.customers.append(node)
        return node

    def add_order(self, oid, customer_id, amount, **values):
        node = {
            "id": f"gid://shopify/Order/{oid}",
            "name": values.get("name", f"#{oid}"),
            "createdAt": values.get("created_at", "2026-01-02T10:00:00Z"),
            "updatedAt": values.get("updated_at", "2026-01-02T10:00:00Z"),
            "displayFinancialStatus": values.get("financial_status", "PAID"),
            "currentTotalPriceSet": {
                "shopMoney": {
                    "amount": f"{amount:.2f}",
                    "currencyCode": values.get("currency", "USD"),
                }
            },
            "customer": {"id": f"gid://shopify/Customer/{customer_id}"}
            if customer_id
            else None,
            "customerJourneySummary": {
                "lastVisit": {
                    "landingPage": values.get("landing_page"),
                    "referrerUrl": values.get("referrer"),
                }
            },
        }
        money = values.get("currency", "USD")
        node["totalPriceSet"] = {
            "shopMoney": {
                "amount": f"{values.get('total', amount):.2f}",
                "currencyCode": money,
            }
        }
        node["totalDiscountsSet"] = {
            "shopMoney": {
                "amount": f"{values.get('discount', 0.0):.2f}",
                "currencyCode": money,
            }
        }
        node["taxesIncluded"] = bool(values.get("taxes_included"))
        node["taxLines"] = [
            {
                "title": tax.get("title", "Tax"),
                "rate": tax.get("rate", 0.0),
                "priceSet": {
                    "shopMoney": {
                        "amount": f"{tax['price']:.2f}",
                        "currencyCode": money,
                    }
                },
            }
            for tax in values.get("tax_lines") or []
        ]
        # Connections, served a page at a time when a query asks for them.
        node["_lineItems"] = None
        if values.get("line_items") is not None:
            node["_lineItems"] = [
                {
                    "sku": item.get("sku"),
                    "title": item.get("title", "Item"),
                    "quantity": item.get("quantity", 1),
                    "originalUnitPriceSet": {
                        "shopMoney": {
                            "amount": f"{item.get('price', 0.0):.2f}",
                            "currencyCode": money,
                        }
                    },
                }
                for item in values["line_items"]
            ]
        node["_shippingLines"] = [
            {
                "title": line.get("title", "Shipping"),
                "originalPriceSet": {
                    "shopMoney": {
                        "amount": f"{line['price']:.2f}",
                        "currencyCode": money,
                    }
                },
            }
            for line in values.get("shipping_lines") or []
        ]
        with self.lock:
            self.orders.append(node)
        return node

    # Protocol -------------------------------------------------------------
    def _refill(self):
        now = time.monotonic()
        self.available = min(
            self.bucket_size, self.available + (now - self._last) * self.restore_rate
        )
        self._last = now

    def _cost_extension(self, requested, actual):
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": {
                    "maximumAvailable": float(self.bucket_size),
                    "currentlyAvailable": int(self.available),
                    "restoreRate": float(self.restore_rate),
                },
            }
        }

    def handle(self, request):
        if request["method"] != "POST" or not re.fullmatch(
            r"/admin/api/[0-9]{4}-[0-9]{2}/graphql\.json", request["path"]
        ):
            return 404, {}, {"errors": "Not Found"}
        if request["headers"].get("x-shopify-access-token") != self.token:
            return (
                401,
                {},
                {
                    "errors": "[API] Invalid API key or access token "
                    "(unrecognized login or wrong password)"
                },
            )
        body = self.json_body(request)
        if not body or "query" not in body:
            return 400, {}, {"errors": {"query": "Required parameter missing"}}
        if _WEBHOOK_MUTATION.search(body["query"]):
            return self._create_webhook(body.get("variables") or {})
        if _ORDER_QUERY.search(body["query"]):
            field = (
                "shippingLines"
                if re.search(r"\bshippingLines\s*\(", body["query"])
                else "lineItems"
            )
            return self._order_connection(body.get("variables") or {}, field)
        match = _CONNECTION.search(body["query"])
        if not match:
            return 200, {}, {"errors": [{"message": "Field doesn't exist"}]}
        variables = body.get("variables") or {}
        first = min(int(variables.get("first") or 50), 250)
        # Nested connections multiply the cost, as Shopify computes it.
        lines = _LINE_ITEMS.search(body["query"])
        shipping = _SHIPPING_LINES.search(body["query"])
        lines = min(int(lines.group(1)), 250) if lines else None
        shipping = min(int(shipping.group(1)), 250) if shipping else None
        per_node = (
            1
            + (2 + lines if lines is not None else 0)
            + (2 + shipping if shipping is not None else 0)
        )
        requested = 2 + first * per_node
        refused = self._spend(requested)
        if refused:
            return refused
        with self.lock:
            nodes = self.customers if match.group(1) == "customers" else self.orders
            nodes = self._filter(nodes, variables.get("query"))
            start = int(variables["after"]) if variables.get("after") else 0
            page = nodes[start : start + first]
            edges = [
                {
                    "cursor": str(start + i + 1),
                    "node": self._render(node, lines, shipping),
                }
                for i, node in enumerate(page)
            ]
            data = {match.group(1): self._connection(edges, start + first < len(nodes))}
            extensions = self._cost_extension(requested, 2 + len(page) * per_node)
        return 200, {}, {"data": data, "extensions": extensions}

    def _spend(self, requested):
        """Take ``requested`` points from the bucket, or the documented error
        (over the single query limit, or THROTTLED) to answer instead."""
        if requested > MAX_QUERY_COST:
            return (
                200,
                {},
                {
                    "errors": [
                        {
                            "message": f"Query cost is {requested}, which exceeds "
                            f"the single query max cost limit ({MAX_QUERY_COST}).",
                            "extensions": {
                                "code": "MAX_COST_EXCEEDED",
                                "cost": requested,
                                "maxCost": MAX_QUERY_COST,
                            },
                        }
                    ]
                },
            )
        with self.lock:
            self._refill()
            if self.available < requested:
                return (
                    200,
                    {},
                    {
                        "errors": [
                            {
                                "message": "Throttled",
                                "extensions": {
                                    "code": "THROTTLED",
                                    "documentation": "https://shopify.dev/api/"
                                    "usage/rate-limits",
                                },
                            }
                        ],
                        "extensions": self._cost_extension(requested, 0),
                    },
                )
            self.available -= requested
        return None

    @staticmethod
    def _connection(edges, has_next):
        return {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": has_next,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        }

    @classmethod
    def _slice(cls, items, first, after=None):
        """A page of ``items`` as a connection with cursors and pageInfo."""
        start = int(after) if after else 0
        edges = [
            {"cursor": str(start + i + 1), "node": item}
            for i, item in enumerate(items[start : start + first])
        ]
        return cls._connection(edges, start + first < len(items))

    @classmethod
    def _render(cls, node, lines=None, shipping=None):
        """The node as the query asked for it: its line items and shipping
        lines are connections, served only when asked for, ``first`` at a
        time."""
        rendered = {k: v for k, v in node.items() if not k.startswith("_")}
        if lines is not None and node.get("_lineItems") is not None:
            rendered["lineItems"] = cls._slice(node["_lineItems"], lines)
        if shipping is not None and "_shippingLines" in node:
            rendered["shippingLines"] = cls._slice(node["_shippingLines"], shipping)
        return rendered

    def _order_connection(self, variables, field):
        """``order(id:) { lineItems(first:, after:) }`` (or
        ``shippingLines``): the next nodes of one order's connection; the
        order is null when no order has this id."""
        first = int(variables.get("first") or 0)
        if not 0 < first <= 250:
            return (
                200,
                {},
                {
                    "errors": [
                        {
                            "message": "The first argument must be between 1 "
                            "and 250.",
                            "extensions": {"code": "BAD_REQUEST"},
                        }
                    ]
                },
            )
        requested = 1 + 2 + first
        refused = self._spend(requested)
        if refused:
            return refused
        with self.lock:
            order = next(
                (o for o in self.orders if o["id"] == variables.get("id")), None
            )
            data = {"order": None}
            actual = 1
            if order is not None:
                connection = self._slice(
                    order.get(f"_{field}") or [], first, variables.get("after")
                )
                data["order"] = {"id": order["id"], field: connection}
                actual = 3 + len(connection["edges"])
            extensions = self._cost_extension(requested, actual)
        return 200, {}, {"data": data, "extensions": extensions}

    def _create_webhook(self, variables):
        topic = variables.get("topic")
        url = (variables.get("webhookSubscription") or {}).get("callbackUrl")
        errors = []
        if not url:
            errors.append(
                {
                    "field": ["webhookSubscription", "callbackUrl"],
                    "message": "Address can't be blank",
                }
            )
        with self.lock:
            self._refill()
            self.available -= 10
            if any(
                h["topic"] == topic and h["callbackUrl"] == url for h in self.webhooks
            ):
                errors.append(
                    {
                        "field": ["webhookSubscription", "callbackUrl"],
                        "message": "Address for this topic has already been taken",
                    }
                )
            subscription = None
            if not errors:
                subscription = {
                    "id": f"gid://shopify/WebhookSubscription/{len(self.webhooks) + 1}",
                    "topic": topic,
                    "format": "JSON",
                    "callbackUrl": url,
                }
                self.webhooks.append(subscription)
            extensions = self._cost_extension(10, 10)
        return (
            200,
            {},
            {
                "data": {
                    "webhookSubscriptionCreate": {
                        "webhookSubscription": subscription
                        and {
                            "id": subscription["id"],
                            "topic": topic,
                            "endpoint": {
                                "__typename": "WebhookHttpEndpoint",
                                "callbackUrl": url,
                            },
                        },
                        "userErrors": errors,
                    }
                },
                "extensions": extensions,
            },
        )

    @staticmethod
    def _filter(nodes, query):
        if not query:
            return nodes
        ids = set(_ID_QUERY.findall(query))
        if ids:
            return [n for n in nodes if n["id"].rsplit("/", 1)[-1] in ids]
        since = _UPDATED_QUERY.search(query)
        if since:
            return [n for n in nodes if n["updatedAt"] >= since.group(1)]
        return nodes


def sign_webhook(secret, body):
    """X-Shopify-Hmac-SHA256 value for a raw body, as Shopify computes it."""
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
