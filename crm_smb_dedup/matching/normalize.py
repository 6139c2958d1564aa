"""Normalisers: turn what people type into match keys.

Every function accepts anything (None, False, numbers, garbage strings) and
returns either a non-empty string key or ``None``; none of them raises.
"""

import re
import unicodedata

import phonenumbers

from .nicknames import canonical_given_name

# Addresses from these providers say nothing about the employer, so their
# domain must never make two companies look alike.
FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "free.fr",
        "gmail.com",
        "googlemail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "hotmail.co.uk",
        "hotmail.com",
        "hotmail.fr",
        "icloud.com",
        "laposte.net",
        "live.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "orange.fr",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "web.de",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.fr",
        "yandex.ru",
        "zoho.com",
        "example.com",
        "example.org",
        "example.net",
    }
)

# Legal forms dropped from company names; the order matters only for readers.
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "llp",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "pty",
        "the",
    }
)

_EMAIL_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+$",
)
_ANGLE_RE = re.compile(r"<([^<>]*)>")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_SPACES_RE = re.compile(r"\s+")


def _text(value):
    """Return ``value`` as a stripped ``str`` or ``""`` for anything unusable."""
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        value = str(value)
    # Lone surrogates cannot be encoded and would crash later steps.
    return value.encode("utf-8", "replace").decode("utf-8").strip()


def normalize_text(value):
    """Lower-case ASCII words: accents and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", _text(value).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _NON_ALNUM_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip() or None


def normalize_email(value):
    """Lower-case address, as Odoo's ``email_normalize`` keeps it.

    Like Odoo, a display name (``"Jane" <jane@x.com>``) is dropped and only a
    single address is accepted; the result is ``None`` when no valid address
    is found.
    """
    text = _text(value)
    match = _ANGLE_RE.search(text)
    if match:
        text = match.group(1)
    text = text.strip().strip(".").casefold()
    if "," in text or ";" in text or " " in text:
        return None
    if len(text) > 254 or not _EMAIL_RE.match(text):
        return None
    local, domain = text.rsplit("@", 1)
    if not local or ".." in text or domain.startswith("-"):
        return None
    return text


def normalize_email_domain(value, include_free=False):
    """The domain of an address, or ``None`` for free-mail providers."""
    email = normalize_email(value)
    if not email:
        return None
    domain = email.rsplit("@", 1)[1]
    if not include_free and domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def normalize_phone(value, country_code=None):
    """E.164 form (``+14155550100``) of a possible phone number, else ``None``.

    ``country_code`` (two letters) reads national numbers; without it only
    numbers written with their international prefix are understood.  Numbers
    that ``phonenumbers`` cannot parse fall back to their digits when they have
    at least 7, so that "555-0100 ext" still meets "5550100".
    """
    text = _text(value)[:64]
    if not text:
        return None
    region = (_text(country_code).upper() or None) if country_code else None
    if region and (len(region) != 2 or not region.isalpha()):
        region = None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = _NON_DIGIT_RE.sub("", text)
    return digits if 7 <= len(digits) <= 15 else None


def format_phone(e164):
    """Human form of an E.164 key (``+1 415-555-0100``) for reasons."""
    text = _text(e164)
    if not text.startswith("+"):
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def normalize_company_name(value):
    """Company name without case, accents, punctuation and legal suffixes.

    "ACME, Inc." and "Acmé Incorporated" both become ``"acme"``.  A name made
    only of legal words keeps them, so "The Company" is not emptied.
    """
    text = normalize_text(_text(value).replace("&", " and "))
    if not text:
        return None
    words = text.split(" ")
    kept = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(kept or words)


def normalize_person_name(value):
    """Person name as lower-case ASCII words, in the order they were typed."""
    return normalize_text(value)


def normalize_website(value):
    """Host of a website without scheme, ``www.``, port, path or case."""
    text = _text(value).casefold()
    if not text:
        return None
    text = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", text)
    text = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if text.startswith("www."):
        text = text[4:]
    if "." not in text or not re.fullmatch(r"[a-z0-9\-.]+", text):
        return None
    return text


def normalize_vat(value):
    """VAT number as upper-case letters and digits only."""
    text = re.sub(r"[^0-9A-Z]", "", _text(value).upper())
    return text if len(text) >= 4 else None


def normalize_zip(value):
    """Postal code as upper-case letters and digits only."""
    text = re.sub(r"[^0-9A-Z]", "", _text(value).upper())
    return text or None


_STREET_WORDS = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "suite": "ste",
    "rue": "r",
}


def normalize_street(value):
    """Street with common words abbreviated the same way ("Street" = "St")."""
    text = normalize_text(value)
    if not text:
        return None
    return " ".join(_STREET_WORDS.get(word, word) for word in text.split(" "))


def block_keys(key, limit=4):
    """Blocking keys of a normalised name: each word with the next one's initial.

    "kate olsen" gives ``"kate|o olsen|k"``: a typo in one word, swapped words,
    an initial ("k olsen") or a nickname ("katherine olsen", through
    :data:`NICKNAMES`) still share one block with the original, while common
    words alone ("smith") do not make giant blocks.
    """
    words = [word for word in (_text(key).split(" ")) if word][:limit]
    if not words:
        return None
    if len(words) == 1:
        return f"{canonical_given_name(words[0])}|"
    keys = []
    for index, word in enumerate(words):
        following = canonical_given_name(words[(index + 1) % len(words)])
        keys.append(f"{canonical_given_name(word)}|{following[:1]}")
    return " ".join(sorted(set(keys)))
