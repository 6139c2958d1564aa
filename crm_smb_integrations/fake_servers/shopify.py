"""Fake Shopify GraphQL Admin API: customers and orders with cursor pagination.

Follows the documented shapes: ``POST /admin/api/<version>/graphql.json`` with
the ``X-Shopify-Access-Token`` header, connections with ``edges``/``node`` and
``pageInfo``, and a leaky bucket of cost points reported in
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
        if values.get("line_items") is not None:
            node["lineItems"] = {
                "edges": [
                    {
                        "node": {
                            "sku": item.get("sku"),
                            "title": item.get("title", "Item"),
                            "quantity": item.get("quantity", 1),
                            "originalUnitPriceSet": {
                                "shopMoney": {
                                    "amount": f"{item.get('price', 0.0):.2f}",
                                    "currencyCode": values.get("currency", "USD"),
                                }
                            },
                        }
                    }
                    for item in values["line_items"]
                ]
            }
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
        match = _CONNECTION.search(body["query"])
        if not match:
            return 200, {}, {"errors": [{"message": "Field doesn't exist"}]}
        variables = body.get("variables") or {}
        first = min(int(variables.get("first") or 50), 250)
        # Nested connections multiply the cost, as Shopify computes it.
        lines = _LINE_ITEMS.search(body["query"])
        per_node = 1 + (2 + int(lines.group(1)) if lines else 0)
        requested = 2 + first * per_node
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
            nodes = self.customers if match.group(1) == "customers" else self.orders
            nodes = self._filter(nodes, variables.get("query"))
            start = int(variables["after"]) if variables.get("after") else 0
            page = nodes[start : start + first]
            edges = [
                {"cursor": str(start + i + 1), "node": node}
                for i, node in enumerate(page)
            ]
            data = {
                match.group(1): {
                    "edges": edges,
                    "pageInfo": {
                        "hasNextPage": start + first < len(nodes),
                        "endCursor": edges[-1]["cursor"] if edges else None,
                    },
                }
            }
            extensions = self._cost_extension(requested, 2 + len(page) * per_node)
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
