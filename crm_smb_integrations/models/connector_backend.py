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

from ..services import mailchimp, retry, shopify
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
# Ids per search query when failed records are fetched again.
SHOPIFY_RETRY_IDS = 50
# Overlap of the reconciliation window, so that events that arrived while the
# previous run was going are looked at again.
RECONCILE_OVERLAP = timedelta(hours=1)
MAILCHIMP_PUSH_CHUNK = 200
MAILCHIMP_PAGE = 500
OPT_OUT_STATUSES = {"unsubscribed": "unsubscribed", "cleaned": "bounced"}
# Campaign reports are read for campaigns sent within this many days.
MAILCHIMP_ACTIVITY_DAYS = 90
MAILCHIMP_CAMPAIGN_PAGE = 100
MAILCHIMP_ACTIVITY_PAGE = 1000
QBO_PAGE = 500
# Refresh the access token this long before it expires, so that a job never
# starts with a token that dies half-way.
REFRESH_MARGIN = timedelta(minutes=5)
ORDER_KINDS = {"Invoice": "qbo_invoice", "Payment": "qbo_payment"}
# QuickBooks Online allows 500 requests a minute per company. The shared
# bucket holds a tenth of the minute's budget and refills the rest evenly,
# so that no 60 seconds ever see more than the limit.
QBO_REQUESTS_PER_MINUTE = 500
QBO_RATE_PARAM = "crm_smb_integrations.qbo_requests_per_minute"

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
    # Where credentials are sent: administrators only, like the credentials
    # (pointing them elsewhere would hand the secrets to another server).
    api_url = fields.Char(
        string="API URL",
        groups="base.group_system",
        help="Leave empty for the service's public endpoint; set it to reach a "
        "sandbox or a test server.",
    )
    token_url = fields.Char(string="Token URL", groups="base.group_system")
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

    def write(self, vals):
        if (
            "shop_url" in vals
            and not self.env.is_system()
            and any(backend._credentials().access_token for backend in self)
        ):
            raise UserError(
                _(
                    "Only an administrator can change the shop URL of a "
                    "connector that has an access token: the token is sent "
                    "to that address."
                )
            )
        return super().write(vals)

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
            # A wait for our own request budget does not use up the job's
            # retries; the API's refusals do.
            raise RetryableJobError(
                str(err), seconds=err.retry_after, ignore_retry=err.own_limit
            ) from err
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

    # Retry of failed records ----------------------------------------------
    def _queue_retry(self, log, manual=False, line_ids=None):
        """Queue the retry of a run's failures.

        Automatic retries (after a run, after a retry) wait according to the
        attempts made so far; a manual retry or one for named lines (their
        review was resolved) runs as soon as a worker is free.
        """
        self.ensure_one()
        eta = None
        if not manual and not line_ids:
            pending = log.line_ids.filtered(lambda line: line.state == "pending")
            if not pending:
                return None
            eta = retry.backoff(min(pending.mapped("attempts")))
            log.sudo().next_retry_date = fields.Datetime.now() + timedelta(seconds=eta)
        # Queued from a review or a button as well: the retry imports like
        # the sync jobs do, whatever the role of the user who triggered it.
        return (
            self.sudo()
            ._delay(
                _(
                    "%(service)s: retry failed records",
                    service=dict(SERVICES)[self.service],
                ),
                eta=eta,
            )
            ._job_retry_failed(log.id, line_ids=line_ids, manual=manual)
        )

    @api.model
    def _retry_outcomes(self, lines, failed):
        """Outcome of each retried contact export line: the reason the service
        refused its contact again (a validation failure), or None once it went
        through. ``failed`` is what the export returned."""
        refused = {extra["partner_id"]: reason for _ext, reason, extra in failed}
        return {
            line.id: (refused[line.partner_id.id], retry.VALIDATION)
            if line.partner_id.id in refused
            else None
            for line in lines
            if line.partner_id
        }

    def _job_retry_failed(self, log_id, line_ids=None, manual=False):
        """Job: fetch the failed records of a run again and import them.

        Each line ends resolved, or counts one more attempt (given up at the
        cap of its kind of failure). Lines still to retry queue the next
        retry with a longer wait.
        """
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id).exists()
        if not log:
            return
        states = ("pending", "waiting", "gave_up") if manual else ("pending",)
        lines = log.line_ids.filtered(
            lambda line: line.state in states and line.external_id and line.kind
        )
        if line_ids:
            lines = lines.filtered(lambda line: line.id in line_ids)
        if not lines:
            return
        with self._job_guard(self.env["crm.smb.sync.log"]):
            self._retry_lines(lines)
            log.write({"retry_count": log.retry_count + 1, "next_retry_date": False})
            self._queue_retry(log)

    def _retry_lines(self, lines):
        """Fetch and import the records of ``lines`` again; update the lines."""
        secrets = self._secret_values()
        retry_method = getattr(self, f"_{self.service}_retry")
        for kind in set(lines.mapped("kind")):
            group = lines.filtered(lambda line, kind=kind: line.kind == kind)
            outcome = retry_method(kind, group)
            resolved = group.browse(
                [line_id for line_id, result in outcome.items() if result is None]
            )
            for line in resolved:
                line.write({"state": "resolved", "attempts": line.attempts + 1})
            for line in group - resolved:
                reason, error_type = outcome.get(
                    line.id, ("no longer found in the service", retry.VALIDATION)
                )
                line._failed_again(reason, error_type, secrets)
            _logger.info(
                "Backend %s: retried %s %s records, %s resolved",
                self.id,
                len(group),
                kind,
                len(resolved),
            )

    def _retry_outcome(self, lines, results, failed, imported=()):
        """{line id: None (resolved) or (reason, error type)} from what the
        import returned: ``results`` of identity resolution, the ``failed``
        list of an order import and the ids of the ``imported`` orders, all
        by external id. Lines of records not found are left out."""
        outcome = {}
        failures = {ext: (reason, *extra) for ext, reason, *extra in failed}
        for line in lines:
            ext = line.external_id
            if ext in failures:
                reason, *extra = failures[ext]
                error_type = (extra[0] if extra else {}).get(
                    "error_type", retry.VALIDATION
                )
                outcome[line.id] = (reason, error_type)
            elif ext in results:
                state = results[ext][0]
                if state == "review":
                    outcome[line.id] = (
                        "customer waits in Customers to Review",
                        retry.REVIEW,
                    )
                elif state == "failed":
                    outcome[line.id] = (
                        "a customer needs a name or an email",
                        retry.VALIDATION,
                    )
                else:
                    outcome[line.id] = None
            elif ext in imported:
                outcome[line.id] = None
        return outcome

    def _retry_import(self, kind, lines, customers, orders, source):
        """Import refetched ``customers`` (normalised) and ``orders`` of
        ``kind``; returns the outcome per line."""
        Binding = self.env["crm.smb.connector.binding"]
        results = Binding._resolve_customers(self, customers, source)
        failed = []
        if orders:
            _c, _u, _s, failed = self.env["crm.smb.external.order"]._import_batch(
                self, kind, orders
            )
        imported = {order["external_id"] for order in orders}
        return self._retry_outcome(lines, results, failed, imported)

    def _unbound_customers(self, orders):
        """External ids of the customers of ``orders`` not bound yet."""
        wanted = {
            o["customer_external_id"] for o in orders if o.get("customer_external_id")
        }
        bound = self.env["crm.smb.connector.binding"]._partner_for(self, wanted)
        return sorted(wanted - set(bound))

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

    def action_shopify_register_webhooks(self):
        """Subscribe this database's webhook URL to the customer and order
        topics of the shop (an existing subscription is kept)."""
        self.ensure_one()
        self._require_service("shopify")
        url = self.webhook_url
        try:
            client = self._shopify_client()
            results = {
                topic: client.create_webhook(topic, url)
                for topic in shopify.WEBHOOK_TOPICS
            }
        except ConnectorError as err:
            raise UserError(
                _(
                    "Shopify did not accept the webhooks: %(error)s. Check the "
                    "connection first.",
                    error=str(err),
                )
            ) from err
        refused = {
            topic: "; ".join(errors)
            for topic, (_id, errors) in results.items()
            if errors
        }
        if refused:
            _logger.warning("Backend %s: webhooks refused: %s", self.id, refused)
            raise UserError(
                _(
                    "Shopify refused the webhooks %(topics)s: %(errors)s. The "
                    "webhook URL must be a public HTTPS address of this database.",
                    topics=", ".join(refused),
                    errors="; ".join(refused.values()),
                )
            )
        self.message_post(
            body=_(
                "Webhooks registered in Shopify for %(topics)s to %(url)s.",
                topics=", ".join(shopify.WEBHOOK_TOPICS),
                url=url,
            )
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": _("Shopify webhooks registered."),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _shopify_page_spec(self, kind):
        """(page size, GraphQL query or None for the default) of ``kind``;
        the Sales bridge reads orders with their line items."""
        return SHOPIFY_PAGE, None

    def _shopify_import_page(self, client, kind, cursor, log, query=None):
        """Import one page; returns the next cursor or None."""
        first, text = self._shopify_page_spec(kind)
        nodes, next_cursor = client.page(kind, cursor, first, query, text)
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
            log._count(
                failed=failed,
                kind="customer" if kind == "customers" else "shopify_order",
            )
        if kind == "customers":
            self.env["crm.smb.connector.binding"]._resolve_customers(
                self, values_list, "shopify", log.with_context(smb_line_kind="customer")
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
            needed = client.last_cost or SHOPIFY_PAGE + 2
            if status and status.get("currentlyAvailable", 0) < needed:
                missing = needed - status["currentlyAvailable"]
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

    def _shopify_fetch(self, client, kind, external_ids):
        """Nodes of ``kind`` with these ids, a page of ids at a time."""
        nodes, ids = [], sorted(external_ids)
        first, text = self._shopify_page_spec(kind)
        size = min(first, SHOPIFY_RETRY_IDS)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            query = " OR ".join(f"id:{ext}" for ext in chunk)
            # As many as asked: the query's cost points follow ``first``.
            page, _cursor = client.page(kind, None, len(chunk), query, text)
            nodes += page
        return nodes

    def _shopify_retry(self, kind, lines):
        """Fetch the failed customers or orders again by id, with the
        customers of the orders that are not here yet."""
        client = self._shopify_client()
        ids = set(lines.mapped("external_id"))
        customers, orders, unreadable = [], [], []
        if kind == "customer":
            nodes = self._shopify_fetch(client, "customers", ids)
        else:
            nodes = self._shopify_fetch(client, "orders", ids)
        mapper = shopify.customer_values if kind == "customer" else shopify.order_values
        for node in nodes:
            try:
                (customers if kind == "customer" else orders).append(mapper(node))
            except (KeyError, TypeError, ValueError) as err:
                unreadable.append(
                    (shopify.gid_to_id(node.get("id")), f"unreadable: {err}")
                )
        if orders:
            for node in self._shopify_fetch(
                client, "customers", self._unbound_customers(orders)
            ):
                try:
                    customers.append(shopify.customer_values(node))
                except (KeyError, TypeError, ValueError):
                    _logger.warning("Backend %s: unreadable customer", self.id)
        outcome = self._retry_import(kind, lines, customers, orders, "shopify")
        outcome.update(self._retry_outcome(lines, {}, unreadable))
        return outcome

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
        self._delay(_("Mailchimp: read campaign reports"))._job_mailchimp_campaigns(
            0, log.id
        )
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
                failed.append(
                    (
                        member_hash,
                        f"{err} {err.detail or ''}".strip(),
                        {"partner_id": partner.id},
                    )
                )
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
        if log:
            log._count(
                created=created,
                updated=updated,
                skipped=skipped,
                failed=failed,
                kind="contact_export",
            )
        return failed

    def _mailchimp_retry(self, kind, lines):
        """Push the contacts Mailchimp refused again (their data may have
        been fixed since)."""
        return self._retry_outcomes(lines, self._mailchimp_push(lines.partner_id, None))

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

    def _job_mailchimp_campaigns(self, offset, log_id):
        """Job: list the campaigns recently sent to the audience and queue
        the reading of each one's per-member activity."""
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            since = fields.Datetime.now() - timedelta(days=MAILCHIMP_ACTIVITY_DAYS)
            campaigns, total = self._mailchimp_client().sent_campaigns(
                self.mailchimp_list_id,
                since.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                MAILCHIMP_CAMPAIGN_PAGE,
                offset,
            )
            for campaign in campaigns:
                title = (campaign.get("settings") or {}).get("title") or campaign["id"]
                self._delay(
                    _("Mailchimp: activity of %(campaign)s", campaign=title)
                )._job_mailchimp_activity(campaign["id"], title, 0, log_id)
            if offset + MAILCHIMP_CAMPAIGN_PAGE < total:
                self._delay(
                    _("Mailchimp: read campaign reports")
                )._job_mailchimp_campaigns(offset + MAILCHIMP_CAMPAIGN_PAGE, log_id)

    def _job_mailchimp_activity(
        self, campaign_id, title, offset, log_id, page=MAILCHIMP_ACTIVITY_PAGE
    ):
        """Job: one page of a campaign's email activity to the contacts'
        chatter (one message per campaign and contact)."""
        self.ensure_one()
        log = self.env["crm.smb.sync.log"].sudo().browse(log_id)
        with self._job_guard(log):
            emails, total = self._mailchimp_client().email_activity(
                campaign_id, page, offset
            )
            created, updated, skipped = self._mailchimp_record_activity(
                campaign_id, title, emails
            )
            if log:
                log._count(created=created, updated=updated, skipped=skipped)
            if offset + page < total:
                self._delay(
                    _("Mailchimp: activity of %(campaign)s", campaign=title)
                )._job_mailchimp_activity(
                    campaign_id, title, offset + page, log_id, page
                )

    def _mailchimp_record_activity(self, campaign_id, title, emails):
        """Activity of known contacts to their chatter; members matched by
        binding (subscriber hash), then by email. Unknown members skipped."""
        hashes = {
            entry.get("email_id")
            or mailchimp.subscriber_hash(entry.get("email_address") or ""): entry
            for entry in emails
            if entry.get("email_id") or entry.get("email_address")
        }
        bound = self.env["crm.smb.connector.binding"]._partner_for(self, hashes)
        keys = {
            email_key(entry.get("email_address")): member_hash
            for member_hash, entry in hashes.items()
            if member_hash not in bound and email_key(entry.get("email_address"))
        }
        if keys:
            for partner in self.env["res.partner"].search(
                [("email_normalized", "in", list(keys))], order="id"
            ):
                bound.setdefault(keys[partner.email_normalized], partner)
        pairs = [
            (bound[member_hash], entry.get("activity") or [])
            for member_hash, entry in hashes.items()
            if member_hash in bound
        ]
        Activity = self.env["crm.smb.campaign.activity"].sudo()
        created, updated, skipped = Activity._record(self, campaign_id, title, pairs)
        return created, updated, skipped + len(hashes) - len(pairs)

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
            limiter=self._qbo_limiter(),
        )

    def _qbo_limiter(self):
        """Callable taking a token of the company's shared request budget."""
        per_minute = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(QBO_RATE_PARAM, QBO_REQUESTS_PER_MINUTE)
        )
        per_minute = max(per_minute, 1)
        capacity = max(1.0, per_minute / 10)
        rate = (per_minute - capacity) / 60 or per_minute / 60
        key = f"quickbooks:{self._credentials().qbo_realm_id or self.id}"
        Bucket = self.env["crm.smb.rate.bucket"].sudo()
        return lambda: Bucket._take(key, capacity, rate)

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
                self,
                [qbo.customer_values(row) for row in rows],
                "quickbooks",
                log and log.with_context(smb_line_kind="customer"),
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

    def _qbo_read_all(self, entity, ids):
        """Rows of ``entity`` with these ids; ids QuickBooks no longer has
        are left out."""
        rows = []
        for entity_id in ids:
            try:
                rows.append(self._qbo_call("read_entity", entity, entity_id))
            except RemoteValidationError as err:
                if err.code != qbo.OBJECT_NOT_FOUND:
                    raise
        return rows

    def _quickbooks_retry(self, kind, lines):
        """Read the failed records again (with the customers of invoices and
        payments not here yet), or send the refused contacts again."""
        if kind == "contact_export":
            return self._retry_outcomes(lines, self._qbo_export(lines.partner_id, None))
        ids = sorted(set(lines.mapped("external_id")))
        if kind == "customer":
            customers = [
                qbo.customer_values(row) for row in self._qbo_read_all("Customer", ids)
            ]
            return self._retry_import(kind, lines, customers, [], "quickbooks")
        entity = {v: k for k, v in ORDER_KINDS.items()}[kind]
        orders = [qbo.order_values(row) for row in self._qbo_read_all(entity, ids)]
        customers = [
            qbo.customer_values(row)
            for row in self._qbo_read_all("Customer", self._unbound_customers(orders))
        ]
        return self._retry_import(kind, lines, customers, orders, "quickbooks")

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
                failed.append(
                    (
                        str(partner.id),
                        f"{err} {err.detail or ''}".strip(),
                        {"partner_id": partner.id},
                    )
                )
                continue
            Binding.create(
                {
                    "backend_id": self.id,
                    "partner_id": partner.id,
                    "external_id": customer["Id"],
                }
            )
            created += 1
        if log:
            log._count(
                created=created, updated=updated, failed=failed, kind="contact_export"
            )
        return failed

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
