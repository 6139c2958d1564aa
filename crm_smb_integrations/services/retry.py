"""When and how often a record rejected during a sync is tried again.

A rejected record is one of three kinds of failure:

- ``dependency``: something it needs has not arrived yet (an order whose
  customer is not imported yet). Retried with a growing wait, up to
  ``MAX_ATTEMPTS["dependency"]`` attempts in all.
- ``review``: its customer waits in *Customers to Review*. Not retried on a
  timer; resolving the review retries it.
- ``validation``: the data itself was refused (no name nor email, an address
  the service rejects). The same data fails the same way, so it is retried
  only a few times (the service's record may be fixed meanwhile) and then
  given up, which the sync run shows.
"""

DEPENDENCY = "dependency"
REVIEW = "review"
VALIDATION = "validation"

MAX_ATTEMPTS = {DEPENDENCY: 5, REVIEW: 5, VALIDATION: 3}
# Seconds to wait before the next automatic retry, after n attempts.
BACKOFF = (60, 300, 1800, 7200)


def backoff(attempts):
    """Wait before the next automatic retry of a line tried ``attempts`` times."""
    index = min(max(attempts, 1), len(BACKOFF)) - 1
    return BACKOFF[index]


def state_after(error_type, attempts, external_id):
    """State of a line that has just failed its ``attempts``-th attempt.

    ``gave_up`` when nothing identifies the record or the cap is reached,
    ``waiting`` when a person has to decide first, ``pending`` otherwise.
    """
    if not external_id:
        return "gave_up"
    if error_type == REVIEW:
        return "waiting"
    if attempts >= MAX_ATTEMPTS.get(error_type, MAX_ATTEMPTS[VALIDATION]):
        return "gave_up"
    return "pending"
