"""A school's calendar in the app: the Flemish school calendar plus its own days and the programme's.

The rules live in `warmeveranderen.schoolcalendar` (pure); this module reads the own days from the
database and the programme's settings: what happens to a short sprint before the summer
(SPRINT_SHORT_BEFORE_SUMMER, "merge" or "shorten") and on which day a forum is proposed
(FORUM_DAY, "last_school_day" or "thursday_before").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.schoolcalendar import Holiday, SchoolCalendar, SchoolYear, plan_sprints
from warmeveranderen.sprints.models import OwnDay, Sprint


def own_days(school: School) -> list[OwnDay]:
    """The school's own days and the programme-wide ones, in date order."""
    return list(db.session.scalars(
        db.select(OwnDay).where((OwnDay.school_id == school.id) | OwnDay.school_id.is_(None))
        .order_by(OwnDay.day, OwnDay.id)
    ))


def calendar_for(school: School) -> SchoolCalendar:
    """The school's calendar: the region's computed holidays and free days plus the own days."""
    return SchoolCalendar(own_days=[(d.day, d.name) for d in own_days(school)])


def short_before_summer() -> str:
    return current_app.config.get("SPRINT_SHORT_BEFORE_SUMMER", "merge")


def plan(calendar: SchoolCalendar, begin: date, weeks: int, count: int = 1) -> list[tuple[date, date]]:
    """`count` sprints of `weeks` school weeks from the first school day on or after `begin`."""
    return plan_sprints(calendar, begin, weeks, count, short_before_summer())


def next_begin(calendar: SchoolCalendar, sprint: Sprint) -> date:
    """Where the sprint after `sprint` begins: the first school day after it ends."""
    return calendar.next_school_day(sprint.end_date)


def forum_day(calendar: SchoolCalendar, sprint: Sprint) -> date:
    """The proposed forum day: the sprint's last school day, or (setting) the Thursday before it.

    Never a holiday or free day: when the Thursday of the last week is not a school day, the last
    school day on or before it is taken, and the sprint's last school day when there is none in the sprint.
    """
    last = sprint.end_date if calendar.is_school_day(sprint.end_date) else calendar.previous_school_day(sprint.end_date)
    if current_app.config.get("FORUM_DAY", "last_school_day") == "thursday_before" and last.weekday() > 3:
        thursday = last - timedelta(days=last.weekday() - 3)
        candidate = thursday if calendar.is_school_day(thursday) else calendar.previous_school_day(thursday)
        if candidate >= sprint.start_date:
            return candidate
    return last


def awkward(calendar: SchoolCalendar, sprint: Sprint) -> list[str]:
    """What is awkward about a sprint's dates (codes): "start" or "end" not on a school day."""
    found = []
    if not calendar.is_school_day(sprint.start_date):
        found.append("start")
    if not calendar.is_school_day(sprint.end_date):
        found.append("end")
    return found


@dataclass(frozen=True)
class SprintDays:
    """A sprint seen in school time: its school weeks, its forum day and what is awkward about its dates."""

    sprint: Sprint
    school_weeks: int
    forum_day: date
    awkward: list[str]


def sprint_days(calendar: SchoolCalendar, sprints: list[Sprint]) -> dict[int, SprintDays]:
    return {
        s.id: SprintDays(s, len(calendar.school_week_mondays(s.start_date, s.end_date)), forum_day(calendar, s),
                         awkward(calendar, s))
        for s in sprints
    }


def school_year_events(calendar: SchoolCalendar, day: date) -> tuple[SchoolYear, list[Holiday]]:
    """The school year of `day` (the coming one in July and August) and its holidays, free and own days."""
    sy = calendar.school_year(day)
    if day > sy.last_day:
        sy = calendar.year(sy.start_year + 1)
    return sy, calendar.events(date(sy.start_year, 9, 1), date(sy.start_year + 1, 8, 31))


def awkward_sprints(day: date) -> list[tuple[School, list[SprintDays]]]:
    """Per school, the sprints not closed yet whose start or end is not a school day (moved by hand)."""
    rows = db.session.scalars(
        db.select(Sprint).where(Sprint.state != "closed", Sprint.end_date >= day)
        .options(selectinload(Sprint.school)).order_by(Sprint.school_id, Sprint.number)
    ).all()
    by_school: dict[int, list[Sprint]] = {}
    for s in rows:
        by_school.setdefault(s.school_id, []).append(s)
    own: dict[int | None, list[tuple[date, str]]] = {}
    for d in db.session.scalars(db.select(OwnDay).where(OwnDay.day >= day - timedelta(days=400))):
        own.setdefault(d.school_id, []).append((d.day, d.name))  # one query for every school's own days
    found = []
    for school_id, sprints in by_school.items():
        school = sprints[0].school
        calendar = SchoolCalendar(own_days=own.get(None, []) + own.get(school_id, []))
        days = [d for d in sprint_days(calendar, sprints).values() if d.awkward]
        if days:
            found.append((school, days))
    return sorted(found, key=lambda row: row[0].name)
