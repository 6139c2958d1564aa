"""Business-day arithmetic for follow-up cadences.

By default a business day is Monday to Friday. The cadence job passes a
predicate built from the team's or company's working calendar instead, so that
public holidays and the calendar's days off are skipped too.
"""

from collections.abc import Callable
from datetime import date, timedelta

SATURDAY = 5
# A calendar without a single working day in ten years is a configuration
# error; stop rather than loop for ever.
MAX_DAYS_OFF_IN_A_ROW = 3660


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_business_days(
    start: date,
    days: int,
    is_workday: Callable[[date], bool] = is_business_day,
) -> date:
    """Return the date ``days`` business days after ``start``.

    Zero days gives ``start`` itself when it is a business day, else the next
    business day, so a follow-up is never due on a day off. ``is_workday``
    says which days are business days (Monday to Friday by default).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    off_in_a_row = 0

    def step(day):
        nonlocal off_in_a_row
        off_in_a_row += 1
        if off_in_a_row > MAX_DAYS_OFF_IN_A_ROW:
            raise ValueError("the calendar has no working day")
        return day + timedelta(days=1)

    while not is_workday(current):
        current = step(current)
    remaining = days
    while remaining:
        off_in_a_row = 0
        current = step(current)
        while not is_workday(current):
            current = step(current)
        remaining -= 1
    return current
