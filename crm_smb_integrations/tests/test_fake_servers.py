"""The fake servers answer like the real APIs do; the connector tests rely on it."""

import requests

from odoo.tests import BaseCase, tagged

from ..fake_servers import FakeMailchimp, FakeQuickBooks, FakeShopify
from ..services import mailchimp as mc
from ..services import quickbooks as qbo
from ..services import shopify
from ..services.errors import (
    AuthenticationError,
    RemoteValidationError,
    RetryableError,
)


@tagged("post_install", "-at_install")
class TestFakeServers(BaseCase):
    def setUp(self):
        super().setUp()
        self.shop = FakeShopify(bucket=200, restore_rate=1.0).start()
        self.chimp = FakeMailchimp().start()
        self.books = FakeQuickBooks().start()
        for fake in (self.shop, self.chimp, self.books):
            self.addCleanup(fake.stop)

    def test_shopify_cursor_pagination_and_throttle(self):
        """Pages follow endCursor; a query over budget is THROTTLED (HTTP 200)."""
        for cid in range(1, 6):
            self.shop.add_customer(cid)
        client = shopify.ShopifyClient(self.shop.url, self.shop.token)
        nodes, cursor = client.page("customers", first=2)
        self.assertEqual(
            [n["id"] for n in nodes],
            ["gid://shopify/Customer/1", "gid://shopify/Customer/2"],
        )
        nodes, cursor = client.page("customers", after=cursor, first=2)
        self.assertEqual(nodes[0]["id"], "gid://shopify/Customer/3")
        with self.assertRaises(RetryableError) as caught:
            client.page("customers", first=250)
        self.assertGreaterEqual(caught.exception.retry_after, 1)

    def test_shopify_line_items_paginate(self):
        """An order's lineItems is a connection with pageInfo; order(id:)
        reads the next items from its endCursor, so every item arrives."""
        shop = FakeShopify().start()
        self.addCleanup(shop.stop)
        items = [{"title": f"Item {n}", "price": 1.0} for n in range(75)]
        shop.add_order(7, 1, 75.0, line_items=items)
        client = shopify.ShopifyClient(shop.url, shop.token)
        raw = client.graphql(
            shopify.orders_with_lines_query(), {"first": 1, "after": None}
        )
        lines = raw["orders"]["edges"][0]["node"]["lineItems"]
        self.assertEqual(len(lines["edges"]), shopify.ORDER_LINES_PER_ORDER)
        self.assertEqual(
            lines["pageInfo"],
            {"hasNextPage": True, "endCursor": str(shopify.ORDER_LINES_PER_ORDER)},
        )
        more = client.graphql(
            shopify.ORDER_LINES_QUERY,
            {"id": "gid://shopify/Order/7", "first": 30, "after": "25"},
        )["order"]["lineItems"]
        self.assertEqual(more["edges"][0]["node"]["title"], "Item 25")
        self.assertEqual(more["pageInfo"], {"hasNextPage": True, "endCursor": "55"})
        self.assertEqual(client.last_cost, shopify.order_lines_cost(30))
        nodes, _cursor = client.page(
            "orders", first=1, text=shopify.orders_with_lines_query()
        )
        titles = [line["name"] for line in shopify.order_lines(nodes[0])]
        self.assertEqual(titles, [f"Item {n}" for n in range(75)])
        # The query without line items gets none: the fake serves what is asked.
        nodes, _cursor = client.page("orders", first=1)
        self.assertNotIn("lineItems", nodes[0])

    def test_shopify_bad_token_is_401(self):
        client = shopify.ShopifyClient(self.shop.url, "wrong")
        with self.assertRaises(AuthenticationError):
            client.page("customers")

    def test_shopify_injected_5xx_is_retryable(self):
        self.shop.inject(503, headers={"Retry-After": "7"})
        with self.assertRaises(RetryableError) as caught:
            shopify.ShopifyClient(self.shop.url, self.shop.token).page("customers")
        self.assertEqual(caught.exception.retry_after, 7)

    def test_mailchimp_upsert_keeps_unsubscribe(self):
        """status_if_new never resubscribes; an explicit resubscribe is refused."""
        client = mc.MailchimpClient(self.chimp.api_key, self.chimp.url)
        body = mc.member_body("Ann@Example.com", "Ann", "Lee", True, False)
        self.assertEqual(
            client.upsert_member(self.chimp.list_id, body)["status"], "subscribed"
        )
        self.chimp.set_status("ann@example.com", "unsubscribed")
        member = client.upsert_member(self.chimp.list_id, body)
        self.assertEqual(member["status"], "unsubscribed")
        with self.assertRaises(RemoteValidationError) as caught:
            client.upsert_member(self.chimp.list_id, {**body, "status": "subscribed"})
        self.assertEqual(caught.exception.code, "Member In Compliance State")
        members, total = client.members_page(self.chimp.list_id, count=1, offset=0)
        self.assertEqual((len(members), total), (1, 1))

    def test_mailchimp_429_and_401(self):
        self.chimp.inject(429, headers={"Retry-After": "3"})
        client = mc.MailchimpClient(self.chimp.api_key, self.chimp.url)
        with self.assertRaises(RetryableError) as caught:
            client.ping()
        self.assertEqual(caught.exception.retry_after, 3)
        with self.assertRaises(AuthenticationError):
            mc.MailchimpClient("bad-us6", self.chimp.url).ping()

    def test_quickbooks_refresh_rotation(self):
        """A refresh token works once: the next refresh must use the new one."""
        client = qbo.QuickBooksClient(
            self.books.client_id,
            self.books.client_secret,
            self.books.realm,
            api_url=self.books.url,
            token_url=self.books.url + "/oauth2/v1/tokens/bearer",
        )
        tokens = client.exchange_code(self.books.issue_code(), "http://localhost/cb")
        rotated = client.refresh(tokens["refresh_token"])
        self.assertNotEqual(rotated["refresh_token"], tokens["refresh_token"])
        with self.assertRaises(AuthenticationError):
            client.refresh(tokens["refresh_token"])

    def test_quickbooks_faults_both_casings_and_rate_limit(self):
        client = qbo.QuickBooksClient(
            self.books.client_id,
            self.books.client_secret,
            self.books.realm,
            api_url=self.books.url,
            token_url=self.books.url + "/oauth2/v1/tokens/bearer",
        )
        client.access_token = client.exchange_code(
            self.books.issue_code(), "http://localhost/cb"
        )["access_token"]
        self.books.add_customer(DisplayName="Acme")
        for casing in ("Fault", "fault"):
            self.books.fault_casing = casing
            with self.assertRaises(RemoteValidationError) as caught:
                client.save_customer({"DisplayName": "acme"})
            self.assertEqual(caught.exception.code, "6240")
            self.assertEqual(qbo.duplicate_id(caught.exception.detail), "1")
        self.books.rate_limit = len(self.books._window)
        with self.assertRaises(RetryableError):
            client.query("Customer")
        raw = requests.get(
            f"{self.books.url}/v3/company/{self.books.realm}/query", timeout=5
        )
        self.assertEqual(raw.status_code, 401)
