"""Benchmark of crm_smb_integrations: Shopify import and webhook throughput.

``run(env, scale)`` returns the figures ``shared/BENCH.md`` names:

- ``shopify_import_10k_s``: 10,000 customers and 20,000 orders imported from
  the fake Shopify GraphQL server (cursor pages of 250, cost throttling as
  on a Shopify Plus store: 20,000 points, 1,000 restored a second) through
  identity resolution (bindings, crm_smb_dedup candidates, review queue).
  10% of the customers are people already in the CRM (same email in
  another case, same name), the rest are new.
- ``duplicate_contacts_count``: contacts the import created whose email
  another contact already has (0 is the goal).
- ``replay_new_records_count``: contacts, bindings, orders and reviews a
  second identical import creates (0 is the goal).
- ``webhook_per_s``, ``webhook_p50_ms``, ``webhook_p99_ms``: signed
  customers/update deliveries posted by a loopback client (8 keep-alive
  connections) to one Odoo process started for the purpose (threaded, no
  cron, no job runner), verified, deduplicated and queued.
- ``odoo_health_per_s``: Odoo's own ``/web/health`` (no database work) under
  the same load on the same server, the most any endpoint reaches on this
  machine; ``webhook_to_health`` is the webhook rate divided by it.

The import runs in the caller's transaction (rolled back by the driver). The
webhook load needs a server that sees the connector, so that part commits a
temporary connector and removes it, its deliveries and its jobs afterwards.
"""

import base64
import hashlib
import hmac
import http.client
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

_logger = logging.getLogger("crm_smb.bench.integrations")

CUSTOMERS = 10_000
ORDERS = 20_000
KNOWN_SHARE = 10  # one customer in KNOWN_SHARE is already a contact
WEBHOOKS = 2_000
CONNECTIONS = 8
SECRET = "bench-shopify-app-secret"


def _fakes():
    from odoo.addons.crm_smb_integrations.fake_servers import FakeShopify

    return FakeShopify(bucket=20_000, restore_rate=1_000.0)


def _fill(fake, env):
    """Customers (some already known to the CRM) and two orders each.

    New customers are Faker people with free-mail addresses, as a shop's
    customers are; known ones reuse a contact's name and email (upper case).
    """
    from faker import Faker

    faker = Faker("en_US")
    faker.seed_instance(7)
    known = env["res.partner"].search_read(
        [("email", "!=", False), ("is_company", "=", False)],
        ["name", "email"],
        limit=CUSTOMERS // KNOWN_SHARE,
    )
    for cid in range(1, CUSTOMERS + 1):
        if cid <= len(known):
            first, _sep, last = known[cid - 1]["name"].partition(" ")
            email = known[cid - 1]["email"].upper()
        else:
            first, last = faker.first_name(), faker.last_name()
            email = f"{first}.{last}{cid}@{faker.free_email_domain()}".lower()
        fake.add_customer(
            cid,
            first_name=first,
            last_name=last,
            email=email,
            phone=faker.numerify("+1 ###-###-####") if cid % 3 else None,
            zip=faker.zipcode(),
            city=faker.city(),
            tags=["bench"],
        )
    for oid in range(1, ORDERS + 1):
        fake.add_order(
            oid,
            (oid - 1) % CUSTOMERS + 1,
            10.0 + oid % 90,
            landing_page="/?utm_source=bench&utm_medium=email",
        )


def _counts(env):
    return {
        model: env[model].search_count([])
        for model in (
            "res.partner",
            "crm.smb.connector.binding",
            "crm.smb.external.order",
            "crm.smb.identity.review",
        )
    }


def _duplicates(env, first_new_id):
    env["res.partner"].flush_model(["email_normalized"])
    # SQL: a self-join on the normalised email is one query instead of 10k.
    env.cr.execute(
        """
        SELECT count(DISTINCT p.id)
          FROM res_partner p
          JOIN res_partner q
            ON q.email_normalized = p.email_normalized AND q.id != p.id
         WHERE p.id >= %s AND p.email_normalized IS NOT NULL AND q.active
        """,
        (first_new_id,),
    )
    return env.cr.fetchone()[0]


def _import(env):
    fake = _fakes().start()
    try:
        _fill(fake, env)
        backend = env["crm.smb.connector.backend"].create(
            {
                "name": "Bench shop",
                "service": "shopify",
                "shop_url": fake.url,
                "access_token": fake.token,
                "state": "connected",
            }
        )
        env.cr.execute("SELECT COALESCE(max(id), 0) + 1 FROM res_partner")
        first_new_id = env.cr.fetchone()[0]
        started = time.monotonic()
        log = backend._shopify_import_all()
        env.flush_all()
        seconds = time.monotonic() - started
        _logger.info(
            "import: %s created, %s updated, %s skipped, %s failed in %.1f s",
            log.created_count,
            log.updated_count,
            log.skipped_count,
            log.failed_count,
            seconds,
        )
        duplicates = _duplicates(env, first_new_id)
        before = _counts(env)
        backend._shopify_import_all()
        env.flush_all()
        after = _counts(env)
        replay = sum(after[key] - before[key] for key in before)
    finally:
        fake.stop()
    return {
        "shopify_import_10k_s": round(seconds, 1),
        "shopify_import_customers_count": CUSTOMERS,
        "shopify_import_orders_count": ORDERS,
        "shopify_bucket_restore_per_s": 1000,
        "duplicate_contacts_count": duplicates,
        "replay_new_records_count": replay,
        "shopify_import_review_count": after["crm.smb.identity.review"],
    }


# Webhook load -------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the Odoo server for the webhook load stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/web/webclient/version_info")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the Odoo server for the webhook load did not start")


def _client(port, requests, latencies, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for method, path, body, headers in requests:
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            errors.append(response.status)


def _load(port, warm_up, requests):
    """Send one request to warm the server up (routing tables, registry
    caches), then the requests over CONNECTIONS keep-alive connections at
    once; return the requests a second, the sorted latencies and the errors."""
    _client(port, [warm_up], [], [])
    latencies, errors = [], []
    threads = [
        threading.Thread(
            target=_client, args=(port, requests[i::CONNECTIONS], latencies, errors)
        )
        for i in range(CONNECTIONS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    latencies.sort()
    return len(latencies) / seconds, latencies, errors


def _shopify_delivery(path, index):
    body = json.dumps(
        {
            "id": 900_000 + index,
            "first_name": "Hook",
            "last_name": f"Load{index}",
            "email": f"hook{index}@bench.example",
            "updated_at": "2026-03-01T10:00:00Z",
        }
    ).encode()
    signature = base64.b64encode(
        hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    ).decode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "customers/update",
        "X-Shopify-Webhook-Id": f"bench-{index}",
        "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Hmac-SHA256": signature,
    }
    return "POST", path, body, headers


def _webhooks(registry):
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        backend_id = (
            env["crm.smb.connector.backend"]
            .create(
                {
                    "name": "Bench webhooks",
                    "service": "shopify",
                    "webhook_secret": SECRET,
                }
            )
            .id
        )
        cr.commit()
    port = _free_port()
    odoo_bin = next(
        Path(path).parent / "odoo-bin"
        for path in odoo.__path__
        if (Path(path).parent / "odoo-bin").exists()
    )
    command = [
        sys.executable,
        str(odoo_bin),
        "-c",
        odoo.tools.config["config"],
        "-d",
        registry.db_name,
        "--http-port",
        str(port),
        "--workers=0",
        "--max-cron-threads=0",
        "--load=base,web",
        "--log-level=warn",
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ
    )
    try:
        _wait_for(port, server)
        path = f"/crm_smb/webhook/shopify/{backend_id}"
        per_s, latencies, errors = _load(
            port,
            _shopify_delivery(path, WEBHOOKS),
            [_shopify_delivery(path, i) for i in range(WEBHOOKS)],
        )
        # Odoo's own cheapest route on the same server and load: the ceiling
        # this machine puts on any endpoint of one threaded Odoo process.
        health = ("GET", "/web/health", None, {})
        health_per_s, _latencies, _errors = _load(port, health, [health] * WEBHOOKS)
    finally:
        server.terminate()
        server.wait(timeout=60)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            backend = env["crm.smb.connector.backend"].browse(backend_id)
            env["queue.job"].search(
                [
                    ("model_name", "=", "crm.smb.webhook.delivery"),
                    ("state", "=", "pending"),
                ]
            ).filtered(lambda job: job.records.backend_id == backend).unlink()
            backend.unlink()
            cr.commit()
    return {
        "webhook_per_s": round(per_s, 1),
        "webhook_p50_ms": round(statistics.median(latencies), 1),
        "webhook_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "webhook_errors_count": len(errors),
        "odoo_health_per_s": round(health_per_s, 1),
        "webhook_to_health": round(per_s / health_per_s, 2),
    }


def run(env, scale):
    figures = _import(env)
    registry = scale.get("registry") if isinstance(scale, dict) else None
    if registry is not None:
        figures.update(_webhooks(registry))
    return figures
