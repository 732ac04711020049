"""A body's series of meeting dates: from its first date, every so many weeks or months, planned ahead.

With `avoid_holidays` a date that falls in a Flemish school holiday or on a free day (see
`warmeveranderen/schoolcalendar.py`) moves to the next school day: the klankbordgroep and the local
steering groups have school people at the table, and the advisers' team works in school time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from warmeveranderen.schoolcalendar import SchoolCalendar
from warmeveranderen.timeutil import BRUSSELS

# Meetings are kept planned this far ahead (and at least this many upcoming ones).
HORIZON_DAYS = 365
MIN_UPCOMING = 3


def nominal_dates(first: date, unit: str, every: int, until: date, minimum: int = 0) -> list[date]:
    """first, first + every, ... up to `until` (and at least `minimum` dates), before any holiday shift."""
    found: list[date] = []
    n = 0
    while True:
        step = relativedelta(weeks=every * n) if unit == "weeks" else relativedelta(months=every * n)
        day = first + step
        if day > until and len(found) >= minimum:
            return found
        found.append(day)
        n += 1


def shift_off_holidays(day: date, calendar: SchoolCalendar | None = None) -> date:
    """The day itself if it is a school day, else the next school day."""
    calendar = calendar or SchoolCalendar()
    return day if calendar.is_school_day(day) else calendar.next_school_day(day)


def planned_dates(first: date, unit: str, every: int, until: date, *, avoid_holidays: bool,
                  minimum: int = 0) -> list[date]:
    """The series' meeting days from `first` to `until` (at least `minimum`), each shifted off holidays if asked."""
    days = nominal_dates(first, unit, every, until, minimum)
    if not avoid_holidays:
        return days
    calendar = SchoolCalendar()
    shifted: list[date] = []
    for day in days:
        moved = shift_off_holidays(day, calendar)
        if not shifted or moved > shifted[-1]:
            shifted.append(moved)
    return shifted


def parse_time(text: str) -> time:
    hours, minutes = (text or "14:00").split(":")
    return time(int(hours), int(minutes))


def meeting_start(day: date, at: str) -> datetime:
    """The naive-UTC start of a meeting held on `day` at local time `at` ("14:00")."""
    local = datetime.combine(day, parse_time(at), tzinfo=BRUSSELS)
    return local.astimezone(UTC).replace(tzinfo=None)


def horizon(today: date) -> date:
    return today + timedelta(days=HORIZON_DAYS)
