"""Fake Mailchimp Marketing API 3.0: members, tags, webhooks, campaign reports.

Implements ``/3.0/ping``, list members with ``count``/``offset`` pagination,
the ``PUT`` upsert addressed by subscriber hash (MD5 of the lowercased email)
with ``status_if_new``, member tags, webhook registration, sent campaigns
(``GET /3.0/campaigns`` filtered by ``list_id``, ``status`` and
``since_send_time``) and their per-member activity (``GET
/3.0/reports/{campaign_id}/email-activity``), both paginated with
``count``/``offset``. Like the real
API it refuses to turn an unsubscribed or cleaned member back to subscribed
("Member In Compliance State"), answers 401 with an error document on a bad
key and 429 with ``Retry-After`` past 10 simultaneous connections.
"""

import base64
import hashlib
import re
import threading
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlencode

from .base import FakeServer

_MEMBER = re.compile(r"^/3\.0/lists/(\w+)/members/([0-9a-f]{32})(/tags)?$")
_MEMBERS = re.compile(r"^/3\.0/lists/(\w+)/members$")
_WEBHOOKS = re.compile(r"^/3\.0/lists/(\w+)/webhooks$")
_ACTIVITY = re.compile(r"^/3\.0/reports/(\w+)/email-activity$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ERRORS = "https://mailchimp.com/developer/marketing/docs/errors/"


def subscriber_hash(email):
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def _error(status, title, detail):
    return (
        status,
        {},
        {"type": _ERRORS, "title": title, "status": status, "detail": detail},
    )


class FakeMailchimp(FakeServer):
    def __init__(self, api_key="0123456789abcdef-us6", list_id="a1b2c3d4e5"):
        super().__init__()
        self.api_key = api_key
        self.list_id = list_id
        self.members = {}
        self.webhooks = []
        self.campaigns = {}
        self.activity = {}
        self.max_connections = 10
        self._in_flight = 0
        self._flight_lock = threading.Lock()

    def handle(self, request):
        with self._flight_lock:
            self._in_flight += 1
            busy = self._in_flight > self.max_connections
        try:
            if busy:
                return (
                    429,
                    {"Retry-After": "1"},
                    {
                        "type": _ERRORS,
                        "title": "Too Many Requests",
                        "status": 429,
                        "detail": "You have exceeded the limit of 10 simultaneous "
                        "connections.",
                    },
                )
            return self._route(request)
        finally:
            with self._flight_lock:
                self._in_flight -= 1

    def _authorized(self, request):
        header = request["headers"].get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            _user, _sep, key = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return key == self.api_key

    def _route(self, request):
        if not self._authorized(request):
            return _error(
                401,
                "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the "
                "wrong datacenter.",
            )
        path, method = request["path"], request["method"]
        if path == "/3.0/ping":
            return 200, {}, {"health_status": "Everything's Chimpy!"}
        if path == "/3.0/campaigns" and method == "GET":
            return self._list_campaigns(request["query"])
        match = _ACTIVITY.match(path)
        if match and method == "GET":
            return self._email_activity(match.group(1), request["query"])
        match = _MEMBERS.match(path)
        if match and method == "GET":
            return self._list_members(match.group(1), request["query"])
        match = _MEMBER.match(path)
        if match:
            list_id, member_hash, tags = match.groups()
            if list_id != self.list_id:
                return _error(404, "Resource Not Found", "The list does not exist.")
            if tags and method == "POST":
                return self._tags(member_hash, self.json_body(request))
            if method == "PUT":
                return self._upsert(member_hash, self.json_body(request))
            if method == "GET":
                member = self.members.get(member_hash)
                if not member:
                    return _error(404, "Resource Not Found", "Member not found.")
                return 200, {}, member
        match = _WEBHOOKS.match(path)
        if match and method == "POST":
            body = self.json_body(request) or {}
            hook = {"id": f"wh{len(self.webhooks) + 1}", "list_id": match.group(1)}
            hook.update(url=body.get("url"), events=body.get("events", {}))
            with self.lock:
                self.webhooks.append(hook)
            return 200, {}, hook
        if match and method == "GET":
            return (
                200,
                {},
                {"webhooks": self.webhooks, "total_items": len(self.webhooks)},
            )
        return _error(
            404, "Resource Not Found", "The requested resource was not found."
        )

    def _list_members(self, list_id, query):
        count = min(int(query.get("count", 10)), 1000)
        offset = int(query.get("offset", 0))
        members = list(self.members.values())
        return (
            200,
            {},
            {
                "members": members[offset : offset + count],
                "list_id": list_id,
                "total_items": len(members),
            },
        )

    @staticmethod
    def _page(query, default=10):
        count = min(int(query.get("count", default)), 1000)
        return count, int(query.get("offset", 0))

    def _list_campaigns(self, query):
        count, offset = self._page(query)
        with self.lock:
            campaigns = [
                c
                for c in self.campaigns.values()
                if (
                    not query.get("list_id")
                    or c["recipients"]["list_id"] == query["list_id"]
                )
                and (not query.get("status") or c["status"] == query["status"])
                and (
                    not query.get("since_send_time")
                    or (c["send_time"] or "") >= query["since_send_time"]
                )
            ]
        return (
            200,
            {},
            {
                "campaigns": campaigns[offset : offset + count],
                "total_items": len(campaigns),
            },
        )

    def _email_activity(self, campaign_id, query):
        count, offset = self._page(query)
        with self.lock:
            campaign = self.campaigns.get(campaign_id)
            if not campaign:
                return _error(404, "Resource Not Found", "The campaign does not exist.")
            emails = [
                {
                    "campaign_id": campaign_id,
                    "list_id": campaign["recipients"]["list_id"],
                    "list_is_active": True,
                    "email_id": subscriber_hash(email),
                    "email_address": email,
                    "activity": list(actions),
                }
                for email, actions in self.activity.get(campaign_id, {}).items()
            ]
        return (
            200,
            {},
            {
                "emails": emails[offset : offset + count],
                "campaign_id": campaign_id,
                "total_items": len(emails),
            },
        )

    def _upsert(self, member_hash, body):
        if not body or not body.get("email_address"):
            return _error(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated.",
            )
        email = body["email_address"]
        if not _EMAIL.match(email) or subscriber_hash(email) != member_hash:
            return _error(
                400,
                "Invalid Resource",
                f"{email} looks fake or invalid, please enter a real email address.",
            )
        with self.lock:
            member = self.members.get(member_hash)
            status = body.get("status")
            if member is None:
                status = status or body.get("status_if_new")
                if status not in (
                    "subscribed",
                    "unsubscribed",
                    "pending",
                    "transactional",
                ):
                    return _error(400, "Invalid Resource", "Status is required.")
                member = {
                    "id": member_hash,
                    "email_address": email,
                    "list_id": self.list_id,
                    "status": status,
                    "merge_fields": {},
                    "tags": [],
                }
                self.members[member_hash] = member
            elif status:
                if member["status"] in ("unsubscribed", "cleaned") and status in (
                    "subscribed",
                    "pending",
                ):
                    return _error(
                        400,
                        "Member In Compliance State",
                        f"{email} is already a list member in compliance state due "
                        "to unsubscribe, bounce, or compliance review.",
                    )
                member["status"] = status
            member["merge_fields"].update(body.get("merge_fields") or {})
            return 200, {}, dict(member)

    def _tags(self, member_hash, body):
        with self.lock:
            member = self.members.get(member_hash)
            if not member:
                return _error(404, "Resource Not Found", "Member not found.")
            names = {t["name"] for t in member["tags"]}
            for tag in (body or {}).get("tags", []):
                if tag.get("status") == "inactive":
                    names.discard(tag["name"])
                else:
                    names.add(tag["name"])
            member["tags"] = [
                {"id": i + 1, "name": n} for i, n in enumerate(sorted(names))
            ]
        return 204, {}, b""

    # Helpers for tests ----------------------------------------------------
    def add_campaign(self, campaign_id, title, send_time=None):
        """A regular campaign sent to the audience (now, unless told)."""
        send_time = send_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        with self.lock:
            self.campaigns[campaign_id] = {
                "id": campaign_id,
                "type": "regular",
                "status": "sent",
                "send_time": send_time,
                "emails_sent": 0,
                "recipients": {"list_id": self.list_id},
                "settings": {"title": title, "subject_line": title},
            }
            self.activity.setdefault(campaign_id, {})
        return self.campaigns[campaign_id]

    def add_activity(self, campaign_id, email, action, **values):
        """One open, click or bounce of a recipient, as the report lists it."""
        item = {
            "action": action,
            "timestamp": values.get("timestamp", "2026-03-01T10:00:00+00:00"),
            "ip": values.get("ip", "198.51.100.7"),
        }
        if action == "click":
            item["url"] = values.get("url", "https://shop.example.com/")
        if action == "bounce":
            item["type"] = values.get("type", "hard")
        with self.lock:
            self.activity[campaign_id].setdefault(email, []).append(item)
        return item

    def set_status(self, email, status):
        """Change a member as if it happened in Mailchimp (unsubscribe, bounce)."""
        with self.lock:
            self.members[subscriber_hash(email)]["status"] = status

    def fire_webhook(self, event_type, email, url=None, **data):
        """POST a form-encoded webhook like Mailchimp does; returns the status."""
        fields = {
            "type": event_type,
            "fired_at": "2026-03-01 10:00:00",
            "data[email]": email,
            "data[list_id]": self.list_id,
            "data[id]": subscriber_hash(email)[:10],
        }
        fields.update({f"data[{key}]": value for key, value in data.items()})
        targets = [url] if url else [hook["url"] for hook in self.webhooks]
        statuses = []
        for target in targets:
            req = urllib.request.Request(
                target,
                data=urlencode(fields).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                method="POST",
            )
            with urllib.request.urlopen(req, timeout=10) as resp:
                statuses.append(resp.status)
        return statuses
