"""School years and the measurement windows of the programme (pure functions of a date).

A school year runs from 1 September to 31 August and is written "2026-2027". Well-being and
involvement are measured in September–October (pre) and April–May (post); the indicators are
rated at the end of the school year (May–June). When a window opens, the people concerned get a
reminder (jobs.py); the windows are also in their calendars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Window:
    # "wellbeing_pre", "wellbeing_post" or "indicators"
    kind: str
    school_year: str
    start: date
    end: date  # inclusive

    @property
    def measures(self) -> str:
        """What is measured in it: "wellbeing" (and involvement) or "indicators"."""
        return "indicators" if self.kind == "indicators" else "wellbeing"

    @property
    def moment(self) -> str | None:
        """The well-being moment: "pre" (autumn) or "post" (spring); None for the indicators' window."""
        return self.kind.removeprefix("wellbeing_") if self.kind.startswith("wellbeing_") else None

    @property
    def occurrence(self) -> str:
        """The window in the reminders' send log, e.g. "wellbeing-2026-autumn" or "indicators-2027-spring"."""
        return f"{self.measures}-{self.start.year}-{'autumn' if self.start.month >= 9 else 'spring'}"


def school_year(day: date) -> str:
    """The school year a date falls in: 21 Nov 2026 -> "2026-2027", 15 May 2027 -> "2026-2027"."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def school_year_bounds(year: str) -> tuple[date, date]:
    """First and last day of a school year written "2026-2027"."""
    first = int(year[:4])
    return date(first, 9, 1), date(first + 1, 8, 31)


def is_school_year(text: str) -> bool:
    match = SCHOOL_YEAR_RE.match(text or "")
    return bool(match) and int(match.group(2)) == int(match.group(1)) + 1


def windows_of(year: str) -> list[Window]:
    """The three measurement windows of a school year."""
    first = int(year[:4])
    return [
        Window("wellbeing_pre", year, date(first, 9, 1), date(first, 10, 31)),
        Window("wellbeing_post", year, date(first + 1, 4, 1), date(first + 1, 5, 31)),
        Window("indicators", year, date(first + 1, 5, 1), date(first + 1, 6, 30)),
    ]


def last_closed_rating_window(day: date) -> Window:
    """The indicators' window that most recently closed before `day`."""
    current = next(w for w in windows_of(school_year(day)) if w.kind == "indicators")
    if current.end < day:
        return current
    first = int(current.school_year[:4]) - 1
    return next(w for w in windows_of(f"{first}-{first + 1}") if w.kind == "indicators")


def windows_opening_in(year: int) -> list[Window]:
    """The windows that open in a calendar year, by their first day."""
    found = [w for school_year_ in (f"{year - 1}-{year}", f"{year}-{year + 1}") for w in windows_of(school_year_)
             if w.start.year == year]
    return sorted(found, key=lambda w: (w.start, w.kind))


def measurement_windows(day: date) -> list[Window]:
    """The windows open on that day (none, one or two)."""
    return [w for w in windows_of(school_year(day)) if w.start <= day <= w.end]


def moment_for(day: date) -> str | None:
    """'pre' or 'post' when a well-being window is open on that day."""
    for window in measurement_windows(day):
        if window.kind.startswith("wellbeing_"):
            return window.kind.removeprefix("wellbeing_")
    return None
