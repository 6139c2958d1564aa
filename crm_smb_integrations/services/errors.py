"""Errors raised by the API clients, sorted by what the caller should do."""


class ConnectorError(Exception):
    """Base class; ``str()`` never contains credentials."""


class RetryableError(ConnectorError):
    """Rate limited, throttled, 5xx or network trouble: try again later.

    ``retry_after`` is the wait in seconds the API asked for, or None.
    """

    def __init__(self, message, retry_after=None, own_limit=False):
        super().__init__(message)
        self.retry_after = retry_after
        # Our own request budget said wait: not a failure of the call.
        self.own_limit = own_limit


class AuthenticationError(ConnectorError):
    """The credentials were refused (401, invalid_grant, invalid_client)."""


class RemoteValidationError(ConnectorError):
    """The API refused a record's content; retrying the same data cannot help.

    ``code`` is the API's error code (for QuickBooks, e.g. "6240").
    """

    def __init__(self, message, code=None, detail=None):
        super().__init__(message)
        self.code = code
        self.detail = detail
