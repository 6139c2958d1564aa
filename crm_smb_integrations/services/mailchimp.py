"""Mailchimp Marketing API 3.0 client and consent-safe member bodies."""

import hashlib

from .errors import ConnectorError, RemoteValidationError
from .http import HttpClient


def subscriber_hash(email):
    """Mailchimp addresses members by the MD5 of the lowercased email."""
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def member_body(email, first_name, last_name, consent, opted_out):
    """Upsert body that can never subscribe without consent.

    ``status_if_new`` only applies to members Mailchimp does not know, so an
    existing unsubscribe is never overridden. A contact who opted out here is
    sent as unsubscribed; one without recorded consent is sent as
    transactional (no marketing).
    """
    body = {
        "email_address": email,
        "merge_fields": {"FNAME": first_name or "", "LNAME": last_name or ""},
    }
    if opted_out:
        body["status"] = "unsubscribed"
        body["status_if_new"] = "unsubscribed"
    else:
        body["status_if_new"] = "subscribed" if consent else "transactional"
    return body


def activity_summary(actions):
    """Opens, clicks (with their URLs) and bounces of one member's activity."""
    summary = {"opens": 0, "clicks": 0, "bounces": 0, "urls": [], "bounce_type": None}
    for action in actions or []:
        kind = action.get("action")
        if kind == "open":
            summary["opens"] += 1
        elif kind == "click":
            summary["clicks"] += 1
            url = action.get("url")
            if url and url not in summary["urls"]:
                summary["urls"].append(url)
        elif kind == "bounce":
            summary["bounces"] += 1
            summary["bounce_type"] = action.get("type") or summary["bounce_type"]
    return summary


class MailchimpClient(HttpClient):
    service = "Mailchimp"

    def __init__(self, api_key, api_url=None, session=None):
        super().__init__(session)
        datacenter = api_key.rsplit("-", 1)[-1] if "-" in (api_key or "") else "us1"
        self.base = (api_url or f"https://{datacenter}.api.mailchimp.com").rstrip("/")
        self.auth = ("crm_smb", api_key or "")

    def _call(self, method, path, **kwargs):
        response = self._send(
            method, f"{self.base}/3.0{path}", auth=self.auth, **kwargs
        )
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            message = f"Mailchimp: {body.get('title') or response.status_code}"
            if response.status_code == 400:
                raise RemoteValidationError(
                    message, body.get("title"), body.get("detail")
                )
            raise ConnectorError(message)
        return response.json() if response.content else {}

    def ping(self):
        return self._call("GET", "/ping")

    def upsert_member(self, list_id, body):
        return self._call(
            "PUT",
            f"/lists/{list_id}/members/{subscriber_hash(body['email_address'])}",
            json=body,
        )

    def set_tags(self, list_id, email, tags):
        return self._call(
            "POST",
            f"/lists/{list_id}/members/{subscriber_hash(email)}/tags",
            json={"tags": [{"name": tag, "status": "active"} for tag in tags]},
        )

    def members_page(self, list_id, count=500, offset=0):
        body = self._call(
            "GET",
            f"/lists/{list_id}/members",
            params={"count": count, "offset": offset},
        )
        return body.get("members", []), body.get("total_items", 0)

    def sent_campaigns(self, list_id, since=None, count=100, offset=0):
        """Campaigns sent to the audience (since ``since``, ISO 8601)."""
        params = {"list_id": list_id, "status": "sent", "count": count}
        params["offset"] = offset
        if since:
            params["since_send_time"] = since
        body = self._call("GET", "/campaigns", params=params)
        return body.get("campaigns", []), body.get("total_items", 0)

    def email_activity(self, campaign_id, count=1000, offset=0):
        """One page of a campaign's per-member activity (opens, clicks,
        bounces): (emails, total)."""
        body = self._call(
            "GET",
            f"/reports/{campaign_id}/email-activity",
            params={"count": count, "offset": offset},
        )
        return body.get("emails", []), body.get("total_items", 0)

    def create_webhook(self, list_id, url):
        return self._call(
            "POST",
            f"/lists/{list_id}/webhooks",
            json={
                "url": url,
                "events": {
                    "unsubscribe": True,
                    "cleaned": True,
                    "profile": True,
                    "upemail": True,
                    "subscribe": True,
                    "campaign": True,
                },
                "sources": {"user": True, "admin": True, "api": False},
            },
        )
