"""Small pure helpers shared by the connectors."""

import hashlib
import json
from urllib.parse import parse_qs, urlsplit


def gid_to_id(value):
    """``gid://shopify/Customer/42`` or ``42`` -> ``"42"``; None stays None."""
    if value in (None, "", False):
        return None
    return str(value).rsplit("/", 1)[-1]


def payload_hash(values):
    """Stable hash of the fields we synced, to skip unchanged records."""
    text = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def utm_from_visit(landing, referrer):
    """UTM source/medium/campaign from a landing URL and a referrer URL.

    Explicit ``utm_*`` parameters on the landing page win; otherwise the
    referrer's host is the source with medium "referral".
    """
    utm = {"utm_source": None, "utm_medium": None, "utm_campaign": None}
    if landing:
        params = parse_qs(urlsplit(landing).query)
        for key in utm:
            if params.get(key):
                utm[key] = params[key][0][:100]
    if not utm["utm_source"] and referrer:
        host = urlsplit(referrer if "//" in referrer else "//" + referrer).hostname
        if host:
            utm["utm_source"] = host.removeprefix("www.")
            utm["utm_medium"] = utm["utm_medium"] or "referral"
    return utm


def split_name(name):
    first, _sep, last = (name or "").strip().partition(" ")
    return first, last
