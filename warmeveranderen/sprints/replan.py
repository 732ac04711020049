"""Replanning sprints that have not begun when the school calendar or the cadence changes (issue 17).

A changed calendar (an own day added or removed, a sprint moved by hand, a new length) recomputes only
future sprints: planned ones that start after today. Past and running sprints keep their dates; each
sprint that moves gets a "replan" line in the cadence history with the reason. Functions flush, the
request (or the sweep's upkeep) commits once.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.upkeep import upkeep
from warmeveranderen.programme.models import School
from warmeveranderen.schoolcalendar import SchoolCalendar
from warmeveranderen.sprints.models import Sprint, SprintChange
from warmeveranderen.sprints.queries import calendar_of, hand_moved_starts, legacy_calendars, sprint_weeks
from warmeveranderen.sprints.schooltime import calendar_for, next_begin, plan
from warmeveranderen.timeutil import today


def follow(cal: SchoolCalendar, weeks: int, previous: Sprint | None, sprints: list[Sprint], start: date,
            anchors: dict[int, date] | None = None) -> list[tuple[Sprint, date]]:
    """Replan `sprints` (in order) after `previous` (or from `start`); returns (sprint, old start) of those that moved.

    `anchors` holds the starts the coordinator chose by hand (sprint id -> date): such a sprint keeps its
    start as long as it still comes after the sprint before it; its end and the later sprints follow.
    """
    moved: dict[int, tuple[Sprint, date]] = {}
    for s in sprints:
        begin = next_begin(cal, previous) if previous is not None else start
        anchor = (anchors or {}).get(s.id)
        if anchor is not None and anchor >= begin:
            span = (anchor, max(anchor, plan(cal, anchor, weeks)[0][1]))
            if previous is not None and previous in sprints:  # the sprint before runs up to it (no gap)
                end = max(previous.start_date, cal.previous_school_day(anchor))
                if end != previous.end_date:
                    moved.setdefault(previous.id, (previous, previous.start_date))
                    previous.end_date = end
        else:
            span = plan(cal, begin, weeks)[0]
        if span != (s.start_date, s.end_date):
            moved.setdefault(s.id, (s, s.start_date))
            s.start_date, s.end_date = span
        previous = s
    return list(moved.values())


def replan_future(school: School, reason: str, user: User | None, day: date | None = None) -> list[Sprint]:
    """Future sprints (planned, starting after `day`, default today) follow the school calendar again.

    Past and running sprints keep their dates; every sprint that moves gets a "replan" line in the
    cadence history with the reason. Returns the sprints that moved.
    """
    calendar = calendar_of(school)
    if calendar is None:
        return []
    day = day or today()
    sprints = list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)
    ))
    future = [s for s in sprints if s.state == "planned" and s.start_date > day]
    if not future:
        return []
    before = [s for s in sprints if s.number < future[0].number]
    moved = follow(calendar_for(school), sprint_weeks(calendar), before[-1] if before else None, future,
                    calendar.start_date, hand_moved_starts(school))
    if future[0].number == 1:
        calendar.start_date = future[0].start_date
    for s, old_start in moved:
        db.session.add(SprintChange(school_id=school.id, sprint_id=s.id, kind="replan", old_start=old_start,
                                    new_start=s.start_date, reason=reason,
                                    changed_by_id=user.id if user else None))
    db.session.flush()
    return [s for s, _ in moved]


@upkeep
def replan_legacy_cadences(day: date) -> None:
    """The sweep's upkeep: cadences from before the school calendar get future sprints in school weeks.

    Their past and running sprints stay as they were (migration 0016); one query when none are left.
    """
    for calendar in legacy_calendars():
        replan_future(calendar.school, _("De sprints tellen voortaan in schoolweken: vakanties tellen niet mee."),
                      None, day)
        calendar.rule = "school_weeks"
    db.session.flush()
