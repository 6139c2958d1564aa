"""Webhook signatures: base64 HMAC-SHA256 over the raw body.

Shopify sends it in ``X-Shopify-Hmac-SHA256`` (key: the app's client secret),
QuickBooks in ``intuit-signature`` (key: the webhook verifier token).
"""

import base64
import hashlib
import hmac


def sign(secret, body):
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(secret, body, signature):
    """True when ``signature`` is the base64 HMAC-SHA256 of ``body``."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip())
