"""Webhook endpoints over real HTTP: valid, forged, malformed and replayed."""

import json
import uuid
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.job import Job

from ..services.signatures import sign
from .common import QBO_VERIFIER, SHOPIFY_SECRET, IntegrationsCommon

CONTROLLER_LOGGER = "odoo.addons.crm_smb_integrations.controllers.main"


@tagged("post_install", "-at_install")
class TestWebhooksHttp(IntegrationsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Delivery = cls.env["crm.smb.webhook.delivery"]

    # Helpers ---------------------------------------------------------------
    def _shopify(self, topic, payload, webhook_id=None, signature=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-API-Version": "2025-10",
            "X-Shopify-Shop-Domain": "test.myshopify.com",
        }
        if signature is not False:
            headers["X-Shopify-Hmac-SHA256"] = signature or sign(SHOPIFY_SECRET, body)
        return self.url_open(
            f"/crm_smb/webhook/shopify/{self.shopify_backend.id}",
            data=body,
            headers=headers,
        )

    def _run_jobs(self):
        jobs = self.env["queue.job"].search([("state", "=", "pending")])
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        return jobs

    def _customer(self, cid=501, **extra):
        # API version 2025-01 and later: no tags, no marketing consent.
        return {
            "id": cid,
            "first_name": "Hana",
            "last_name": "Webb",
            "email": f"hana{cid}@example.com",
            "phone": None,
            "default_address": {"zip": "94105", "city": "SF", "country_code": "US"},
            **extra,
        }

    # Shopify ---------------------------------------------------------------
    def test_valid_customer_delivery_creates_contact(self):
        """A signed customers/create lands as a contact, tags and consent absent."""
        response = self._shopify("customers/create", self._customer())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._run_jobs()), 1)
        partner = self.env["res.partner"].search(
            [("email", "=", "hana501@example.com")]
        )
        self.assertEqual(partner.zip, "94105")
        self.assertFalse(partner.smb_marketing_consent)
        delivery = self.Delivery.search([("backend_id", "=", self.shopify_backend.id)])
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.api_version, "2025-10")
        self.assertFalse(delivery.payload)

    def test_replayed_delivery_creates_nothing(self):
        """The same X-Shopify-Webhook-Id any number of times: one contact."""
        for _attempt in range(3):
            response = self._shopify("customers/create", self._customer(502), "wh-502")
            self.assertEqual(response.status_code, 200)
            self._run_jobs()
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email", "=", "hana502@example.com")]
            ),
            1,
        )
        self.assertEqual(
            self.Delivery.search_count([("delivery_id", "=", "wh-502")]), 1
        )
        # A new delivery id with the same content: bound already, still one.
        self._shopify("customers/update", self._customer(502))
        self._run_jobs()
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email", "=", "hana502@example.com")]
            ),
            1,
        )

    def test_forged_or_missing_signature_is_401_and_writes_nothing(self):
        before = self.Delivery.search_count([])
        for signature in ("Zm9yZ2Vk", False):
            with self.assertLogs(CONTROLLER_LOGGER, "WARNING") as logs:
                response = self._shopify(
                    "customers/create", self._customer(503), signature=signature
                )
            self.assertEqual(response.status_code, 401)
            self.assertIn("signature", logs.output[0])
        self.assertEqual(self.Delivery.search_count([]), before)
        self.assertFalse(self.env["queue.job"].search([("state", "=", "pending")]))
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "hana503@example.com")])
        )

    def test_malformed_body_is_400(self):
        response = self._shopify("customers/create", None, raw=b"{not json")
        self.assertEqual(response.status_code, 400)

    def test_unknown_topic_is_acknowledged_and_logged(self):
        response = self._shopify("products/create", {"id": 1})
        self.assertEqual(response.status_code, 200)
        delivery = self.Delivery.search([("topic", "=", "products/create")])
        self.assertEqual(delivery.state, "ignored")
        self.assertFalse(self._run_jobs())

    def test_paid_order_brings_revenue_and_utm(self):
        order = {
            "id": 9001,
            "name": "#9001",
            "total_price": "75.00",
            "currency": "USD",
            "financial_status": "paid",
            "created_at": "2026-02-01T10:00:00Z",
            "landing_site": "/?utm_source=instagram&utm_medium=social",
            "referring_site": "https://instagram.com/",
            "customer": self._customer(504),
        }
        self.assertEqual(self._shopify("orders/paid", order).status_code, 200)
        self._run_jobs()
        partner = self.env["res.partner"].search(
            [("email", "=", "hana504@example.com")]
        )
        self.assertEqual(partner.smb_external_revenue, 75.0)
        self.assertEqual(
            partner.smb_external_order_ids.medium_id.name.lower(), "social"
        )

    # Mailchimp -------------------------------------------------------------
    def test_mailchimp_handshake_secret_and_unsubscribe(self):
        """GET validates the URL; a wrong secret is 401; unsubscribe opts out."""
        backend = self.mailchimp_backend.sudo()
        url = f"/crm_smb/webhook/mailchimp/{backend.id}/{backend.webhook_secret}"
        self.assertEqual(self.url_open(url).status_code, 200)
        wrong = f"/crm_smb/webhook/mailchimp/{backend.id}/nope"
        self.assertEqual(self.url_open(wrong).status_code, 401)
        partner = self._partner(
            name="Ivy", email="ivy@example.com", smb_marketing_consent=True
        )
        form = {
            "type": "unsubscribe",
            "fired_at": "2026-03-01 10:00:00",
            "data[email]": "ivy@example.com",
            "data[list_id]": "a1b2c3d4e5",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for _attempt in range(2):
            response = self.url_open(url, data=urlencode(form), headers=headers)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._run_jobs()), 1)
        self.assertTrue(partner.smb_marketing_opt_out)
        self.assertEqual(partner.smb_opt_out_reason, "unsubscribed")
        self.assertIn("Unsubscribed", " ".join(partner.message_ids.mapped("body")))

    def test_mailchimp_registered_webhook_end_to_end(self):
        """The webhook registered on the audience reaches us when Mailchimp
        fires it, and a bounce opts the contact out."""
        self.mailchimp.webhooks.clear()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.mailchimp_backend.action_mailchimp_register_webhook()
        self.assertTrue(self.mailchimp.webhooks[0]["url"].startswith(self.base_url()))
        partner = self._partner(name="Otto", email="otto@example.com")
        # Mailchimp's request carries no test cookie: let it through.
        with self.allow_requests(all_requests=True):
            statuses = self.mailchimp.fire_webhook(
                "cleaned", "otto@example.com", reason="hard"
            )
        self.assertEqual(statuses, [200])
        self._run_jobs()
        self.assertEqual(partner.smb_opt_out_reason, "bounced")

    # QuickBooks ------------------------------------------------------------
    def _qbo_post(self, payload, signature=None):
        body = json.dumps(payload).encode()
        return self.url_open(
            f"/crm_smb/webhook/quickbooks/{self.qbo_backend.id}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "intuit-signature": signature or sign(QBO_VERIFIER, body),
            },
        )

    def test_quickbooks_legacy_and_cloudevents(self):
        """Both notification formats are verified, deduplicated and imported."""
        self._connect_qbo()
        one = self.qbo.add_customer(
            DisplayName="Jon Legacy", PrimaryEmailAddr={"Address": "jon@example.com"}
        )
        two = self.qbo.add_customer(
            DisplayName="Kim Cloud", PrimaryEmailAddr={"Address": "kim@example.com"}
        )
        legacy = {
            "eventNotifications": [
                {
                    "realmId": self.qbo.realm,
                    "dataChangeEvent": {
                        "entities": [
                            {
                                "name": "Customer",
                                "id": one["Id"],
                                "operation": "Create",
                                "lastUpdated": "2026-03-01T10:00:00.000Z",
                            }
                        ]
                    },
                }
            ]
        }
        cloud = [
            {
                "specversion": "1.0",
                "id": "0f4c-evt",
                "source": "intuit.abc",
                "type": "qbo.customer.created.v1",
                "datacontenttype": "application/json",
                "time": "2026-03-01T10:00:00Z",
                "intuitentityid": two["Id"],
                "intuitaccountid": self.qbo.realm,
                "data": {},
            }
        ]
        for payload in (legacy, cloud, legacy, cloud):
            self.assertEqual(self._qbo_post(payload).status_code, 200)
        self.assertEqual(len(self._run_jobs()), 1)
        for email in ("jon@example.com", "kim@example.com"):
            self.assertEqual(
                self.env["res.partner"].search_count([("email", "=", email)]), 1
            )
        self.assertEqual(self._qbo_post(cloud, signature="AAAA").status_code, 401)
        self.assertEqual(self._qbo_post({"what": 1}).status_code, 400)

    # QuickBooks OAuth redirect --------------------------------------------
    def test_quickbooks_oauth_redirect_connects(self):
        """Intuit's redirect with the code and our state connects the backend;
        an unknown state is refused."""
        action = self.qbo_backend.action_qbo_connect()
        state = self.qbo_backend.sudo().oauth_state
        self.assertIn(f"state={state}", action["url"])
        self.authenticate("admin", "admin")
        bad = self.url_open(
            "/crm_smb/oauth/quickbooks/callback?code=x&state=forged&realmId=1",
            allow_redirects=False,
        )
        self.assertEqual(bad.status_code, 400)
        code = self.qbo.issue_code()
        response = self.url_open(
            f"/crm_smb/oauth/quickbooks/callback?code={code}&state={state}"
            f"&realmId={self.qbo.realm}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.qbo_backend.state, "connected")
        self.assertFalse(self.qbo_backend.sudo().oauth_state)

    def test_replay_costs_one_query(self):
        """The endpoint's dedup is a single INSERT ... ON CONFLICT."""
        Delivery = self.Delivery.sudo()
        Delivery._record_delivery(self.shopify_backend, "q-1", "customers/update", {})
        with self.assertQueryCount(1):
            self.assertIsNone(
                Delivery._record_delivery(
                    self.shopify_backend, "q-1", "customers/update", {}
                )
            )
