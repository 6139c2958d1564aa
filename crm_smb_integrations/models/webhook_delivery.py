"""A webhook delivery received from a connected service.

Stored once per backend and delivery id (X-Shopify-Webhook-Id, the
CloudEvents id, or a hash of the Mailchimp event), so a replayed delivery is
acknowledged without being processed again. Processing runs as a job on the
service's channel; the payload is dropped once processed.
"""

import json
import logging

from odoo import fields, models
from odoo.tools import SQL

from ..services import shopify
from .connector_backend import CHANNELS

_logger = logging.getLogger(__name__)

SHOPIFY_TOPICS = {
    "customers/create",
    "customers/update",
    "orders/create",
    "orders/paid",
}
MAILCHIMP_TOPICS = {
    "subscribe",
    "unsubscribe",
    "cleaned",
    "profile",
    "upemail",
    "campaign",
}
QBO_ENTITIES = {"Customer", "Invoice", "Payment"}


class CrmSmbWebhookDelivery(models.Model):
    _name = "crm.smb.webhook.delivery"
    _inherit = ["crm.smb.connector.record"]
    _description = "Webhook delivery"
    _order = "id desc"

    delivery_id = fields.Char(required=True)
    topic = fields.Char(required=True)
    api_version = fields.Char()
    payload = fields.Text()
    state = fields.Selection(
        [
            ("received", "Received"),
            ("done", "Processed"),
            ("ignored", "Unknown topic"),
            ("failed", "Failed"),
        ],
        default="received",
        required=True,
    )
    error = fields.Char()

    _backend_delivery_uniq = models.Constraint(
        "UNIQUE(backend_id, delivery_id)",
        "A webhook delivery is processed only once.",
    )

    def _record_delivery(self, backend, delivery_id, topic, payload, api_version=None):
        """Store a delivery and queue its processing; None if already seen.

        SQL with ON CONFLICT: two copies of a delivery arriving at the same
        time must not both pass, and the endpoint must stay fast.
        """
        known = self._is_known(backend.service, topic)
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_smb_webhook_delivery
                    (backend_id, company_id, delivery_id, topic, api_version,
                     payload, state, create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,
                        now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (backend_id, delivery_id) DO NOTHING
                RETURNING id
                """,
                backend.id,
                backend.company_id.id,
                delivery_id,
                topic,
                api_version,
                json.dumps(payload) if known else None,
                "received" if known else "ignored",
                self.env.uid,
                self.env.uid,
            )
        )
        if not rows:
            _logger.info(
                "Backend %s: delivery %s replayed, ignored", backend.id, delivery_id
            )
            return None
        delivery = self.browse(rows[0][0])
        if not known:
            _logger.info(
                "Backend %s: webhook topic %s not handled, acknowledged",
                backend.id,
                topic,
            )
            return delivery
        # One pending job per backend drains every received delivery: the
        # endpoint stays a single INSERT plus an indexed look-up.
        backend.with_delay(
            channel=CHANNELS[backend.service],
            description=f"{backend.service}: process webhook deliveries",
            identity_key=f"crm_smb_webhooks_{backend.id}",
        )._job_process_deliveries()
        return delivery

    @staticmethod
    def _is_known(service, topic):
        if service == "shopify":
            return topic in SHOPIFY_TOPICS
        if service == "mailchimp":
            return topic in MAILCHIMP_TOPICS
        return topic.split(".")[0] in QBO_ENTITIES

    # Processing -----------------------------------------------------------
    def _process(self):
        """Apply received deliveries, each in its own savepoint; returns the
        number processed. Rate limits propagate (the job retries them all,
        which is harmless: applying a delivery twice changes nothing)."""
        done = 0
        for delivery in self.filtered(lambda d: d.state == "received"):
            backend = delivery.backend_id
            payload = json.loads(delivery.payload or "null")
            try:
                with self.env.cr.savepoint():
                    error = getattr(delivery, f"_process_{backend.service}")(
                        backend, payload
                    )
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                error = f"unreadable payload ({type(err).__name__})"
            delivery.write(
                {
                    "state": "failed" if error else "done",
                    "error": error or False,
                    "payload": False,
                }
            )
            if error:
                _logger.warning(
                    "Backend %s: delivery %s failed: %s",
                    backend.id,
                    delivery.delivery_id,
                    error,
                )
            done += 1
        return done

    def _process_shopify(self, backend, payload):
        Binding = self.env["crm.smb.connector.binding"]
        if self.topic.startswith("customers/"):
            values = shopify.customer_values(payload)
            outcome = Binding._resolve_customers(backend, [values], "shopify")
            return self._outcome_error(outcome)
        order = shopify.order_values(payload)
        customer = payload.get("customer")
        if customer:
            outcome = Binding._resolve_customers(
                backend, [shopify.customer_values(customer)], "shopify"
            )
            error = self._outcome_error(outcome)
            if error:
                return error
        _created, _updated, _skipped, failed = self.env[
            "crm.smb.external.order"
        ]._import_batch(backend, "shopify_order", [order])
        return "; ".join(reason for _ext, reason, *_extra in failed) or None

    @staticmethod
    def _outcome_error(outcome):
        for ext, (state, _partner) in outcome.items():
            if state == "failed":
                return f"customer {ext} rejected"
        return None

    def _process_mailchimp(self, backend, payload):
        return backend._mailchimp_apply_event(self.topic, payload)

    def _process_quickbooks(self, backend, payload):
        return backend._qbo_apply_event(payload)
