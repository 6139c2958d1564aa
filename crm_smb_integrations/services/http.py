"""Shared HTTP plumbing: one ``requests`` session, error classification."""

import email.utils
import time

import requests

from .errors import AuthenticationError, RetryableError

TIMEOUT = 30


def parse_retry_after(value):
    """Seconds to wait from a Retry-After header (delta or HTTP date)."""
    if not value:
        return None
    try:
        return max(0, int(float(value)))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0, int(parsed.timestamp() - time.time())) if parsed else None


class HttpClient:
    """Base class for the API clients.

    ``_send`` raises :class:`RetryableError` on network errors, 429 and 5xx
    (with the Retry-After the server gave) and :class:`AuthenticationError` on
    401; other statuses are returned to the subclass to interpret.
    """

    service = "api"

    def __init__(self, session=None):
        self.session = session or requests.Session()

    def _send(self, method, url, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as err:
            raise RetryableError(
                f"{self.service}: network error ({type(err).__name__})"
            ) from err
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(
                f"{self.service}: HTTP {response.status_code}",
                parse_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code == 401:
            raise AuthenticationError(f"{self.service}: credentials refused (401)")
        return response
