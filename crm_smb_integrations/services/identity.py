"""Deciding what an incoming customer is, from scored candidates.

A candidate is ``{"record", "score" (0..1), "reasons"}``, best first, as
crm_smb_dedup returns them. One clear strong match links; several strong
matches or only a medium one go to human review; nothing close creates.
"""

import re

AUTO_LINK = 0.9
REVIEW = 0.6


def decide(candidates, auto_link=AUTO_LINK, review=REVIEW):
    """Return ("link", candidate), ("review", candidates) or ("create", None)."""
    strong = [c for c in candidates if c["score"] >= auto_link]
    if len(strong) == 1:
        return "link", strong[0]
    if strong:
        return "review", strong
    close = [c for c in candidates if c["score"] >= review]
    if close:
        return "review", close
    return "create", None


def email_key(email):
    return (email or "").strip().lower() or None


def phone_key(phone):
    """Last nine digits: equal for +1 555 010 0199 and (555) 010-0199."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 7 else None


def batch_keys(values):
    """Keys under which two records of the same batch are the same person."""
    keys = []
    if email_key(values.get("email")):
        keys.append(("email", email_key(values["email"])))
    if phone_key(values.get("phone")):
        keys.append(("phone", phone_key(values["phone"])))
    return keys
