"""Value checks behind the validation rules (email, phone, URL, pattern).

Each check takes a value and returns True when it is acceptable. Empty values
are the business of the "required" kind only, so every other check accepts them.
"""

import re

# A practical address shape: one @, a dot in the domain, no spaces. Full RFC 5322
# parsing accepts addresses no mail server delivers to; this is what users mean.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
# Digits with the usual separators, an optional leading +, 6 to 20 digits.
PHONE_ALLOWED_RE = re.compile(r"^\+?[\d\s().\-/]+$")
URL_RE = re.compile(r"^(https?://)?([\w-]+\.)+[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)


def is_empty(value) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


def is_email(value) -> bool:
    return is_empty(value) or bool(EMAIL_RE.match(str(value).strip()))


def is_phone(value) -> bool:
    if is_empty(value):
        return True
    text = str(value).strip()
    digits = sum(char.isdigit() for char in text)
    return bool(PHONE_ALLOWED_RE.match(text)) and 6 <= digits <= 20


def is_url(value) -> bool:
    return is_empty(value) or bool(URL_RE.match(str(value).strip()))


def matches(pattern: str, value) -> bool:
    """Whether the whole value matches ``pattern`` (a Python regular expression)."""
    return is_empty(value) or re.fullmatch(pattern, str(value)) is not None


def pattern_error(pattern: str):
    """Return why ``pattern`` is not a valid regular expression, or None."""
    try:
        re.compile(pattern)
    except re.error as error:
        return str(error)
    return None
