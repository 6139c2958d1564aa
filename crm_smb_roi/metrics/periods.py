"""Calendar helpers for periods: month counts, previous periods, allocation."""

import calendar
from datetime import date, timedelta


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """Same day ``months`` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_in_period(date_from, date_to):
    """Length of a period in months, each month counted by its days.

    1 January to 31 March is 3.0; 1 to 15 April is 0.5. None when the period
    is empty (end before start).
    """
    if date_to < date_from:
        return None
    months = 0.0
    current = date_from
    while current <= date_to:
        end = min(month_end(current), date_to)
        days_in_month = calendar.monthrange(current.year, current.month)[1]
        months += ((end - current).days + 1) / days_in_month
        current = end + timedelta(days=1)
    return months


def is_whole_months(date_from, date_to):
    return date_from.day == 1 and date_to == month_end(date_to)


def previous_period(date_from, date_to):
    """The period of the same length just before ``[date_from, date_to]``.

    Whole calendar months map to the same number of months before (a quarter
    to the previous quarter); other periods to the same number of days before.
    """
    if is_whole_months(date_from, date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month
        start = add_months(date_from, -(months + 1))
        return start, date_from - timedelta(days=1)
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


def allocate(amount, start, end, date_from, date_to):
    """Part of a cost spread evenly by day over ``[start, end]`` that falls in
    ``[date_from, date_to]``."""
    end = end or start
    overlap = (min(end, date_to) - max(start, date_from)).days + 1
    if overlap <= 0:
        return 0.0
    return amount * overlap / ((end - start).days + 1)


def preset_period(preset, today):
    """Dates of a named period relative to ``today`` (see the dashboard filter)."""
    if preset == "this_month":
        return month_start(today), month_end(today)
    if preset == "last_month":
        start = add_months(month_start(today), -1)
        return start, month_end(start)
    if preset == "this_quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return start, month_end(add_months(start, 2))
    if preset == "last_quarter":
        start = add_months(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), -3)
        return start, month_end(add_months(start, 2))
    if preset == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if preset == "last_12_months":
        start = add_months(month_start(today), -11)
        return start, month_end(today)
    raise ValueError(f"Unknown period preset {preset!r}")
