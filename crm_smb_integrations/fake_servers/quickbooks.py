"""Fake QuickBooks Online: OAuth2 token endpoint and the accounting API.

Implements the bearer token endpoint (authorization code and refresh token
grants, rotating the refresh token on every refresh), ``/query`` with
``STARTPOSITION``/``MAXRESULTS``, reading one entity, customer create and
sparse update. Faults come back in both casings seen in the wild
(``Fault.Error`` and ``fault.error``); a duplicate ``DisplayName`` is fault
6240 "Duplicate Name Exists Error"; past ``rate_limit`` requests a minute per
company the API answers 429.
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from collections import deque
from urllib.parse import parse_qs

from .base import FakeServer

_QUERY = re.compile(
    r"select \* from (Customer|Invoice|Payment)"
    r"(?: where (\w+) (=|>=|>) '([^']*)')?"
    r"(?: STARTPOSITION (\d+))?(?: MAXRESULTS (\d+))?",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"^/v3/company/(\w+)/(customer|invoice|payment)(?:/(\w+))?$")
_QUERY_PATH = re.compile(r"^/v3/company/(\w+)/query$")


def fault(code, message, detail, fault_type="ValidationFault", casing="Fault"):
    if casing == "Fault":
        errors = {"Error": [{"Message": message, "Detail": detail, "code": code}]}
        return {"Fault": {**errors, "type": fault_type}, "time": "2026-03-01T10:00:00"}
    errors = {"error": [{"message": message, "detail": detail, "code": code}]}
    return {"fault": {**errors, "type": fault_type}, "time": "2026-03-01T10:00:00"}


class FakeQuickBooks(FakeServer):
    def __init__(
        self, client_id="qbo-client", client_secret="qbo-secret", realm="9130"
    ):
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.realm = realm
        self.codes = set()
        self.access_tokens = {}
        self.refresh_tokens = set()
        self.access_ttl = 3600
        self.rate_limit = 500
        self.fault_casing = "Fault"
        self.customers = {}
        self.invoices = {}
        self.payments = {}
        self._window = deque()
        self._next_id = 1

    # Helpers for tests ----------------------------------------------------
    def issue_code(self):
        code = secrets.token_urlsafe(12)
        self.codes.add(code)
        return code

    def expire_access_tokens(self):
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0

    def revoke_refresh_tokens(self):
        with self.lock:
            self.refresh_tokens.clear()

    def add_customer(self, **values):
        with self.lock:
            cid = str(self._next_id)
            self._next_id += 1
            customer = {
                "Id": cid,
                "SyncToken": "0",
                "Active": True,
                "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00-08:00"},
                **values,
            }
            customer.setdefault("DisplayName", f"Customer {cid}")
            self.customers[cid] = customer
        return customer

    def add_invoice(self, customer_id, amount, **values):
        with self.lock:
            iid = str(self._next_id)
            self._next_id += 1
            self.invoices[iid] = {
                "Id": iid,
                "DocNumber": values.get("doc_number", f"INV-{iid}"),
                "TxnDate": values.get("date", "2026-02-01"),
                "TotalAmt": amount,
                "Balance": values.get("balance", amount),
                "CustomerRef": {"value": customer_id},
                "CurrencyRef": {"value": values.get("currency", "USD")},
            }
        return self.invoices[iid]

    def add_payment(self, customer_id, amount, **values):
        with self.lock:
            pid = str(self._next_id)
            self._next_id += 1
            self.payments[pid] = {
                "Id": pid,
                "TxnDate": values.get("date", "2026-02-05"),
                "TotalAmt": amount,
                "CustomerRef": {"value": customer_id},
                "CurrencyRef": {"value": values.get("currency", "USD")},
            }
        return self.payments[pid]

    # Protocol -------------------------------------------------------------
    def handle(self, request):
        if request["path"] == "/oauth2/v1/tokens/bearer":
            return self._token(request)
        token = request["headers"].get("authorization", "")[len("Bearer ") :]
        with self.lock:
            expires = self.access_tokens.get(token)
        if not expires or expires < time.monotonic():
            return (
                401,
                {},
                fault(
                    "3200",
                    "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "Token expired or invalid",
                    "AUTHENTICATION",
                    casing="fault",
                ),
            )
        if not self._within_rate_limit():
            return (
                429,
                {},
                fault(
                    "3001",
                    "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                    "The request limit was reached.",
                    "SERVICE",
                    casing="fault",
                ),
            )
        match = _QUERY_PATH.match(request["path"])
        if match and match.group(1) == self.realm:
            return self._query(request["query"].get("query", ""))
        match = _ENTITY.match(request["path"])
        if match and match.group(1) == self.realm:
            _realm, entity, eid = match.groups()
            if request["method"] == "GET" and eid:
                store = getattr(self, entity + "s")
                if eid not in store:
                    return 400, {}, fault("610", "Object Not Found", "Object Not Found")
                return 200, {}, {entity.capitalize(): store[eid]}
            if request["method"] == "POST" and entity == "customer":
                return self._save_customer(self.json_body(request) or {})
        return 404, {}, fault("404", "Not Found", request["path"])

    def _within_rate_limit(self):
        now = time.monotonic()
        with self.lock:
            while self._window and self._window[0] < now - 60:
                self._window.popleft()
            if len(self._window) >= self.rate_limit:
                return False
            self._window.append(now)
        return True

    def _token(self, request):
        expected = base64.b64encode(
            f"{self.client_id}:{self.client_secret}".encode()
        ).decode()
        if request["headers"].get("authorization") != f"Basic {expected}":
            return 401, {}, {"error": "invalid_client"}
        form = {k: v[-1] for k, v in parse_qs(request["body"].decode()).items()}
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                if form.get("code") not in self.codes:
                    return 400, {}, {"error": "invalid_grant"}
                self.codes.discard(form["code"])
            elif form.get("grant_type") == "refresh_token":
                if form.get("refresh_token") not in self.refresh_tokens:
                    return 400, {}, {"error": "invalid_grant"}
                # Rotation: the refresh token just used stops working.
                self.refresh_tokens.discard(form["refresh_token"])
            else:
                return 400, {}, {"error": "unsupported_grant_type"}
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self.access_tokens[access] = time.monotonic() + self.access_ttl
            self.refresh_tokens.add(refresh)
        return (
            200,
            {},
            {
                "token_type": "bearer",
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": self.access_ttl,
                "x_refresh_token_expires_in": 8726400,
            },
        )

    def _query(self, query):
        match = _QUERY.fullmatch(query.strip())
        if not match:
            return (
                400,
                {},
                fault("4000", "Error parsing query", query, casing=self.fault_casing),
            )
        entity, field, op, value, start, size = match.groups()
        entity = entity.capitalize()
        rows = list(getattr(self, entity.lower() + "s").values())
        if field:

            def keep(row):
                current = str(row.get(field) or row.get("MetaData", {}).get(field, ""))
                return current == value if op == "=" else current >= value

            rows = [row for row in rows if keep(row)]
        start = int(start or 1)
        size = min(int(size or 100), 1000)
        page = rows[start - 1 : start - 1 + size]
        response = {"startPosition": start, "maxResults": len(page)}
        if page:
            response[entity] = page
        return 200, {}, {"QueryResponse": response, "time": "2026-03-01T10:00:00"}

    def _save_customer(self, body):
        name = (body.get("DisplayName") or "").strip()
        with self.lock:
            if body.get("Id"):
                customer = self.customers.get(body["Id"])
                if not customer:
                    return 400, {}, fault("610", "Object Not Found", "Object Not Found")
                customer.update({k: v for k, v in body.items() if k != "sparse"})
                customer["SyncToken"] = str(int(customer["SyncToken"]) + 1)
                return 200, {}, {"Customer": customer}
            if not name:
                return (
                    400,
                    {},
                    fault(
                        "2020",
                        "Required param missing, need to supply the required value "
                        "for the API",
                        "Required parameter DisplayName is missing",
                        casing=self.fault_casing,
                    ),
                )
            for customer in self.customers.values():
                if customer["DisplayName"].lower() == name.lower():
                    return (
                        400,
                        {},
                        fault(
                            "6240",
                            "Duplicate Name Exists Error",
                            "The name supplied already exists. : Id=" + customer["Id"],
                            casing=self.fault_casing,
                        ),
                    )
        customer = self.add_customer(**{k: v for k, v in body.items() if k != "Id"})
        return 200, {}, {"Customer": customer}


def sign_intuit(verifier_token, body):
    """intuit-signature value for a raw body (base64 HMAC-SHA256)."""
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
    digest = hmac.new(verifier_token.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
