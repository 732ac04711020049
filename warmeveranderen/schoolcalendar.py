"""The school calendar: holidays, free days and school weeks, computed from a region's rules.

Pure Python (no Flask, no database), so sprint planning, reminders and calendar feeds can all
count in school time. The region is a replaceable part: `SchoolCalendar` takes any `RegionRules`;
`FlemishRules` is the only one today (Besluit van de Vlaamse Regering of 17 April 1991).
A school year is named by its starting year: 2025 is 2025–26 (1 September 2025 – 31 August 2026).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Literal, Protocol

from dateutil.easter import easter

HOLIDAY, FREE_DAY, OWN_DAY = "holiday", "free_day", "own_day"
Kind = Literal["holiday", "free_day", "own_day"]

# Stable codes -> Dutch labels; a school's own day uses its own name as code and label.
LABELS: dict[str, str] = {
    "herfstvakantie": "Herfstvakantie",
    "kerstvakantie": "Kerstvakantie",
    "krokusvakantie": "Krokusvakantie",
    "paasvakantie": "Paasvakantie",
    "zomervakantie": "Zomervakantie",
    "wapenstilstand": "Wapenstilstand",
    "paasmaandag": "Paasmaandag",
    "dag van de arbeid": "Dag van de Arbeid",
    "hemelvaart": "O.H. Hemelvaart",
    "brugdag na hemelvaart": "Brugdag na O.H. Hemelvaart",
    "pinkstermaandag": "Pinkstermaandag",
}

DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)
_SEARCH_LIMIT = 400  # days; a calendar without a school day in a whole year is a data error, not a loop


@dataclass(frozen=True)
class Holiday:
    """A holiday period or a single free day, with inclusive dates."""

    name_code: str
    first: date
    last: date
    kind: Kind = HOLIDAY

    @property
    def label(self) -> str:
        return LABELS.get(self.name_code, self.name_code)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.first <= d <= self.last

    def days(self) -> Iterator[date]:
        d = self.first
        while d <= self.last:
            yield d
            d += DAY


@dataclass(frozen=True)
class SchoolYear:
    """One school year: first and last school day, holidays (summer included) and free days."""

    start_year: int
    first_day: date
    last_day: date
    holidays: tuple[Holiday, ...]
    free_days: tuple[Holiday, ...]

    @cached_property
    def days_off(self) -> frozenset[date]:
        """Every date of a holiday or free day, so a school-day test is one set lookup."""
        return frozenset(d for h in self.holidays + self.free_days for d in h.days())

    def holiday_on(self, d: date) -> Holiday | None:
        return next((h for h in self.holidays if d in h), None)

    def free_day_on(self, d: date) -> Holiday | None:
        return next((h for h in self.free_days if d in h), None)


class RegionRules(Protocol):
    """What a region supplies: its school year, computed for any starting year."""

    def school_year(self, start_year: int) -> SchoolYear: ...


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _week_of(d: date, length_weeks: int, name_code: str) -> Holiday:
    monday = _monday(d)
    return Holiday(name_code, monday, monday + timedelta(weeks=length_weeks, days=-1))


def _free(name_code: str, d: date) -> Holiday:
    return Holiday(name_code, d, d, FREE_DAY)


@lru_cache(maxsize=64)
def _flemish_year(start_year: int) -> SchoolYear:
    """The Flemish rules; cached because every school-day test of a year needs them."""
    y, y1 = start_year, start_year + 1
    first = date(y, 9, 1)
    if first.weekday() >= 5:  # Saturday/Sunday: the next Monday
        first += timedelta(days=7 - first.weekday())
    last = date(y1, 6, 30)
    if last.weekday() >= 5:  # weekend: the Friday before
        last -= timedelta(days=last.weekday() - 4)

    all_saints = date(y, 11, 1)
    autumn_from = all_saints + DAY if all_saints.weekday() == 6 else all_saints
    christmas = date(y, 12, 25)
    christmas_from = christmas + WEEK if christmas.weekday() >= 5 else christmas  # Sat/Sun: the Monday after
    e = easter(y1)
    if e.month == 3:
        easter_from = e + DAY  # Easter in March: the Monday after Easter
    elif e > date(y1, 4, 15):
        easter_from = e - timedelta(days=13)  # the second Monday before Easter
    else:
        april_1 = date(y1, 4, 1)
        easter_from = april_1 + timedelta(days=(7 - april_1.weekday()) % 7)  # the first Monday of April
    holidays = (
        _week_of(autumn_from, 1, "herfstvakantie"),
        _week_of(christmas_from, 2, "kerstvakantie"),
        _week_of(e - timedelta(days=48), 1, "krokusvakantie"),  # the 7th Monday before Easter
        _week_of(easter_from, 2, "paasvakantie"),
        Holiday("zomervakantie", date(y1, 7, 1), date(y1, 8, 31)),
    )
    free_days = (
        _free("wapenstilstand", date(y, 11, 11)),
        _free("paasmaandag", e + DAY),  # often inside the Easter holidays; listed anyway, as the law does
        _free("dag van de arbeid", date(y1, 5, 1)),
        _free("hemelvaart", e + timedelta(days=39)),
        _free("brugdag na hemelvaart", e + timedelta(days=40)),
        _free("pinkstermaandag", e + timedelta(days=50)),
    )
    return SchoolYear(start_year, first, last, holidays, tuple(sorted(free_days, key=lambda h: h.first)))


@dataclass(frozen=True)
class FlemishRules:
    """The Flemish school calendar (Flemish Community), from the rules rather than a pasted table."""

    def school_year(self, start_year: int) -> SchoolYear:
        return _flemish_year(start_year)


def start_year_of(d: date) -> int:
    """The school year a date belongs to; July and August belong to the year that just ended."""
    return d.year if d.month >= 9 else d.year - 1


class SchoolCalendar:
    """A school's calendar: the region's computed calendar plus the school's own days off."""

    def __init__(self, rules: RegionRules | None = None, own_days: Iterable[tuple[date, str]] = ()) -> None:
        self.rules: RegionRules = rules or FlemishRules()
        self.own_days: dict[date, str] = {}
        for d, name in own_days:
            self.own_days[d] = f"{self.own_days[d]} / {name}" if d in self.own_days else name
        self._years: dict[int, SchoolYear] = {}

    # --- the year -------------------------------------------------------------------------------
    def school_year(self, d: date) -> SchoolYear:
        """The school year containing d, with this school's own days among its free days."""
        return self.year(start_year_of(d))

    def year(self, start_year: int) -> SchoolYear:
        if start_year not in self._years:
            base = self.rules.school_year(start_year)
            lo, hi = date(start_year, 9, 1), date(start_year + 1, 8, 31)
            own = tuple(Holiday(name, d, d, OWN_DAY) for d, name in sorted(self.own_days.items()) if lo <= d <= hi)
            free = tuple(sorted(base.free_days + own, key=lambda h: (h.first, h.kind)))
            self._years[start_year] = SchoolYear(start_year, base.first_day, base.last_day, base.holidays, free)
        return self._years[start_year]

    # --- days -----------------------------------------------------------------------------------
    def is_school_day(self, d: date) -> bool:
        """A weekday between the first and last school day, not in a holiday, not a free or own day."""
        if d.weekday() >= 5:
            return False
        sy = self.school_year(d)
        return sy.first_day <= d <= sy.last_day and d not in sy.days_off

    def holiday_on(self, d: date) -> Holiday | None:
        """The holiday period (herfst-, kerst-, krokus-, paas-, zomervakantie) that d falls in, if any."""
        return self.school_year(d).holiday_on(d)

    def free_day_on(self, d: date) -> Holiday | None:
        """The region's free day or the school's own day on d, if any."""
        return self.school_year(d).free_day_on(d)

    def school_days(self, start: date, end: date) -> list[date]:
        """The school days from start to end, both included."""
        days, d = [], start
        while d <= end:
            if self.is_school_day(d):
                days.append(d)
            d += DAY
        return days

    def _scan(self, d: date, step: timedelta) -> date:
        for _ in range(_SEARCH_LIMIT):
            d += step
            if self.is_school_day(d):
                return d
        raise ValueError(f"no school day within {_SEARCH_LIMIT} days of {d}")

    def next_school_day(self, d: date) -> date:
        """The first school day strictly after d."""
        return self._scan(d, DAY)

    def previous_school_day(self, d: date) -> date:
        """The last school day strictly before d."""
        return self._scan(d, -DAY)

    def school_day_on_or_after(self, d: date) -> date:
        return d if self.is_school_day(d) else self.next_school_day(d)

    def subtract_school_days(self, d: date, n: int) -> date:
        """The n-th school day before d ("3 school days before the forum"); d itself for n = 0."""
        if n < 0:
            raise ValueError("n must be >= 0")
        for _ in range(n):
            d = self.previous_school_day(d)
        return d

    # --- weeks ----------------------------------------------------------------------------------
    def _school_days_of_week(self, d: date) -> list[date]:
        monday = _monday(d)
        return [monday + timedelta(days=i) for i in range(5) if self.is_school_day(monday + timedelta(days=i))]

    def is_school_week(self, d: date) -> bool:
        """Whether d's Monday–Friday week has at least one school day (a week fully in a holiday does not count)."""
        return bool(self._school_days_of_week(d))

    def first_school_day_of_week(self, d: date) -> date | None:
        days = self._school_days_of_week(d)
        return days[0] if days else None

    def last_school_day_of_week(self, d: date) -> date | None:
        """The last school day of d's week — never a free day or a holiday, so a forum can be held then."""
        days = self._school_days_of_week(d)
        return days[-1] if days else None

    def school_week_mondays(self, start: date, end: date) -> list[date]:
        """The Mondays of the school weeks from start's week to end's week, both included."""
        mondays, monday = [], _monday(start)
        while monday <= end:
            if self.is_school_week(monday):
                mondays.append(monday)
            monday += WEEK
        return mondays

    def add_school_weeks(self, start: date, n: int) -> date:
        """The same weekday as start in the first school week after n school weeks, counting from start's week.

        So school_weeks_between(start, add_school_weeks(start, n)) == n; holiday weeks are skipped.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        monday, counted = _monday(start), 0
        for _ in range(_SEARCH_LIMIT):
            if self.is_school_week(monday):
                if counted == n:
                    return monday + timedelta(days=start.weekday())
                counted += 1
            monday += WEEK
        raise ValueError(f"no school week within {_SEARCH_LIMIT} weeks of {start}")

    def school_weeks_between(self, a: date, b: date) -> int:
        """The school weeks from a's week up to, not including, b's week; negative when b is before a."""
        if b < a:
            return -self.school_weeks_between(b, a)
        return len(self.school_week_mondays(a, _monday(b) - DAY))

    # --- for calendars --------------------------------------------------------------------------
    def events(self, start: date, end: date) -> list[Holiday]:
        """The holidays, free days and own days that overlap start..end, in date order (for calendars and feeds)."""
        found: list[Holiday] = []
        for y in range(start_year_of(start), start_year_of(end) + 1):
            sy = self.year(y)
            found += [h for h in sy.holidays + sy.free_days if h.first <= end and h.last >= start]
        return sorted(found, key=lambda h: (h.first, h.last, h.name_code))


ShortBeforeSummer = Literal["merge", "shorten"]


def plan_sprints(
    calendar: SchoolCalendar, start: date, weeks: int, count: int, short_before_summer: ShortBeforeSummer = "merge"
) -> list[tuple[date, date]]:
    """A cadence of `count` sprints of `weeks` school weeks each, as (first day, last day) pairs.

    - The first sprint starts on the first school day on or after `start`; each next sprint on the first
      school day after the previous one ends (a Monday unless that is a free or own day), so the sprints
      are contiguous in school time: no school day falls between two sprints.
    - A sprint ends on the last school day of its last school week; holiday weeks do not count. Starts and
      ends are therefore school days: never in a holiday, never on a free day, and the end is also the
      forum day (`last_school_day_of_week`).
    - A first week entered after its first school day (a start on a Wednesday) is not counted: the first
      sprint gets the rest of that week on top, so no sprint but the one before summer is short.
    - The summer ends the last sprint of a school year on its last school day; the next sprint starts on the
      first school day in September. A remainder before the summer of half the length or more is a short
      sprint of its own. A shorter one is merged into the sprint before it ("merge", the default: one
      forum fewer in the busy last weeks of June) or kept as a short sprint ("shorten").
    """
    if weeks < 1 or count < 0:
        raise ValueError("weeks must be >= 1 and count >= 0")
    if short_before_summer not in ("merge", "shorten"):
        raise ValueError(f"short_before_summer must be 'merge' or 'shorten', not {short_before_summer!r}")
    sprints: list[tuple[date, date]] = []
    begin = calendar.school_day_on_or_after(start)
    for _ in range(count):
        end = _sprint_end(calendar, begin, weeks, short_before_summer)
        sprints.append((begin, end))
        begin = calendar.next_school_day(end)
    return sprints


def _sprint_end(calendar: SchoolCalendar, begin: date, weeks: int, short_before_summer: ShortBeforeSummer) -> date:
    sy = calendar.school_year(begin)
    last = sy.last_day if calendar.is_school_day(sy.last_day) else calendar.previous_school_day(sy.last_day)
    mondays = calendar.school_week_mondays(begin, last)
    if mondays and mondays[0] == _monday(begin) and calendar.first_school_day_of_week(begin) != begin:
        mondays = mondays[1:]  # a first week entered late is a bonus, not one of the sprint's weeks
    left = len(mondays)
    if left <= weeks or (short_before_summer == "merge" and 2 * (left - weeks) < weeks):
        return last
    end = calendar.last_school_day_of_week(mondays[weeks - 1])
    assert end is not None  # a school week has a school day by definition
    return end
