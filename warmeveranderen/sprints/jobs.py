"""The sprints' reminders and calendar events (see notifications/rules.py and calendar.py).

Reminders: a sprint starts within `sprint_start_days` without a goal (flywheel) or without the
start alignment (flywheel, director); the flywheel has not met for `flywheel_idle_days` during a
sprint (the trekker); a sprint ended `sprint_closed_days` ago and is not closed with a review and a
retrospective (flywheel; after `sprint_closed_adviser_days` also the adviser). Each rule reads a
narrow window of sprint dates (indexed) and checks that the reminder still applies.
Calendar: the person's sprints (all-day, start to end) and the alignment checkpoints — the
recorded ones, else the planned start alignment on the sprint's first day.
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, SPRINT_WEEKS
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day_long
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import RECIPIENT_COLUMNS, Recipient, local_day, schools_seen_by
from warmeveranderen.notifications.rules import Due, in_locale, lookback, offset, reminder_rule
from warmeveranderen.notifications.services import holidays_in_feed
from warmeveranderen.notifications.unsent import (
    ACTIVE,
    distinct_rows,
    iso_day,
    key_text,
    school_advisers,
    school_people,
    unsent,
)
from warmeveranderen.programme.models import School
from warmeveranderen.schoolcalendar import OWN_DAY
from warmeveranderen.sprints.models import Checkpoint, FlywheelMeeting, Sprint
from warmeveranderen.sprints.permissions import can_view_sprints
from warmeveranderen.sprints.schooltime import calendar_for
from warmeveranderen.timeutil import today

CATEGORY = "sprint"
# The longest sprint; bounds the window of sprints running today. Sprints count school weeks, so the
# holidays inside one (and a short rest merged into it before the summer) come on top.
LONGEST_SPRINT_DAYS = SPRINT_WEEKS.max * 7 * 2


def _date(day) -> str:
    return format_day_long(day)


def _starting_soon(now, *conditions) -> tuple:
    """Conditions: planned sprints that start after today and at most `sprint_start_days` from now."""
    today = local_day(now)
    last = today + timedelta(days=offset("sprint_start_days"))
    return (Sprint.start_date > today, Sprint.start_date <= last, Sprint.state == "planned", *conditions)


def _dues(rule: str, where: tuple, people, occurrence, when, render, *columns):
    """Yield a Due per sprint matching `where` and person of `people` (a (school_id, user_id) relation)
    that the send log does not hold yet: the database leaves out what was sent (see
    notifications/unsent.py), so only new reminders are loaded and rendered. `occurrence` is the
    occurrence as SQL, `when(sprint, row)` the same text in Python (what the send log gets);
    `columns` are more values the rendering needs (render(sprint, school, row))."""
    rows = db.session.execute(
        db.select(Sprint.id.label("sprint_id"), *columns, *RECIPIENT_COLUMNS)
        .join(people, people.c.school_id == Sprint.school_id)
        .join(User, User.id == people.c.user_id)
        .where(*where, *ACTIVE, unsent(rule, key_text("sprint-", Sprint.id), User.id, occurrence))
        .order_by(Sprint.start_date, Sprint.id, User.name, User.id)
    ).all()
    if not rows:
        return
    ids = {row.sprint_id for row in rows}
    sprints = {s.id: s for s in db.session.scalars(db.select(Sprint).where(Sprint.id.in_(ids)))}
    schools = {s.id: s for s in db.session.scalars(
        db.select(School).where(School.id.in_({s.school_id for s in sprints.values()})))}
    for row in distinct_rows(rows, "sprint_id", "id"):
        sprint = sprints[row.sprint_id]
        school = schools[sprint.school_id]
        user = Recipient.from_row(row)
        with in_locale(user):
            title, body, url = render(sprint, school, row)
            yield Due(recipient=user, object_key=f"sprint-{sprint.id}", occurrence=when(sprint, row), title=title,
                      body=body, url=url, school=school)


@reminder_rule("sprint_start_no_goal", CATEGORY, description="Sprint begint binnenkort zonder sprintdoel")
def sprint_start_no_goal(now):
    """The flywheel, when a sprint starts within a week and still has no goal."""

    def render(sprint, school, _row):
        return (
            _("Sprint %(n)s begint op %(date)s en heeft nog geen sprintdoel", n=sprint.number,
              date=_date(sprint.start_date)),
            _("Een sprint kan pas starten met een sprintdoel. Spreek met het vliegwiel af wat jullie in "
              "sprint %(n)s willen bereiken en noteer het doel (%(school)s).", n=sprint.number, school=school.name),
            url_for("sprints.sprint", sprint_id=sprint.id),
        )

    yield from _dues("sprint_start_no_goal", _starting_soon(now, func.trim(Sprint.goal) == ""),
                     school_people(FLYWHEEL), key_text("start-", iso_day(Sprint.start_date)), _at_start, render)


@reminder_rule("sprint_start_alignment", CATEGORY, description="Startafstemming met het bestuursteam nog niet genoteerd")
def sprint_start_alignment(now):
    """The flywheel and the director, when a sprint starts within a week without the start alignment."""
    recorded = db.select(Checkpoint.id).where(Checkpoint.sprint_id == Sprint.id, Checkpoint.kind == "start").exists()

    def render(sprint, school, _row):
        return (
            _("Stem sprint %(n)s af met het bestuursteam (start %(date)s)", n=sprint.number,
              date=_date(sprint.start_date)),
            _("Bij de start van elke sprint stemt het vliegwiel het sprintdoel en de initiatieven af met het "
              "bestuursteam. Noteer de startafstemming op de sprintpagina (%(school)s).", school=school.name),
            url_for("sprints.sprint", sprint_id=sprint.id),
        )

    yield from _dues("sprint_start_alignment", _starting_soon(now, ~recorded), school_people(FLYWHEEL, DIRECTOR),
                     key_text("start-", iso_day(Sprint.start_date)), _at_start, render)


@reminder_rule("flywheel_idle", CATEGORY, description="Het vliegwiel kwam al twee weken niet samen")
def flywheel_idle(now):
    """The trekker, when the flywheel has not met for `flywheel_idle_days` during a running sprint.

    The quiet stretch counts from the last meeting or the sprint's first day, whichever is later; one
    reminder per stretch (a new meeting starts a new one). Stretches that became due more than
    `lookback_days` ago were reminded then (or are no longer news).
    """
    today = local_day(now)
    idle = offset("flywheel_idle_days")
    due_by = today - timedelta(days=idle)  # the stretch began on or before this day
    due_from = due_by - timedelta(days=lookback())
    last_meeting = (
        db.select(func.max(FlywheelMeeting.held_on))
        .where(FlywheelMeeting.school_id == Sprint.school_id, FlywheelMeeting.held_on >= Sprint.start_date,
               FlywheelMeeting.held_on <= today)
        .correlate(Sprint)
        .scalar_subquery()
    )
    since = func.coalesce(last_meeting, Sprint.start_date)
    where = (
        # Running today: started at most the longest sprint ago (indexed window), not yet ended.
        Sprint.start_date >= today - timedelta(days=LONGEST_SPRINT_DAYS), Sprint.start_date <= due_by,
        Sprint.end_date >= today, Sprint.state != "closed",
        since <= due_by, since >= due_from,
    )

    def render(sprint, school, row):
        if row.last_meeting is None:
            title = _("Het vliegwiel kwam in sprint %(n)s nog niet samen (gestart op %(date)s)",
                      n=sprint.number, date=_date(row.since))
        else:
            title = _("Het vliegwiel kwam sinds %(date)s niet meer samen", date=_date(row.since))
        return (
            title,
            _("Een vliegwiel dat regelmatig samenkomt, houdt de sprint in beweging. Plan een overleg en noteer "
              "het bij sprint %(n)s (%(school)s).", n=sprint.number, school=school.name),
            url_for("sprints.meeting", sprint_id=sprint.id),
        )

    yield from _dues("flywheel_idle", where, school_people(FLYWHEEL, lead_only=True),
                     key_text("idle-since-", iso_day(since)), lambda _s, row: f"idle-since-{row.since}", render,
                     since.label("since"), last_meeting.label("last_meeting"))


def _at_start(sprint, _row) -> str:
    return f"start-{sprint.start_date}"


def _at_end(sprint, _row) -> str:
    return f"end-{sprint.end_date}"


def _ended_unclosed(now, days: int) -> tuple:
    """Conditions: sprints that ended `days` ago (up to `lookback_days` earlier) and are not closed."""
    last = local_day(now) - timedelta(days=days)
    return (Sprint.end_date <= last, Sprint.end_date >= last - timedelta(days=lookback()), Sprint.state != "closed")


def _render_close(sprint, school, _row=None):
    return (
        _("Sluit sprint %(n)s af met een review en retrospectieve", n=sprint.number),
        _("Sprint %(n)s liep af op %(date)s. Noteer het resultaat van elk initiatief en wat jullie leren voor de "
          "volgende sprint (%(school)s).", n=sprint.number, date=_date(sprint.end_date), school=school.name),
        url_for("sprints.close", sprint_id=sprint.id),
    )


@reminder_rule("sprint_not_closed", CATEGORY, description="Sprint afgelopen zonder review en retrospectieve")
def sprint_not_closed(now):
    """The flywheel, `sprint_closed_days` after a sprint ended without being closed."""
    yield from _dues("sprint_not_closed", _ended_unclosed(now, offset("sprint_closed_days")), school_people(FLYWHEEL),
                     key_text("end-", iso_day(Sprint.end_date)), _at_end, _render_close)


@reminder_rule("sprint_not_closed_adviser", CATEGORY,
               description="Sprint nog niet afgesloten: de adviseur volgt op")
def sprint_not_closed_adviser(now):
    """The school's advisers, `sprint_closed_adviser_days` after a sprint ended without being closed."""
    yield from _dues("sprint_not_closed_adviser", _ended_unclosed(now, offset("sprint_closed_adviser_days")),
                     school_advisers(), key_text("end-", iso_day(Sprint.end_date)), _at_end, _render_close)


# --- calendar ---------------------------------------------------------------------------------------


def _visible_schools(user: User, school: School | None) -> list[School]:

    return schools_seen_by(user, school, can_view_sprints)


def _calendar_sprints(schools: list[School]) -> list[Sprint]:
    if not schools:
        return []

    return db.session.scalars(
        db.select(Sprint)
        .where(Sprint.school_id.in_([s.id for s in schools]), Sprint.end_date >= today() - timedelta(days=366))
        .order_by(Sprint.start_date, Sprint.id)
    ).all()


@calendar_source
def sprint_events(user: User, school: School | None = None):
    """Each sprint of the person's schools, all-day from its first to its last day."""
    schools = _visible_schools(user, school)
    names = {s.id: s for s in schools}
    sprints = _calendar_sprints(schools)
    for sprint in sprints:
        s = names[sprint.school_id]
        with in_locale(user):
            yield CalendarEvent(
                uid=f"sprint-{sprint.id}@warmeveranderen",
                summary=_("Sprint %(n)s (%(school)s)", n=sprint.number, school=s.name),
                start=sprint.start_date,
                end=sprint.end_date,
                description=sprint.goal,
                url=url_for("sprints.sprint", sprint_id=sprint.id),
                school=s,
            )


@calendar_source
def checkpoint_events(user: User, school: School | None = None):
    """The alignment checkpoints: the recorded ones on their date; else the start alignment planned
    on the sprint's first day (the pre-forum alignment comes with the forum's sessions)."""
    schools = _visible_schools(user, school)
    names = {s.id: s for s in schools}
    sprints = _calendar_sprints(schools)
    recorded = {
        (c.sprint_id, c.kind): c
        for c in db.session.scalars(db.select(Checkpoint).where(Checkpoint.sprint_id.in_([s.id for s in sprints])))
    } if sprints else {}
    for sprint in sprints:
        s = names[sprint.school_id]
        url = url_for("sprints.sprint", sprint_id=sprint.id)
        start = recorded.get((sprint.id, "start"))
        with in_locale(user):
            yield CalendarEvent(
                uid=f"alignment-start-{sprint.id}@warmeveranderen",
                summary=_("Startafstemming sprint %(n)s met het bestuursteam (%(school)s)", n=sprint.number,
                          school=s.name),
                start=start.held_on if start else sprint.start_date,
                description=start.note if start else "",
                url=url,
                school=s,
            )
            pre = recorded.get((sprint.id, "pre_forum"))
            if pre is not None:
                yield CalendarEvent(
                    uid=f"alignment-pre-forum-{sprint.id}@warmeveranderen",
                    summary=_("Afstemming vóór het forum, sprint %(n)s (%(school)s)", n=sprint.number,
                              school=s.name),
                    start=pre.held_on,
                    description=pre.note,
                    url=url,
                    school=s,
                )


@calendar_source
def holiday_events(user: User, school: School | None = None):
    """The school holidays, free days and own days as all-day events, from a month ago to a year ahead.

    One event per school and day off; the UID names the school, the first day and the name, so a
    calendar client updates it when a school renames its study day and drops it when it is removed.
    """
    if not holidays_in_feed(user):
        return
    schools = _visible_schools(user, school)
    first, last = today() - timedelta(days=31), today() + timedelta(days=366)
    with in_locale(user):
        for s in schools:
            for h in calendar_for(s).events(first, last):
                label = _(h.label) if h.kind != OWN_DAY else h.label
                yield CalendarEvent(
                    uid=f"holiday-{s.id}-{h.first.isoformat()}-{_slug(h.name_code)}@warmeveranderen",
                    summary=_("%(name)s (%(school)s)", name=label, school=s.name),
                    start=h.first, end=h.last, school=s,
                )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower())[:40]
