"""Pure logic: signatures, payload mapping, identity decisions, notifications."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..services import quickbooks as qbo
from ..services import shopify, signatures
from ..services.identity import decide
from ..services.mapping import utm_from_visit


@tagged("post_install", "-at_install")
class TestServices(BaseCase):
    @given(st.binary(max_size=2000), st.text(min_size=1, max_size=50))
    @settings(max_examples=50, deadline=None)
    def test_signature_accepts_only_the_exact_body(self, body, secret):
        """Any change to the body or the key breaks the signature."""
        good = signatures.sign(secret, body)
        self.assertTrue(signatures.verify(secret, body, good))
        self.assertFalse(signatures.verify(secret, body + b"x", good))
        self.assertFalse(signatures.verify(secret + "x", body, good))
        self.assertFalse(signatures.verify(secret, body, ""))

    def test_customer_webhook_without_tags_or_consent(self):
        """From API version 2025-01 customer webhooks lack tags and consent."""
        values = shopify.customer_values(
            {
                "id": 7,
                "first_name": "Ann",
                "last_name": "Lee",
                "email": "a@x.com",
                "default_address": None,
            }
        )
        self.assertEqual(values["external_id"], "7")
        self.assertIsNone(values["tags"])
        self.assertIsNone(values["marketing_state"])

    def test_utm_from_landing_then_referrer(self):
        self.assertEqual(
            utm_from_visit(
                "/p?utm_source=news&utm_medium=email&utm_campaign=spring", None
            ),
            {"utm_source": "news", "utm_medium": "email", "utm_campaign": "spring"},
        )
        self.assertEqual(
            utm_from_visit("/", "https://www.google.com/search?q=x")["utm_source"],
            "google.com",
        )

    def test_decide(self):
        one, two = object(), object()
        self.assertEqual(decide([{"record": one, "score": 0.95}])[0], "link")
        self.assertEqual(
            decide([{"record": one, "score": 0.95}, {"record": two, "score": 0.93}])[0],
            "review",
        )
        self.assertEqual(decide([{"record": one, "score": 0.7}])[0], "review")
        self.assertEqual(decide([{"record": one, "score": 0.3}])[0], "create")
        self.assertEqual(decide([])[0], "create")

    def test_quickbooks_notifications_both_formats(self):
        """The legacy eventNotifications and the 2026 CloudEvents bodies."""
        legacy = {
            "eventNotifications": [
                {
                    "realmId": "9130",
                    "dataChangeEvent": {
                        "entities": [
                            {
                                "name": "Customer",
                                "id": "5",
                                "operation": "Update",
                                "lastUpdated": "2026-01-01T00:00:00Z",
                            }
                        ]
                    },
                }
            ]
        }
        cloud = [
            {
                "specversion": "1.0",
                "id": "evt-1",
                "source": "intuit.x",
                "type": "qbo.customer.updated.v1",
                "time": "2026-01-01T00:00:00Z",
                "intuitentityid": "5",
                "intuitaccountid": "9130",
                "data": {},
            }
        ]
        for payload in (legacy, cloud):
            (event,) = qbo.parse_notifications(json.loads(json.dumps(payload)))
            self.assertEqual(
                (event["realm"], event["entity"], event["id"]),
                ("9130", "Customer", "5"),
            )
        with self.assertRaises(ValueError):
            qbo.parse_notifications({"hello": "world"})
