"""Business-day arithmetic for follow-up cadences.

A business day is Monday to Friday. Public holidays are not known here; the
cadence job works in whole days and the ROADMAP lists calendars as a gap.
"""

from datetime import date, timedelta

SATURDAY = 5


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_business_days(start: date, days: int) -> date:
    """Return the date ``days`` business days after ``start``.

    Zero days gives ``start`` itself when it is a business day, else the next
    business day, so a follow-up is never due on a weekend.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while not is_business_day(current):
        current += timedelta(days=1)
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current
