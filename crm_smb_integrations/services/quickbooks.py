"""QuickBooks Online client: OAuth2 tokens, queries, customers, webhooks."""

import hashlib
from urllib.parse import urlencode

from .errors import AuthenticationError, ConnectorError, RemoteValidationError
from .http import HttpClient

AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
API_URL = "https://quickbooks.api.intuit.com"
SCOPE = "com.intuit.quickbooks.accounting"
DUPLICATE_NAME = "6240"
OBJECT_NOT_FOUND = "610"


def parse_fault(body):
    """Errors of a fault body in either casing: list of (code, message, detail)."""
    root = (body or {}).get("Fault") or (body or {}).get("fault") or {}
    errors = root.get("Error") or root.get("error") or []
    return [
        (
            str(e.get("code") or e.get("Code") or ""),
            e.get("Message") or e.get("message") or "",
            e.get("Detail") or e.get("detail") or "",
        )
        for e in errors
    ]


def duplicate_id(detail):
    """Id of the existing customer from a 6240 detail ("... : Id=58")."""
    _head, sep, tail = (detail or "").rpartition("Id=")
    return tail.strip() if sep and tail.strip().isdigit() else None


def authorize_url(client_id, redirect_uri, state, base=AUTHORIZE_URL):
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": SCOPE,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{base}?{query}"


def parse_notifications(payload):
    """Entity changes from a webhook body, legacy or CloudEvents format.

    Legacy: ``{"eventNotifications": [{"realmId", "dataChangeEvent":
    {"entities": [{"name", "id", "operation", "lastUpdated"}]}}]}``.
    CloudEvents (2026): a list of ``{"specversion", "id", "type":
    "qbo.customer.created.v1", "intuitentityid", "intuitaccountid", ...}``.
    Returns dicts with realm, entity, id, operation and a stable event_id;
    raises ValueError on anything else.
    """
    events = []
    if isinstance(payload, dict) and "eventNotifications" in payload:
        for notification in payload["eventNotifications"]:
            realm = str(notification["realmId"])
            for entity in notification["dataChangeEvent"]["entities"]:
                key = "|".join(
                    [
                        realm,
                        entity["name"],
                        str(entity["id"]),
                        entity["operation"],
                        str(entity.get("lastUpdated", "")),
                    ]
                )
                events.append(
                    {
                        "realm": realm,
                        "entity": entity["name"],
                        "id": str(entity["id"]),
                        "operation": entity["operation"],
                        "event_id": hashlib.sha256(key.encode()).hexdigest()[:40],
                    }
                )
        return events
    if isinstance(payload, dict) and payload.get("specversion"):
        payload = [payload]
    if isinstance(payload, list) and payload:
        for event in payload:
            parts = event["type"].split(".")
            if len(parts) < 3 or parts[0] != "qbo":
                raise ValueError("unknown CloudEvents type")
            events.append(
                {
                    "realm": str(event["intuitaccountid"]),
                    "entity": parts[1].capitalize(),
                    "id": str(event["intuitentityid"]),
                    "operation": parts[2].capitalize(),
                    "event_id": str(event["id"]),
                }
            )
        return events
    raise ValueError("not a QuickBooks notification")


def order_values(row):
    """Normalise an Invoice or a Payment."""
    balance = row.get("Balance")
    return {
        "external_id": str(row["Id"]),
        "name": row.get("DocNumber") or row["Id"],
        "date": row.get("TxnDate"),
        "amount": float(row.get("TotalAmt") or 0.0),
        "currency": (row.get("CurrencyRef") or {}).get("value"),
        "financial_status": None
        if balance is None
        else ("paid" if float(balance) == 0 else "open"),
        "customer_external_id": str((row.get("CustomerRef") or {}).get("value") or "")
        or None,
    }


def customer_values(customer):
    email = (customer.get("PrimaryEmailAddr") or {}).get("Address")
    phone = (customer.get("PrimaryPhone") or {}).get("FreeFormNumber")
    address = customer.get("BillAddr") or {}
    return {
        "external_id": str(customer["Id"]),
        "name": customer.get("DisplayName")
        or " ".join(
            p for p in (customer.get("GivenName"), customer.get("FamilyName")) if p
        ),
        "email": email or None,
        "phone": phone or None,
        "zip": address.get("PostalCode") or None,
        "city": address.get("City") or None,
        "country_code": None,
        "tags": None,
        "marketing_state": None,
    }


class QuickBooksClient(HttpClient):
    service = "QuickBooks"

    def __init__(
        self,
        client_id,
        client_secret,
        realm=None,
        access_token=None,
        api_url=API_URL,
        token_url=TOKEN_URL,
        session=None,
        limiter=None,
    ):
        super().__init__(session, limiter)
        self.client_id, self.client_secret = client_id, client_secret
        self.realm, self.access_token = realm, access_token
        self.api_url, self.token_url = api_url.rstrip("/"), token_url

    # OAuth2 ---------------------------------------------------------------
    def _token(self, form):
        response = self._send(
            "POST",
            self.token_url,
            data=form,
            auth=(self.client_id or "", self.client_secret or ""),
            headers={"Accept": "application/json"},
        )
        if response.status_code != 200:
            try:
                error = response.json().get("error")
            except ValueError:
                error = None
            raise AuthenticationError(
                f"QuickBooks: token refused ({error or response.status_code})"
            )
        return response.json()

    def exchange_code(self, code, redirect_uri):
        return self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
            }
        )

    def refresh(self, refresh_token):
        return self._token(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    # Accounting API -------------------------------------------------------
    def _call(self, method, path, **kwargs):
        self._throttle()
        response = self._send(
            method,
            f"{self.api_url}/v3/company/{self.realm}{path}",
            headers={
                "Authorization": f"Bearer {self.access_token}",
                "Accept": "application/json",
            },
            **kwargs,
        )
        body = response.json() if response.content else {}
        if response.status_code >= 400:
            errors = parse_fault(body)
            code, message, detail = errors[0] if errors else ("", "", "")
            if response.status_code == 400:
                raise RemoteValidationError(
                    f"QuickBooks: {message or 'refused'}", code, detail
                )
            raise ConnectorError(f"QuickBooks: HTTP {response.status_code} {message}")
        return body

    def query(self, entity, start=1, size=500, where=""):
        sql = f"select * from {entity}{where} STARTPOSITION {start} MAXRESULTS {size}"
        body = self._call("GET", "/query", params={"query": sql})
        return body.get("QueryResponse", {}).get(entity, [])

    def read_entity(self, entity, entity_id):
        body = self._call("GET", f"/{entity.lower()}/{entity_id}")
        return body[entity.capitalize()]

    def save_customer(self, body):
        return self._call("POST", "/customer", json=body)["Customer"]
