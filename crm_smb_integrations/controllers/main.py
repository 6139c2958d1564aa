"""Webhook endpoints and the QuickBooks OAuth2 redirect.

Every delivery is verified before anything is written: a forged or missing
signature (or Mailchimp URL secret) gets 401 and a warning in the server log;
a body that cannot be read gets 400; a replay or an unknown topic gets 200
and nothing more.
"""

import hashlib
import hmac
import json
import logging

from werkzeug.exceptions import NotFound

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..services import quickbooks as qbo
from ..services import signatures
from ..services.errors import ConnectorError

_logger = logging.getLogger(__name__)


def _reply(status, text):
    return request.make_response(
        text, headers=[("Content-Type", "text/plain")], status=status
    )


class WebhookController(http.Controller):
    def _backend(self, backend_id, service):
        # Deliveries are unauthenticated requests verified by signature; they
        # are recorded and processed as the superuser.
        env = request.env(user=SUPERUSER_ID, su=True)
        backend = env["crm.smb.connector.backend"].browse(backend_id)
        if not backend.exists() or not backend.active or backend.service != service:
            raise NotFound()
        return backend

    @http.route(
        "/crm_smb/webhook/shopify/<int:backend_id>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def shopify_webhook(self, backend_id, **_kwargs):
        backend = self._backend(backend_id, "shopify")
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        if not signatures.verify(
            backend.webhook_secret, body, headers.get("X-Shopify-Hmac-SHA256")
        ):
            _logger.warning(
                "Shopify webhook for backend %s refused: bad or missing signature "
                "(from %s)",
                backend_id,
                request.httprequest.remote_addr,
            )
            return _reply(401, "invalid signature")
        topic = headers.get("X-Shopify-Topic")
        delivery_id = headers.get("X-Shopify-Webhook-Id")
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not topic or not delivery_id:
            _logger.warning(
                "Shopify webhook for backend %s refused: malformed", backend_id
            )
            return _reply(400, "malformed delivery")
        backend.env["crm.smb.webhook.delivery"]._record_delivery(
            backend,
            delivery_id,
            topic,
            payload,
            headers.get("X-Shopify-API-Version"),
        )
        return _reply(200, "ok")

    @http.route(
        "/crm_smb/webhook/mailchimp/<int:backend_id>/<string:secret>",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def mailchimp_webhook(self, backend_id, secret, **form):
        backend = self._backend(backend_id, "mailchimp")
        if not backend.webhook_secret or not hmac.compare_digest(
            backend.webhook_secret, secret
        ):
            _logger.warning(
                "Mailchimp webhook for backend %s refused: bad secret", backend_id
            )
            return _reply(401, "invalid secret")
        if request.httprequest.method == "GET":
            # Mailchimp checks the URL with a GET before saving the webhook.
            return _reply(200, "ok")
        topic = form.get("type")
        if not topic or not form.get("fired_at"):
            _logger.warning(
                "Mailchimp webhook for backend %s refused: malformed", backend_id
            )
            return _reply(400, "malformed delivery")
        fields = {k: v for k, v in form.items() if k == "type" or k.startswith("data[")}
        key = json.dumps([form.get("fired_at"), fields], sort_keys=True)
        delivery_id = hashlib.sha256(key.encode()).hexdigest()[:40]
        backend.env["crm.smb.webhook.delivery"]._record_delivery(
            backend, delivery_id, topic, fields
        )
        return _reply(200, "ok")

    @http.route(
        "/crm_smb/webhook/quickbooks/<int:backend_id>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def quickbooks_webhook(self, backend_id, **_kwargs):
        backend = self._backend(backend_id, "quickbooks")
        body = request.httprequest.get_data()
        signature = request.httprequest.headers.get("intuit-signature")
        if not signatures.verify(backend.webhook_secret, body, signature):
            _logger.warning(
                "QuickBooks webhook for backend %s refused: bad or missing signature",
                backend_id,
            )
            return _reply(401, "invalid signature")
        try:
            events = qbo.parse_notifications(json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError):
            _logger.warning(
                "QuickBooks webhook for backend %s refused: malformed", backend_id
            )
            return _reply(400, "malformed delivery")
        Delivery = backend.env["crm.smb.webhook.delivery"]
        for event in events:
            if backend.qbo_realm_id and event["realm"] != backend.qbo_realm_id:
                _logger.info(
                    "QuickBooks webhook for backend %s: event for another company, "
                    "ignored",
                    backend_id,
                )
                continue
            Delivery._record_delivery(
                backend,
                event["event_id"],
                f"{event['entity']}.{event['operation']}",
                event,
            )
        return _reply(200, "ok")


class QuickBooksOAuthController(http.Controller):
    @http.route("/crm_smb/oauth/quickbooks/callback", type="http", auth="user")
    def quickbooks_callback(self, code=None, state=None, realmId=None, **_kwargs):
        if not request.env.user.has_group("base.group_system"):
            raise NotFound()
        Backend = request.env["crm.smb.connector.backend"].sudo()
        backend = state and Backend.search(
            [("service", "=", "quickbooks"), ("oauth_state", "=", state)], limit=1
        )
        if not backend or not code or not realmId:
            _logger.warning("QuickBooks OAuth callback refused: unknown state")
            return _reply(400, "unknown or expired authorization request")
        try:
            backend._qbo_oauth_callback(code, realmId)
        except ConnectorError:
            _logger.exception(
                "QuickBooks OAuth callback for backend %s failed", backend.id
            )
        return request.redirect(
            f"/odoo/action-crm_smb_integrations.crm_smb_connector_backend_action/{backend.id}"
        )
