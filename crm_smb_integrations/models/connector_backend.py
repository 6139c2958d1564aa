"""A connector backend is one connected account of an external service.

It holds the account's endpoints and credentials (readable by administrators
only), its connection state, and the entry points of the sync jobs. Service
methods are prefixed with the service (``_shopify_``, ``_mailchimp_``,
``_qbo_``); the generic actions dispatch on ``service``.
"""

import logging
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

from ..services import mailchimp, shopify
from ..services import quickbooks as qbo
from ..services.errors import (
    AuthenticationError,
    ConnectorError,
    RemoteValidationError,
    RetryableError,
)
from ..services.identity import email_key
from ..services.mapping import split_name

_logger = logging.getLogger(__name__)

SHOPIFY_PAGE = 250
# Overlap of the reconciliation window, so that events that arrived while the
# previous run was going are looked at again.
RECONCILE_OVERLAP = timedelta(hours=1)
MAILCHIMP_PUSH_CHUNK = 200
MAILCHIMP_PAGE = 500
OPT_OUT_STATUSES = {"unsubscribed": "unsubscribed", "cleaned": "bounced"}
QBO_PAGE = 500
# Refresh the access token this long before it expires, so that a job never
# starts with a token that dies half-way.
REFRESH_MARGIN = timedelta(minutes=5)
ORDER_KINDS = {"Invoice": "qbo_invoice", "Payment": "qbo_payment"}

SERVICES = [
    ("shopify", "Shopify"),
    ("mailchimp", "Mailchimp"),
    ("quickbooks", "QuickBooks Online"),
]
CHANNELS = {
    "shopify": "root.crm_smb_shopify",
    "mailchimp": "root.crm_smb_mailchimp",
    "quickbooks": "root.crm_smb_quickbooks",
}


class CrmSmbConnectorBackend(models.Model):
    _name = "crm.smb.connector.backend"
    _description = "Connector"
    _inherit = ["mail.thread"]
    _order = "service, name"

    # Description
    name = fields.Char(required=True, tracking=True)
    service = fields.Selection(SERVICES, required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [
            ("draft", "Not connected"),
            ("connected", "Connected"),
            ("needs_reconnect", "Needs reconnect"),
            ("error", "Error"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    state_message = fields.Char(readonly=True)
    last_sync_date = fields.Datetime(readonly=True)
    last_health_check = fields.Datetime(readonly=True)

    # Endpoints
    shop_url = fields.Char(
        string="Shop URL", help="For example https://my-shop.myshopify.com"
    )
    api_url = fields.Char(
        string="API URL",
        help="Leave empty for the service's public endpoint; set it to reach a "
        "sandbox or a test server.",
    )
    token_url = fields.Char(string="Token URL")
    shopify_api_version = fields.Char(string="Shopify API Version", default="2025-10")
    mailchimp_list_id = fields.Char(string="Audience ID")
    qbo_realm_id = fields.Char(string="Company ID (realm)")
    qbo_client_id = fields.Char(string="Client ID")

    # Credentials: administrators only
    access_token = fields.Char(groups="base.group_system", copy=False)
    api_key = fields.Char(groups="base.group_system", copy=False)
    client_secret = fields.Char(groups="base.group_system", copy=False)
    webhook_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Shopify: the app's client secret. QuickBooks: the webhook verifier "
        "token. Mailchimp: the secret part of the webhook URL.",
    )
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    token_expires_at = fields.Datetime(groups="base.group_system", copy=False)
    oauth_state = fields.Char(groups="base.group_system", copy=False)

    # Activity
    binding_ids = fields.One2many("crm.smb.connector.binding", "backend_id")
    binding_count = fields.Integer(compute="_compute_counts")
    log_ids = fields.One2many("crm.smb.sync.log", "backend_id")
    review_count = fields.Integer(compute="_compute_counts")
    webhook_url = fields.Char(string="Webhook URL", compute="_compute_webhook_url")

    def _compute_counts(self):
        bindings = dict(
            self.env["crm.smb.connector.binding"]._read_group(
                [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
            )
        )
        reviews = dict(
            self.env["crm.smb.identity.review"]._read_group(
                [("backend_id", "in", self.ids), ("state", "=", "pending")],
                ["backend_id"],
                ["__count"],
            )
        )
        for backend in self:
            backend.binding_count = bindings.get(backend, 0)
            backend.review_count = reviews.get(backend, 0)

    @api.depends("service")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            if not backend.id or not backend.service:
                backend.webhook_url = False
            elif backend.service == "mailchimp":
                backend.webhook_url = (
                    f"{base}/crm_smb/webhook/mailchimp/{backend.id}/<secret>"
                )
            else:
                backend.webhook_url = (
                    f"{base}/crm_smb/webhook/{backend.service}/{backend.id}"
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("service") == "mailchimp" and not vals.get("webhook_secret"):
                vals["webhook_secret"] = secrets.token_urlsafe(24)
        return super().create(vals_list)

    # Actions --------------------------------------------------------------
    def action_health_check(self):
        """Call a cheap endpoint of the service and record the outcome."""
        self.ensure_one()
        try:
            getattr(self, f"_{self.service}_health_check")()
        except AuthenticationError as err:
            self._set_state("needs_reconnect", self._auth_message())
            _logger.warning("Health check of backend %s: %s", self.id, err)
        except ConnectorError as err:
            self._set_state("error", str(err))
            _logger.warning("Health check of backend %s: %s", self.id, err)
        else:
            self._set_state("connected", _("Connection OK"))
        self.last_health_check = fields.Datetime.now()
        message_type = "success" if self.state == "connected" else "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": self.state_message,
                "type": message_type,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_sync_now(self):
        """Queue the full import of the account (one job chain per kind)."""
        for backend in self:
            getattr(backend, f"_{backend.service}_queue_sync")()
        return True

    def action_view_bindings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_smb_integrations.crm_smb_connector_binding_action"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        return action

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_smb_integrations.crm_smb_identity_review_action"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        return action

    # Business methods -----------------------------------------------------
    def _set_state(self, state, message):
        self.sudo().write({"state": state, "state_message": message})

    def _auth_message(self):
        return _(
            "%(service)s refused the credentials of %(name)s. Open the connector "
            "and reconnect it (or enter a new access token).",
            service=dict(SERVICES)[self.service],
            name=self.name,
        )

    def _secret_values(self):
        """The secrets of these backends, to mask them in logs."""
        values = []
        for backend in self.sudo():
            values += [
                backend.access_token,
                backend.api_key,
                backend.client_secret,
                backend.webhook_secret,
                backend.refresh_token,
            ]
        return [value for value in values if value]

    def _credentials(self):
        """The backend with access to its secret fields, for the clients."""
        return self.sudo()

    def _delay(self, description, **kwargs):
        """``with_delay`` on the service's channel, never queuing a twin job."""
        return self.with_delay(
            channel=CHANNELS[self.service],
            description=description,
            identity_key=identity_exact,
            **kwargs,
        )

    def _new_log(self, operation):
        return (
            self.env["crm.smb.sync.log"]
            .sudo()
            .create({"backend_id": self.id, "operation": operation})
        )

    @contextmanager
    def _job_guard(self, log):
        """Translate client errors into queue_job outcomes.

        Rate limits, throttling and 5xx raise RetryableJobError with the wait
        the API asked for (None lets the job function's retry pattern back
        off). Refused credentials mark the backend "needs reconnect" and end
        the job without retry, as do other errors, which are logged.
        """
        try:
            yield
        except RetryableError as err:
            _logger.warning(
                "Backend %s: %s, retrying in %s s", self.id, err, err.retry_after
            )
            raise RetryableJobError(str(err), seconds=err.retry_after) from err
        except AuthenticationError as err:
            self._set_state("needs_reconnect", self._auth_message())
            log._finish("failed", str(err))
            _logger.warning("Backend %s: %s", self.id, err)
        except ConnectorError as err:
            self._set_state("error", str(err))
            log._finish("failed", str(err))
            _logger.exception("Backend %s: sync failed", self.id)

    def _job_process_deliveries(self, batch=500):
        """Job: apply the webhook deliveries received for this backend."""
        self.ensure_one()
        Delivery = self.env["crm.smb.webhook.delivery"]
        deliveries = Delivery.search(
            [("backend_id", "=", self.id), ("state", "=", "received")],
            order="id",
            limit=batch,
        )
        with self._job_guard(self.env["crm.smb.sync.log"]):
            deliveries._process()
        if len(deliveries) == batch:
            self.with_delay(
                channel=CHANNELS[self.service],
                description=f"{self.service}: process webhook deliveries",
                identity_key=f"crm_smb_webhooks_{self.id}",
            )._job_process_deliveries()

    def _require_service(self, service):
        if self.service != service:
            raise UserError(
                _(
                    "%(name)s is not a %(service)s connector.",
                    name=self.name,
                    service=dict(SERVICES)[service],
                )
            )

    # Shopify ---------------------------------------------------------------
    def _shopify_client(self):
        backend = self._credentials()
        if not backend.shop_url or not backend.access_token:
            raise ConnectorError(
                _("Enter the shop URL and the Admin API access token first.")
            )
        return shopify.ShopifyClient(
            backend.shop_url,
            backend.access_token,
            backend.shopify_api_version or shopify.API_VERSION,
        )

    def _shopify_health_check(self):
        self._shopify_client().page("customers", first=1)

    def _shopify_queue_sync(self, query=None):
        log = self._new_log(_("Shopify import"))
        self._delay(_("Shopify: import customers"))._job_shopify_import(
            "customers", None, log.id, query
        )
        return log

    def _shopify_import_page(self, client, kind, cursor, log, query=None):
        """Import one page; returns the next cursor or None."""
        nodes, next_cursor = client.page(kind, cursor, SHOPIFY_PAGE, query)
        mapper = (
            shopify.customer_values if kind == "customers" else shopify.order_values
        )
        values_list, failed = [], []
        for node in nodes:
            try:
                values_list.append(mapper(node))
            except (KeyError, TypeError, ValueError) as err:
                failed.append((shopify.gid_to_id(node.get("id")), f"unreadable: {err}"))
        if failed:
            log._count(failed=failed)
        if kind == "customers":
            self.env["crm.smb.connector.binding"]._resolve_customers(
                self, values_list, "shopify", log
            )
        else:
            self.env["crm.smb.external.order"]._import_batch(
                self, "shopify_order", values_list, log
            )
        return next_cursor

    def _job_shopify_import(self, kind, cursor, log_id, query=None):
        """Job: one page of customers or orders, then queue the next one.

        Waits for the cost bucket to refill before the next page rather than
        collecting THROTTLED errors.
        """
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            client = self._shopify_client()
            next_cursor = self._shopify_import_page(client, kind, cursor, log, query)
            status = client.throttle_status
            eta = None
            if status and status.get("currentlyAvailable", 0) < SHOPIFY_PAGE + 2:
                missing = SHOPIFY_PAGE + 2 - status["currentlyAvailable"]
                eta = int(missing / (status.get("restoreRate") or 50)) + 1
            if next_cursor:
                self._delay(
                    _("Shopify: import %(kind)s", kind=kind), eta=eta
                )._job_shopify_import(kind, next_cursor, log_id, query)
            elif kind == "customers":
                self._delay(_("Shopify: import orders"), eta=eta)._job_shopify_import(
                    "orders", None, log_id, query
                )
            else:
                log._finish()
                self.write({"last_sync_date": fields.Datetime.now()})
                if self.state != "connected":
                    self._set_state("connected", _("Last sync succeeded"))

    def _shopify_import_all(self, query=None, max_wait=30):
        """Import customers then orders in this transaction (no job queue).

        Used by the benchmark and by tests; sleeps when throttled.
        """
        self.ensure_one()
        log = self._new_log(_("Shopify import"))
        client = self._shopify_client()
        for kind in ("customers", "orders"):
            cursor = None
            while True:
                try:
                    cursor = self._shopify_import_page(client, kind, cursor, log, query)
                except RetryableError as err:
                    time.sleep(min(err.retry_after or 1, max_wait))
                    continue
                if not cursor:
                    break
        log._finish()
        self.write({"last_sync_date": fields.Datetime.now()})
        return log

    def _cron_shopify_reconcile(self):
        """Queue an import of what changed since the last sync (missed events)."""
        backends = self.search(
            [("service", "=", "shopify"), ("state", "=", "connected")]
        )
        for backend in backends:
            query = None
            if backend.last_sync_date:
                since = backend.last_sync_date - RECONCILE_OVERLAP
                query = f"updated_at:>='{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"
            backend._shopify_queue_sync(query)

    # Mailchimp -------------------------------------------------------------
    def _mailchimp_client(self):
        backend = self._credentials()
        if not backend.api_key or not backend.mailchimp_list_id:
            raise ConnectorError(_("Enter the API key and the audience ID first."))
        return mailchimp.MailchimpClient(backend.api_key, backend.api_url)

    def _mailchimp_health_check(self):
        self._mailchimp_client().ping()

    def action_mailchimp_register_webhook(self):
        """Register this database's webhook URL (with its secret) on the
        audience, for unsubscribes, bounces, profile and campaign events."""
        self.ensure_one()
        self._require_service("mailchimp")
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        url = (
            f"{base}/crm_smb/webhook/mailchimp/{self.id}/"
            f"{self._credentials().webhook_secret}"
        )
        try:
            self._mailchimp_client().create_webhook(self.mailchimp_list_id, url)
        except ConnectorError as err:
            raise UserError(
                _(
                    "Mailchimp did not accept the webhook: %(error)s. Check the "
                    "connection first.",
                    error=str(err),
                )
            ) from err
        self.message_post(body=_("Webhook registered on the Mailchimp audience."))
        return True

    def _mailchimp_pushable_domain(self):
        """Contacts with recorded consent, or opted out and already in the
        audience (to pass the unsubscribe on)."""
        return [
            ("email", "!=", False),
            "|",
            "&",
            ("smb_marketing_consent", "=", True),
            ("smb_marketing_opt_out", "=", False),
            "&",
            ("smb_marketing_opt_out", "=", True),
            ("smb_binding_ids.backend_id", "=", self.id),
        ]

    def _mailchimp_queue_sync(self):
        log = self._new_log(_("Mailchimp push"))
        partners = self.env["res.partner"].search(self._mailchimp_pushable_domain())
        for start in range(0, len(partners), MAILCHIMP_PUSH_CHUNK):
            chunk = partners[start : start + MAILCHIMP_PUSH_CHUNK]
            self._delay(_("Mailchimp: push contacts"))._job_mailchimp_push(
                chunk.ids, log.id
            )
        self._delay(_("Mailchimp: read opt-outs"))._job_mailchimp_reconcile(0, log.id)
        return log

    def _job_mailchimp_push(self, partner_ids, log_id):
        """Job: upsert members with tags and merge fields, consent-safe."""
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            self._mailchimp_push(self.env["res.partner"].browse(partner_ids), log)

    def _mailchimp_push(self, partners, log):
        client = self._mailchimp_client()
        list_id = self.mailchimp_list_id
        Binding = self.env["crm.smb.connector.binding"].sudo()
        bound = Binding._partner_for(
            self, [mailchimp.subscriber_hash(p.email) for p in partners if p.email]
        )
        created = updated = skipped = 0
        failed = []
        for partner in partners:
            if not partner.email or not (
                partner.smb_marketing_consent or partner.smb_marketing_opt_out
            ):
                skipped += 1
                continue
            member_hash = mailchimp.subscriber_hash(partner.email)
            if partner.smb_marketing_opt_out and member_hash not in bound:
                skipped += 1
                continue
            first, last = split_name(partner.name)
            body = mailchimp.member_body(
                partner.email,
                first,
                last,
                partner.smb_marketing_consent,
                partner.smb_marketing_opt_out,
            )
            try:
                member = client.upsert_member(list_id, body)
                tags = partner.category_id.mapped("name")
                if partner.lifecycle_stage:
                    tags.append(f"lifecycle:{partner.lifecycle_stage}")
                if tags:
                    client.set_tags(list_id, partner.email, tags)
            except RemoteValidationError as err:
                failed.append((member_hash, f"{err} {err.detail or ''}".strip()))
                continue
            if (
                member.get("status") in OPT_OUT_STATUSES
                and not partner.smb_marketing_opt_out
            ):
                partner._smb_opt_out(
                    OPT_OUT_STATUSES[member["status"]],
                    _(
                        "Mailchimp reports this contact as %(status)s.",
                        status=member["status"],
                    ),
                )
            if member_hash in bound:
                updated += 1
            else:
                Binding.create(
                    {
                        "backend_id": self.id,
                        "partner_id": partner.id,
                        "external_id": member_hash,
                    }
                )
                bound[member_hash] = partner
                created += 1
        log._count(created=created, updated=updated, skipped=skipped, failed=failed)

    def _job_mailchimp_reconcile(self, offset, log_id):
        """Job: read the audience page by page and record opt-outs."""
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            client = self._mailchimp_client()
            members, total = client.members_page(
                self.mailchimp_list_id, MAILCHIMP_PAGE, offset
            )
            for member in members:
                if member.get("status") in OPT_OUT_STATUSES:
                    self._mailchimp_apply_event(
                        "unsubscribe"
                        if member["status"] == "unsubscribed"
                        else "cleaned",
                        {"data[email]": member.get("email_address")},
                    )
            if offset + MAILCHIMP_PAGE < total:
                self._delay(_("Mailchimp: read opt-outs"))._job_mailchimp_reconcile(
                    offset + MAILCHIMP_PAGE, log_id
                )
            else:
                log._finish()
                self.write({"last_sync_date": fields.Datetime.now()})

    def _mailchimp_partner(self, email):
        key = email_key(email)
        if not key:
            return self.env["res.partner"]
        bound = self.env["crm.smb.connector.binding"]._partner_for(
            self, [mailchimp.subscriber_hash(key)]
        )
        if bound:
            return next(iter(bound.values()))
        return self.env["res.partner"].search([("email_normalized", "=", key)], limit=1)

    def _mailchimp_apply_event(self, topic, payload):
        """Apply one webhook event (form fields ``data[...]``); error or None."""
        email = payload.get("data[email]") or payload.get("data[new_email]")
        if topic == "campaign":
            _logger.info(
                "Backend %s: campaign event %s", self.id, payload.get("data[id]")
            )
            return None
        partner = self._mailchimp_partner(email)
        if not partner:
            _logger.info(
                "Backend %s: Mailchimp event %s for an unknown contact", self.id, topic
            )
            return None
        if topic in ("unsubscribe", "cleaned"):
            reason = "unsubscribed" if topic == "unsubscribe" else "bounced"
            if partner.smb_marketing_opt_out and partner.smb_opt_out_reason == reason:
                return None
            note = (
                _("Unsubscribed from the Mailchimp audience.")
                if reason == "unsubscribed"
                else _(
                    "Email bounced in Mailchimp (%(why)s); address cleaned.",
                    why=payload.get("data[reason]") or _("hard bounce"),
                )
            )
            partner._smb_opt_out(reason, note)
        elif topic == "subscribe":
            if not partner.smb_marketing_opt_out and not partner.smb_marketing_consent:
                partner.write(
                    {
                        "smb_marketing_consent": True,
                        "smb_consent_date": fields.Datetime.now(),
                        "smb_consent_source": "mailchimp",
                    }
                )
            partner.message_post(
                body=_("Subscribed in Mailchimp."), subtype_xmlid="mail.mt_note"
            )
        elif topic in ("profile", "upemail"):
            partner.message_post(
                body=Markup("%s") % _("Profile updated in Mailchimp."),
                subtype_xmlid="mail.mt_note",
            )
        return None

    # QuickBooks ------------------------------------------------------------
    # OAuth2 ---------------------------------------------------------------
    def _qbo_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return f"{base}/crm_smb/oauth/quickbooks/callback"

    def _qbo_base_client(self):
        backend = self._credentials()
        if not backend.qbo_client_id or not backend.client_secret:
            raise ConnectorError(_("Enter the client ID and client secret first."))
        return qbo.QuickBooksClient(
            backend.qbo_client_id,
            backend.client_secret,
            realm=backend.qbo_realm_id,
            access_token=backend.access_token,
            api_url=backend.api_url or qbo.API_URL,
            token_url=backend.token_url or qbo.TOKEN_URL,
        )

    def action_qbo_connect(self):
        """Send the administrator to Intuit to authorize the company."""
        self.ensure_one()
        self._require_service("quickbooks")
        state = secrets.token_urlsafe(24)
        self.sudo().oauth_state = state
        url = qbo.authorize_url(self.qbo_client_id, self._qbo_redirect_uri(), state)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _qbo_store_tokens(self, tokens):
        self.sudo().write(
            {
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "token_expires_at": fields.Datetime.now()
                + timedelta(seconds=int(tokens.get("expires_in") or 3600)),
            }
        )

    def _qbo_oauth_callback(self, code, realm_id):
        """Exchange the authorization code (from the redirect) for tokens."""
        client = self._qbo_base_client()
        try:
            tokens = client.exchange_code(code, self._qbo_redirect_uri())
        except AuthenticationError:
            self._set_state("needs_reconnect", self._auth_message())
            raise
        self._qbo_store_tokens(tokens)
        self.sudo().write({"qbo_realm_id": realm_id, "oauth_state": False})
        self._set_state(
            "connected", _("Connected to QuickBooks company %(realm)s", realm=realm_id)
        )

    def _qbo_refresh(self):
        """Trade the refresh token for new tokens (the old one stops working)."""
        backend = self._credentials()
        if not backend.refresh_token:
            self._set_state("needs_reconnect", self._auth_message())
            raise AuthenticationError("QuickBooks: no refresh token")
        try:
            tokens = self._qbo_base_client().refresh(backend.refresh_token)
        except AuthenticationError:
            self._set_state("needs_reconnect", self._auth_message())
            raise
        self._qbo_store_tokens(tokens)

    def _qbo_client(self):
        backend = self._credentials()
        expires = backend.token_expires_at
        if (
            not backend.access_token
            or not expires
            or expires - REFRESH_MARGIN < fields.Datetime.now()
        ):
            self._qbo_refresh()
        return self._qbo_base_client()

    def _qbo_call(self, method, *args):
        """Call a client method; on 401 refresh once and try again.

        A second refusal leaves the backend "needs reconnect".
        """
        try:
            return getattr(self._qbo_client(), method)(*args)
        except AuthenticationError:
            self._qbo_refresh()
        try:
            return getattr(self._qbo_base_client(), method)(*args)
        except AuthenticationError:
            self._set_state("needs_reconnect", self._auth_message())
            raise

    def _quickbooks_health_check(self):
        self._qbo_call("query", "Customer", 1, 1)

    # Import ---------------------------------------------------------------
    def _quickbooks_queue_sync(self):
        log = self._new_log(_("QuickBooks import"))
        self._delay(_("QuickBooks: import customers"))._job_qbo_import(
            "Customer", 1, log.id
        )
        return log

    def _qbo_import_rows(self, entity, rows, log):
        if entity == "Customer":
            self.env["crm.smb.connector.binding"]._resolve_customers(
                self, [qbo.customer_values(row) for row in rows], "quickbooks", log
            )
        else:
            self.env["crm.smb.external.order"]._import_batch(
                self, ORDER_KINDS[entity], [qbo.order_values(row) for row in rows], log
            )

    def _job_qbo_import(self, entity, start, log_id):
        """Job: one query page, then the next page or the next entity."""
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            rows = self._qbo_call("query", entity, start, QBO_PAGE)
            self._qbo_import_rows(entity, rows, log)
            if len(rows) == QBO_PAGE:
                self._delay(
                    _("QuickBooks: import %(entity)s", entity=entity)
                )._job_qbo_import(entity, start + QBO_PAGE, log_id)
            elif entity != "Payment":
                following = "Invoice" if entity == "Customer" else "Payment"
                self._delay(
                    _("QuickBooks: import %(entity)s", entity=following)
                )._job_qbo_import(following, 1, log_id)
            else:
                log._finish()
                self.write({"last_sync_date": fields.Datetime.now()})

    def _qbo_import_all(self, max_wait=30):
        """Customers, invoices and payments in this transaction (tests, bench)."""
        log = self._new_log(_("QuickBooks import"))
        for entity in ("Customer", "Invoice", "Payment"):
            start = 1
            while True:
                try:
                    rows = self._qbo_call("query", entity, start, QBO_PAGE)
                except RetryableError as err:
                    time.sleep(min(err.retry_after or 1, max_wait))
                    continue
                self._qbo_import_rows(entity, rows, log)
                if len(rows) < QBO_PAGE:
                    break
                start += QBO_PAGE
        log._finish()
        self.write({"last_sync_date": fields.Datetime.now()})
        return log

    def _qbo_apply_event(self, event):
        """Fetch the entity a webhook notification names and import it."""
        if event["operation"] in ("Delete", "Deleted"):
            return None
        row = self._qbo_call("read_entity", event["entity"], event["id"])
        self._qbo_import_rows(event["entity"], [row], None)
        return None

    # Export ---------------------------------------------------------------
    def _qbo_queue_export(self, partners):
        log = self._new_log(_("QuickBooks export"))
        self._delay(_("QuickBooks: export customers"))._job_qbo_export(
            partners.ids, log.id
        )
        return log

    def _job_qbo_export(self, partner_ids, log_id):
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            self._qbo_export(self.env["res.partner"].browse(partner_ids), log)
            log._finish()

    def _qbo_customer_body(self, partner, display_name=None):
        first, last = split_name(partner.name)
        body = {
            "DisplayName": display_name or partner.name,
            "GivenName": first[:100],
            "FamilyName": last[:100],
        }
        if partner.email:
            body["PrimaryEmailAddr"] = {"Address": partner.email}
        if partner.phone:
            body["PrimaryPhone"] = {"FreeFormNumber": partner.phone}
        if partner.zip or partner.city:
            body["BillAddr"] = {
                "PostalCode": partner.zip or "",
                "City": partner.city or "",
            }
        return body

    def _qbo_export(self, partners, log):
        """Create or update QuickBooks customers for these contacts.

        "Duplicate Name Exists" (6240) is resolved by matching: the existing
        customer is bound when it is the same person (same email, or no
        email on either side); otherwise the contact is created under a
        distinguishing display name.
        """
        Binding = self.env["crm.smb.connector.binding"].sudo()
        bindings = {
            b.partner_id: b
            for b in Binding.search(
                [("backend_id", "=", self.id), ("partner_id", "in", partners.ids)]
            )
        }
        created = updated = 0
        failed = []
        for partner in partners:
            binding = bindings.get(partner)
            try:
                if binding:
                    current = self._qbo_call(
                        "read_entity", "Customer", binding.external_id
                    )
                    body = self._qbo_customer_body(partner)
                    body.update(
                        Id=current["Id"], SyncToken=current["SyncToken"], sparse=True
                    )
                    self._qbo_call("save_customer", body)
                    updated += 1
                    continue
                customer = self._qbo_create_customer(partner)
            except RemoteValidationError as err:
                failed.append((str(partner.id), f"{err} {err.detail or ''}".strip()))
                continue
            Binding.create(
                {
                    "backend_id": self.id,
                    "partner_id": partner.id,
                    "external_id": customer["Id"],
                }
            )
            created += 1
        log._count(created=created, updated=updated, failed=failed)

    def _qbo_create_customer(self, partner):
        try:
            return self._qbo_call("save_customer", self._qbo_customer_body(partner))
        except RemoteValidationError as err:
            if err.code != qbo.DUPLICATE_NAME:
                raise
            existing_id = qbo.duplicate_id(err.detail)
        # A customer already bound to another contact is someone else.
        already_bound = existing_id and self.env[
            "crm.smb.connector.binding"
        ].search_count(
            [("backend_id", "=", self.id), ("external_id", "=", existing_id)]
        )
        existing = {}
        if existing_id and not already_bound:
            existing = self._qbo_call("read_entity", "Customer", existing_id)
        theirs = email_key((existing.get("PrimaryEmailAddr") or {}).get("Address"))
        ours = email_key(partner.email)
        if existing and (theirs == ours or not theirs or not ours):
            _logger.info(
                "Backend %s: contact %s matched existing QuickBooks customer %s",
                self.id,
                partner.id,
                existing_id,
            )
            return existing
        name = f"{partner.name} ({partner.email or partner.ref or partner.id})"
        return self._qbo_call(
            "save_customer", self._qbo_customer_body(partner, name[:500])
        )
