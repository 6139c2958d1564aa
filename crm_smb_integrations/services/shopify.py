"""Shopify GraphQL Admin API client and payload mapping."""

import time

from .errors import ConnectorError, RetryableError
from .http import HttpClient
from .mapping import gid_to_id, utm_from_visit

API_VERSION = "2025-10"

CUSTOMERS_QUERY = """
query Customers($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query) {
    edges { cursor node {
      id firstName lastName email phone tags updatedAt
      defaultAddress { zip city countryCodeV2 }
      emailMarketingConsent { marketingState consentUpdatedAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

ORDERS_QUERY = """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query) {
    edges { cursor node {
      id name createdAt displayFinancialStatus
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      customer { id }
      customerJourneySummary { lastVisit { landingPage referrerUrl } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


# The same orders with their line items, shipping, discounts and taxes, for
# the Sales bridge. Nested connections multiply a query's cost (Shopify
# refuses more than 1,000 points per query), so this one is read in smaller
# pages; an order with more line items (or shipping lines) than the first
# page of its connection has the rest read by ORDER_LINES_QUERY (or
# ORDER_SHIPPING_QUERY), page after page.
ORDERS_WITH_LINES_QUERY = """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query) {
    edges { cursor node {
      id name createdAt displayFinancialStatus
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      totalPriceSet { shopMoney { amount currencyCode } }
      totalDiscountsSet { shopMoney { amount } }
      taxesIncluded
      taxLines { title rate priceSet { shopMoney { amount } } }
      customer { id }
      customerJourneySummary { lastVisit { landingPage referrerUrl } }
      lineItems(first: %(lines)d) {
        edges { node {
          sku title quantity
          originalUnitPriceSet { shopMoney { amount } }
        } }
        pageInfo { hasNextPage endCursor }
      }
      shippingLines(first: %(shipping)d) {
        edges { node { title originalPriceSet { shopMoney { amount } } } }
        pageInfo { hasNextPage endCursor }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ORDER_LINES_PER_ORDER = 25
SHIPPING_LINES_PER_ORDER = 5

# The next line items of one order (``QueryRoot.order``), from a cursor.
ORDER_LINES_QUERY = """
query OrderLines($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    id
    lineItems(first: $first, after: $after) {
      edges { node {
        sku title quantity
        originalUnitPriceSet { shopMoney { amount } }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
ORDER_SHIPPING_QUERY = """
query OrderShippingLines($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    id
    shippingLines(first: $first, after: $after) {
      edges { node { title originalPriceSet { shopMoney { amount } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
# The follow-up query of each connection of an order that can have more
# nodes than the orders query reads.
ORDER_FOLLOW_UPS = {
    "lineItems": ORDER_LINES_QUERY,
    "shippingLines": ORDER_SHIPPING_QUERY,
}
# Nodes read per follow-up query: 1 + 2 + 250 = 253 cost points.
ORDER_LINES_PAGE = 250


def orders_with_lines_query(
    lines=ORDER_LINES_PER_ORDER, shipping=SHIPPING_LINES_PER_ORDER
):
    return ORDERS_WITH_LINES_QUERY % {"lines": lines, "shipping": shipping}


def query_cost(first, lines=0, shipping=0):
    """Requested cost of a page query as Shopify computes it: a connection
    costs 2 plus ``first`` times the cost of each node."""
    nested = (2 + lines if lines else 0) + (2 + shipping if shipping else 0)
    return 2 + first * (1 + nested)


def order_lines_cost(first=ORDER_LINES_PAGE):
    """Requested cost of ORDER_LINES_QUERY: the order and its connection."""
    return 1 + 2 + first


WEBHOOK_MUTATION = """
mutation webhookSubscriptionCreate(
  $topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!
) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription {
      id topic
      endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } }
    }
    userErrors { field message }
  }
}
"""
# The webhooks the connector handles, as GraphQL topics.
WEBHOOK_TOPICS = (
    "CUSTOMERS_CREATE",
    "CUSTOMERS_UPDATE",
    "ORDERS_CREATE",
    "ORDERS_PAID",
)
ALREADY_TAKEN = "already been taken"


class ShopifyClient(HttpClient):
    service = "Shopify"

    def __init__(self, shop_url, token, api_version=API_VERSION, session=None):
        super().__init__(session)
        self.endpoint = f"{shop_url.rstrip('/')}/admin/api/{api_version}/graphql.json"
        self.token = token
        self.throttle_status = {}
        self.last_cost = None
        # Longest pause, in seconds, for the cost bucket to refill before a
        # follow-up query of line items; beyond it the page is retried later.
        self.max_wait = 10

    def graphql(self, query, variables=None):
        response = self._send(
            "POST",
            self.endpoint,
            json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": self.token},
        )
        if response.status_code != 200:
            raise ConnectorError(f"Shopify: HTTP {response.status_code}")
        body = response.json()
        cost = (body.get("extensions") or {}).get("cost") or {}
        self.throttle_status = cost.get("throttleStatus") or {}
        self.last_cost = cost.get("requestedQueryCost")
        errors = body.get("errors")
        if errors:
            if any(
                (e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors
            ):
                raise RetryableError("Shopify: throttled", self.wait_for(cost))
            raise ConnectorError(
                "Shopify: " + "; ".join(e.get("message", "") for e in errors)
            )
        return body["data"]

    def create_webhook(self, topic, url):
        """Subscribe ``url`` to ``topic``: (subscription id or None, user
        error messages). An existing identical subscription is no error."""
        data = self.graphql(
            WEBHOOK_MUTATION,
            {
                "topic": topic,
                "webhookSubscription": {"callbackUrl": url, "format": "JSON"},
            },
        )
        result = data["webhookSubscriptionCreate"]
        errors = [
            e.get("message", "")
            for e in result.get("userErrors") or []
            if ALREADY_TAKEN not in (e.get("message") or "")
        ]
        subscription = result.get("webhookSubscription") or {}
        return subscription.get("id"), errors

    @staticmethod
    def wait_for(cost):
        """Seconds until the bucket holds enough points for the refused query."""
        status = cost.get("throttleStatus") or {}
        missing = cost.get("requestedQueryCost", 0) - status.get(
            "currentlyAvailable", 0
        )
        rate = status.get("restoreRate") or 50.0
        return max(1, int(missing / rate + 0.999))

    def page(self, kind, after=None, first=250, query=None, text=None):
        """One page of ``customers`` or ``orders``: (nodes, next cursor or None).

        ``text`` replaces the default GraphQL query of ``kind``. Orders read
        with their line items come back with all of them: the items beyond
        the first page of an order's ``lineItems`` are read by follow-up
        queries.
        """
        text = text or (CUSTOMERS_QUERY if kind == "customers" else ORDERS_QUERY)
        data = self.graphql(text, {"first": first, "after": after, "query": query})
        connection = data[kind]
        info = connection["pageInfo"]
        nodes = [edge["node"] for edge in connection["edges"]]
        if kind == "orders":
            page_cost = self.last_cost
            self.complete_line_items(nodes)
            # What the next page will cost, for the caller's wait.
            self.last_cost = page_cost
        return nodes, info["endCursor"] if info["hasNextPage"] else None

    def complete_line_items(self, nodes):
        """Read the remaining line items (and shipping lines) of the orders
        whose connection has a next page, and add them to the connection."""
        for node in nodes:
            for field, text in ORDER_FOLLOW_UPS.items():
                connection = node.get(field)
                if connection:
                    self._complete_connection(node["id"], field, text, connection)

    def _complete_connection(self, order_id, field, text, connection):
        info = connection.get("pageInfo") or {}
        while info.get("hasNextPage"):
            cursor = info.get("endCursor")
            self.wait_for_budget(order_lines_cost())
            data = self.graphql(
                text, {"id": order_id, "first": ORDER_LINES_PAGE, "after": cursor}
            )
            more = (data.get("order") or {}).get(field) or {}
            connection["edges"] = connection.get("edges", []) + (
                more.get("edges") or []
            )
            info = more.get("pageInfo") or {}
            if info.get("hasNextPage") and info.get("endCursor") in (None, cursor):
                # Never loop on, never drop nodes silently.
                raise ConnectorError(
                    f"Shopify: {field} of order {order_id} do not advance"
                )
        connection["pageInfo"] = info

    def wait_for_budget(self, cost):
        """Pause until the bucket (as the last answer reported it) holds
        ``cost`` points; a longer wait than ``max_wait`` is a retry later."""
        status = self.throttle_status
        if not status:
            return
        available = status.get("currentlyAvailable", cost)
        if available >= cost:
            return
        wait = self.wait_for({"requestedQueryCost": cost, "throttleStatus": status})
        if wait > self.max_wait:
            raise RetryableError("Shopify: throttled", wait)
        time.sleep(wait)


def customer_values(payload):
    """Normalise a GraphQL customer node or a REST webhook customer.

    Keys are None when the payload does not carry them: from API version
    2025-01 on, customer webhooks carry neither tags nor marketing consent.
    """
    rest = "first_name" in payload or "default_address" in payload
    if rest:
        address = payload.get("default_address") or {}
        tags = payload.get("tags")
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        consent = payload.get("email_marketing_consent")
        state = (consent or {}).get("state")
        first, last = payload.get("first_name"), payload.get("last_name")
        zip_code, country = address.get("zip"), address.get("country_code")
        city = address.get("city")
    else:
        address = payload.get("defaultAddress") or {}
        tags = payload.get("tags")
        consent = payload.get("emailMarketingConsent")
        state = (consent or {}).get("marketingState")
        first, last = payload.get("firstName"), payload.get("lastName")
        zip_code, country = address.get("zip"), address.get("countryCodeV2")
        city = address.get("city")
    name = " ".join(part for part in (first, last) if part) or payload.get("email")
    return {
        "external_id": gid_to_id(payload.get("id")),
        "name": name,
        "email": payload.get("email") or None,
        "phone": payload.get("phone") or None,
        "zip": zip_code or None,
        "city": city or None,
        "country_code": country or None,
        "tags": tags,
        "marketing_state": None
        if consent is None
        else str(state or "").lower() or None,
    }


def order_lines(payload):
    """Line items of a GraphQL order node or a REST order webhook, or None
    when the payload does not carry them."""
    if "line_items" in payload:
        return [
            {
                "sku": item.get("sku") or None,
                "name": item.get("title") or item.get("name") or "",
                "quantity": float(item.get("quantity") or 0),
                "price": float(item.get("price") or 0.0),
            }
            for item in payload["line_items"] or []
        ]
    if "lineItems" in payload:
        lines = []
        for edge in (payload["lineItems"] or {}).get("edges", []):
            item = edge["node"]
            money = ((item.get("originalUnitPriceSet") or {}).get("shopMoney")) or {}
            lines.append(
                {
                    "sku": item.get("sku") or None,
                    "name": item.get("title") or "",
                    "quantity": float(item.get("quantity") or 0),
                    "price": float(money.get("amount") or 0.0),
                }
            )
        return lines
    return None


def _money(value):
    """Amount of a GraphQL ``MoneyBag`` (its shop money) or a REST string."""
    if isinstance(value, dict):
        value = (value.get("shopMoney") or {}).get("amount")
    return float(value or 0.0)


def order_charges(payload):
    """Shipping, discounts and taxes of an order, with its total price:
    what makes the total of the line items the order's total.

    Shipping lines are at their price before discounts; ``discount`` is the
    order's total discounts (line, order and shipping discounts); taxes are
    the order's tax lines, already in the prices when ``taxes_included``.
    """
    if "line_items" in payload:
        return {
            "shipping": [
                {"name": line.get("title") or "", "price": _money(line.get("price"))}
                for line in payload.get("shipping_lines") or []
            ],
            "discount": _money(payload.get("total_discounts")),
            "taxes": [
                {
                    "name": tax.get("title") or "",
                    "rate": float(tax.get("rate") or 0.0),
                    "price": _money(tax.get("price")),
                }
                for tax in payload.get("tax_lines") or []
            ],
            "taxes_included": bool(payload.get("taxes_included")),
            "total": _money(payload.get("total_price")),
        }
    shipping = payload.get("shippingLines") or {}
    total = payload.get("totalPriceSet") or payload.get("currentTotalPriceSet")
    return {
        "shipping": [
            {
                "name": edge["node"].get("title") or "",
                "price": _money(edge["node"].get("originalPriceSet")),
            }
            for edge in shipping.get("edges") or []
        ],
        "discount": _money(payload.get("totalDiscountsSet")),
        "taxes": [
            {
                "name": tax.get("title") or "",
                "rate": float(tax.get("rate") or 0.0),
                "price": _money(tax.get("priceSet")),
            }
            for tax in payload.get("taxLines") or []
        ],
        "taxes_included": bool(payload.get("taxesIncluded")),
        "total": _money(total),
    }


def order_values(payload):
    """Normalise a GraphQL order node or a REST order webhook.

    ``lines`` and ``charges`` (shipping, discounts, taxes) are only there
    when the payload carries line items.
    """
    values = _order_values(payload)
    lines = order_lines(payload)
    if lines is not None:
        values["lines"] = lines
        values["charges"] = order_charges(payload)
    return values


def _order_values(payload):
    if "total_price" in payload or "landing_site" in payload:
        customer = payload.get("customer") or {}
        amount, currency = payload.get("total_price"), payload.get("currency")
        date = payload.get("processed_at") or payload.get("created_at")
        status = payload.get("financial_status")
        landing, referrer = payload.get("landing_site"), payload.get("referring_site")
    else:
        customer = payload.get("customer") or {}
        money = ((payload.get("currentTotalPriceSet") or {}).get("shopMoney")) or {}
        amount, currency = money.get("amount"), money.get("currencyCode")
        date = payload.get("createdAt")
        status = payload.get("displayFinancialStatus")
        visit = (payload.get("customerJourneySummary") or {}).get("lastVisit") or {}
        landing, referrer = visit.get("landingPage"), visit.get("referrerUrl")
    return {
        "external_id": gid_to_id(payload.get("id")),
        "name": payload.get("name"),
        "date": (date or "")[:10] or None,
        "amount": float(amount or 0.0),
        "currency": currency,
        "financial_status": (status or "").lower() or None,
        "customer_external_id": gid_to_id(customer.get("id")),
        "landing_page": landing,
        "referrer": referrer,
        **utm_from_visit(landing, referrer),
    }
