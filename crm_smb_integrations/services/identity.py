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


class PageCandidates:
    """Candidates of a page of customers, looked up in one batch.

    Resolving a customer can write a contact (a bound customer's update, a
    link filling empty fields) that a later customer of the same page would
    have found, or found differently, had it been looked up on its own after
    that write. ``changed`` takes the keys of such a contact before and after
    the write; the customers it may concern are looked up again, together,
    when the first of them is needed. ``lookup(positions)`` returns the
    candidate lists of those positions; ``affected(before, after)`` the
    positions a change may concern.
    """

    def __init__(self, lookup, affected, count):
        self._lookup = lookup
        self._affected = affected
        self._found = dict(enumerate(lookup(list(range(count))))) if count else {}
        self._stale = set()
        self._done = set()

    def get(self, position):
        if position in self._stale:
            again = sorted(self._stale)
            self._found.update(zip(again, self._lookup(again), strict=True))
            self._stale.clear()
        self._done.add(position)
        return self._found[position]

    def waiting(self):
        """Whether some customer has not been resolved yet."""
        return len(self._done) < len(self._found)

    def changed(self, before, after):
        if before != after:
            self._stale |= self._affected(before, after) - self._done
