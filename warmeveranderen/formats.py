"""Dates and times as readers see them: one set of named formats, in every page, email and flash.

Through Babel in the person's language (nl-BE unless they chose English), times in Europe/Brussels
(stored datetimes are naive UTC; Flask-Babel converts them). Templates use the same formats through
the `|date` and `|datetime` filters (`warmeveranderen.templating`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import numbers
from flask_babel import format_date, format_datetime, format_decimal, get_locale

DAY = "d MMM y"  # 21 nov 2026
DAY_LONG = "d MMMM y"  # 21 november 2026
DAY_MONTH = "d MMMM"  # 21 november
MOMENT = "d MMM y HH:mm"  # 21 nov 2026 14:30
MOMENT_LONG = "d MMMM y HH:mm"  # 21 november 2026 14:30
MOMENT_SHORT = "d MMM HH:mm"  # 21 nov 14:30, where the year goes without saying (a deadline this week)


def _day(value: date | datetime | None, pattern: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a stored moment: its day in Brussels
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def format_day(value: date | datetime | None) -> str:
    """21 nov 2026."""
    return _day(value, DAY)


def format_day_long(value: date | datetime | None) -> str:
    """21 november 2026."""
    return _day(value, DAY_LONG)


def format_day_month(value: date | datetime | None) -> str:
    """21 november (a day in a window whose year is clear)."""
    return _day(value, DAY_MONTH)


def format_moment(value: datetime | None) -> str:
    """21 nov 2026 14:30, Brussels time."""
    return "" if value is None else format_datetime(value, MOMENT)


def format_moment_long(value: datetime | None) -> str:
    """21 november 2026 14:30, Brussels time."""
    return "" if value is None else format_datetime(value, MOMENT_LONG)


def format_moment_short(value: datetime | None) -> str:
    """21 nov 14:30, Brussels time."""
    return "" if value is None else format_datetime(value, MOMENT_SHORT)


@lru_cache(maxsize=8192)
def _decimal_in(value, pattern: str, locale: str) -> str:
    return numbers.format_decimal(value, format=pattern, locale=locale)


def decimal(value, pattern: str) -> str:
    """`value` in `pattern` in the reader's language, through Babel: kept per value, pattern and language
    (a report formats the same few percentages a thousand times; Babel parses the pattern each time)."""
    locale = get_locale()
    if locale is None:
        return format_decimal(value, format=pattern)
    return _decimal_in(value, pattern, str(locale))


def format_number(value: float | int | None, places: int = 1) -> str:
    """A number as readers write it, with at most ``places`` decimals: 10 → "10", 3.45 → "3,5" in nl-BE."""
    if value is None:
        return ""
    return decimal(value, "#,##0." + "#" * places if places else "#,##0")


def format_average(value: float | None) -> str:
    """An average score, always with one decimal: 5 → "5,0", 3.45 → "3,5" in nl-BE (one rounding, here)."""
    if value is None:
        return ""
    return decimal(value, "#,##0.0")
