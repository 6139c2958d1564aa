"""Shared HTTP plumbing: one ``requests`` session, error classification."""

import email.utils
import math
import time

import requests

from .errors import AuthenticationError, RetryableError

TIMEOUT = 30
# A request waits this long at most for the rate limiter; beyond, the caller
# is told to try later (a job is deferred rather than holding a worker).
MAX_WAIT = 5.0


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

    ``limiter``, when given, is called before each API request (see
    ``_throttle``): it returns 0 when the request may go, else the seconds
    until it may.
    """

    service = "api"

    def __init__(self, session=None, limiter=None, max_wait=MAX_WAIT, sleep=None):
        self.session = session or requests.Session()
        self.limiter = limiter
        self.max_wait = max_wait
        self.sleep = sleep or time.sleep

    def _throttle(self):
        """Wait for the limiter's go, or raise RetryableError when the wait
        would pass ``max_wait`` (with the wait as ``retry_after``)."""
        if self.limiter is None:
            return
        waited = 0.0
        while True:
            wait = self.limiter()
            if not wait:
                return
            if waited + wait > self.max_wait:
                raise RetryableError(
                    f"{self.service}: request budget used up, "
                    f"{math.ceil(wait)} s until the next request",
                    math.ceil(wait),
                    own_limit=True,
                )
            self.sleep(wait)
            waited += wait

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
