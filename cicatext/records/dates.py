"""Calendar arithmetic of the Modalities: months and years later, inclusive periods and how they overlap.

A period's end is its last day, so 2024-01-01 to 2025-12-31 is exactly two
years.
"""

from __future__ import annotations

import calendar
import datetime as dt

from cicatext.errors import UsageError


def iso_day(text: str) -> str:
    """A day written YYYY-MM-DD, as written; UsageError for anything else, 2024-02-30 included."""
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UsageError(f"'{text}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2023-06-14") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (or earlier), clamped to the month's last day, and to the
    calendar's first and last days (0001-01-01, 9999-12-31): a record may name any day a date can hold."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: dt.date, days: int) -> dt.date:
    """The day `days` days later (or earlier), clamped to the calendar's first and last days as `add_months`."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` years later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def span_text(start: dt.date | None, end: dt.date | None) -> str:
    """`2024-01-01..2025-12-31`, with `?` for an unknown end."""
    return f"{start.isoformat() if start else '?'}..{end.isoformat() if end else '?'}"


def overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """The days two inclusive periods share, or None."""
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None
