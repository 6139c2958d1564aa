"""Data quality score of one record: complete, valid and fresh.

The score (0 to 100) weighs completeness of the key fields (50%), validity of
email, phone and website (30%) and freshness from the last change (20%).
``issues`` lists what to fix, most useful first, in plain words.
"""

import re

import phonenumbers

from .normalize import _text, normalize_email, normalize_website

# Key fields per kind of record, with the words used in issues.
KEY_FIELDS = {
    "person": (
        ("name", "name"),
        ("email", "email"),
        ("phone", "phone"),
        ("street", "street"),
        ("city", "city"),
        ("zip", "zip"),
        ("country_code", "country"),
    ),
    "company": (
        ("name", "name"),
        ("email", "email"),
        ("phone", "phone"),
        ("website", "website"),
        ("street", "street"),
        ("city", "city"),
        ("zip", "zip"),
        ("country_code", "country"),
    ),
}
STALE_DAYS = 365
FRESH_DAYS = 180
# A record below this completeness share counts as incomplete.
INCOMPLETE_SHARE = 0.6
_NAME_NOISE_RE = re.compile(r"\s{2,}")


def phone_is_valid(value, country_code=None):
    """Whether ``phonenumbers`` accepts the number as a valid one."""
    text = _text(value)[:64]
    if not text:
        return False
    try:
        number = phonenumbers.parse(text, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def freshness(age_days):
    """1 for records changed in the last 6 months, down to 0 after a year."""
    if age_days is None:
        return 0.0
    if age_days <= FRESH_DAYS:
        return 1.0
    if age_days >= STALE_DAYS:
        return 0.0
    return 1.0 - (age_days - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS)


def quality_score(values, kind="person", age_days=None):
    """``(score, issues, incomplete, stale)`` for one record's values.

    ``values`` holds ``name``, ``email``, ``phone``, ``website``, ``street``,
    ``city``, ``zip`` and ``country_code``; ``age_days`` is the time since the
    record last changed or had an activity.
    """
    fields = KEY_FIELDS["company" if kind == "company" else "person"]
    missing = [label for key, label in fields if not _text(values.get(key))]
    completeness = 1 - len(missing) / len(fields)
    checks, issues = [], []
    email = _text(values.get("email"))
    if email:
        valid = normalize_email(email) is not None
        checks.append(valid)
        if not valid:
            issues.append("invalid email")
    phone = _text(values.get("phone"))
    if phone:
        valid = phone_is_valid(phone, values.get("country_code"))
        checks.append(valid)
        if not valid:
            issues.append("invalid phone")
    website = _text(values.get("website"))
    if website:
        valid = normalize_website(website) is not None
        checks.append(valid)
        if not valid:
            issues.append("invalid website")
    validity = sum(checks) / len(checks) if checks else 0.0
    fresh = freshness(age_days)
    issues.extend(f"missing {label}" for label in missing)
    stale = age_days is not None and age_days >= STALE_DAYS
    if stale:
        issues.append("not updated for a year")
    score = round(100 * (0.5 * completeness + 0.3 * validity + 0.2 * fresh))
    return score, issues, completeness < INCOMPLETE_SHARE, stale


def clean_name(value):
    """Trimmed name with single spaces; all-lower or all-upper names get cased."""
    text = _NAME_NOISE_RE.sub(" ", _text(value))
    if text and (text.islower() or text.isupper()):
        text = " ".join(
            word[:1].upper() + word[1:].lower() if len(word) > 1 else word.upper()
            for word in text.split(" ")
        )
    return text or None


def clean_email(value):
    """Trimmed, lower-case email; ``None`` when it is not a valid address."""
    return normalize_email(value)


def clean_phone(value, country_code=None):
    """E.164 form of a valid phone number, else ``None``."""
    text = _text(value)[:64]
    if not phone_is_valid(text, country_code):
        return None
    number = phonenumbers.parse(text, (country_code or "").upper() or None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
