"""Tracking's reminders and calendar events (see notifications/rules.py and calendar.py).

The measurement windows (windows.py): when a well-being window opens, the directors and flywheel
leads of every school that has not entered that measurement get one reminder; when the indicator
window opens, every adviser with a school or network does. A sweep that runs later (the scheduler
was down) still sends it during the first `lookback_days`. The windows are in the calendars of the
people of the schools (well-being) and of the advisers (indicators).

Coaching sessions: a session is in the feed of its advisers and, for an individual session, of the
school's director(s); the per-school download shows the school's individual sessions and its
network's collective ones to whoever may see them (the summary only, never notes).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day_month
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import RECIPIENT_COLUMNS, Recipient, schools_seen_by, sent_keys
from warmeveranderen.notifications.rules import Due, in_locale, lookback, reminder_rule
from warmeveranderen.permissions import can_view_school
from warmeveranderen.programme.models import AdviserAssignment, Membership, School
from warmeveranderen.timeutil import to_local, today
from warmeveranderen.tracking.models import CoachingSession, WellbeingMeasurement, session_advisers
from warmeveranderen.tracking.windows import Window, windows_opening_in

# --- the measurement windows ----------------------------------------------------------------------------------


def opening_windows(day: date, measures: str) -> list[Window]:
    """Windows measuring this ("wellbeing" or "indicators") that opened at most `lookback_days` ago and are still open."""
    days = lookback()
    return [
        w for w in windows_opening_in(day.year)
        if w.measures == measures and w.start <= day <= w.end and day < w.start + timedelta(days=days)
    ]


def _active(query):
    return query.where(User.active.is_(True), User.has_joined)


@reminder_rule("wellbeing_window_open", "measurement", description="Meetvenster welbevinden en betrokkenheid is open")
def wellbeing_window_open(now):
    """The directors and flywheel leads of every school, when a well-being window opens, unless the
    school already entered that measurement."""
    for window in opening_windows(to_local(now).date(), "wellbeing"):
        entered = (
            db.select(WellbeingMeasurement.id)
            .where(WellbeingMeasurement.school_id == School.id, WellbeingMeasurement.school_year == window.school_year,
                   WellbeingMeasurement.moment == window.moment)
            .exists()
        )
        rows = db.session.execute(
            _active(
                db.select(*RECIPIENT_COLUMNS, School.id.label("school_id"),
                          School.name.label("school_name"))
                .select_from(Membership)
                .join(User, User.id == Membership.user_id)
                .join(School, School.id == Membership.school_id)
                .where(or_(Membership.role == "director", (Membership.role == "flywheel") & Membership.is_lead),
                       ~entered)
                .order_by(School.id, User.id)
            )
        ).all()
        # Sent earlier in this window's first days: skipped before any text is rendered.
        done = sent_keys("wellbeing_window_open", {f"school-{row.school_id}" for row in rows})
        rows = [row for row in rows if (f"school-{row.school_id}", row.id, window.occurrence) not in done]
        schools = _schools({row.school_id for row in rows})
        dates = _window_dates(window)
        for row in rows:
            key = f"school-{row.school_id}"
            user = Recipient.from_row(row)
            with in_locale(user):
                start, end = dates(user.locale)
                yield Due(
                    recipient=user,
                    object_key=key,
                    occurrence=window.occurrence,
                    title=_("Meetvenster welbevinden en betrokkenheid is open (%(school)s)", school=row.school_name),
                    body=_(
                        "Van %(start)s tot en met %(end)s meet je school het welbevinden en de betrokkenheid "
                        "van leerlingen en personeel. Spreek af wie de bevraging organiseert.",
                        start=start,
                        end=end,
                    ),
                    url=url_for("core.school_home", school_id=row.school_id),
                    school=schools[row.school_id],
                )


@reminder_rule("indicator_window_open", "measurement", description="Venster voor de indicatorscores is open")
def indicator_window_open(now):
    """Every adviser with at least one school or network, when the indicator window opens."""
    for window in opening_windows(to_local(now).date(), "indicators"):
        advisers = db.session.execute(
            _active(
                db.select(*RECIPIENT_COLUMNS).where(
                    User.is_adviser.is_(True),
                    db.select(AdviserAssignment.id).where(AdviserAssignment.adviser_id == User.id).exists(),
                ).order_by(User.id)
            )
        ).all()
        done = sent_keys("indicator_window_open", {"programme"})
        dates = _window_dates(window)
        for row in advisers:
            if ("programme", row.id, window.occurrence) in done:
                continue
            user = Recipient.from_row(row)
            with in_locale(user):
                start, end = dates(user.locale)
                yield Due(
                    recipient=user,
                    object_key="programme",
                    occurrence=window.occurrence,
                    title=_("Het venster voor de indicatorscores is open"),
                    body=_(
                        "Geef tussen %(start)s en %(end)s voor elk van je scholen een score op de negen indicatoren.",
                        start=start,
                        end=end,
                    ),
                    url=url_for("core.home"),
                )


def _schools(ids: set[int]) -> dict[int, School]:
    """The schools by id, 500 per query."""
    ordered = sorted(ids)
    found: dict[int, School] = {}
    for start in range(0, len(ordered), 500):
        found.update((s.id, s) for s in db.session.scalars(db.select(School).where(School.id.in_(ordered[start:start + 500]))))
    return found


def _window_dates(window: Window):
    """locale -> the window's first and last day as text, formatted once per language (call it inside
    in_locale: a sweep writes the same two dates for thousands of people)."""
    formatted: dict[str, tuple[str, str]] = {}

    def dates(locale: str) -> tuple[str, str]:
        if locale not in formatted:
            formatted[locale] = (format_day_month(window.start), format_day_month(window.end))
        return formatted[locale]

    return dates


def _calendar_windows(day: date) -> list[Window]:
    """Windows that end after 60 days ago and start within the coming year."""
    found = []
    for year in (day.year - 1, day.year, day.year + 1):
        for w in windows_opening_in(year):
            if w.end >= day - timedelta(days=60) and w.start <= day + timedelta(days=366):
                found.append(w)
    return found


@calendar_source
def measurement_windows(user: User, school: School | None = None):
    """The well-being windows of the person's schools, and for advisers the indicator windows."""
    windows = _calendar_windows(today())
    for s in schools_seen_by(user, school):
        for w in windows:
            if w.measures != "wellbeing":
                continue
            with in_locale(user):
                yield CalendarEvent(
                    uid=f"measurement-{w.occurrence}-school-{s.id}@warmeveranderen",
                    summary=_("Meetvenster welbevinden en betrokkenheid (%(school)s)", school=s.name),
                    start=w.start,
                    end=w.end,
                    url=url_for("core.school_home", school_id=s.id),
                    school=s,
                )
    if user.is_adviser and school is None and user.adviser_assignments:
        for w in windows:
            if w.measures == "indicators":
                with in_locale(user):
                    yield CalendarEvent(
                        uid=f"measurement-{w.occurrence}-adviser-{user.id}@warmeveranderen",
                        summary=_("Venster voor de indicatorscores"),
                        start=w.start,
                        end=w.end,
                        url=url_for("core.home"),
                    )


# --- coaching sessions -----------------------------------------------------------------------------------------


def _summary(session: CoachingSession) -> str:
    if session.is_collective:
        return _("Collectieve begeleidingssessie (%(network)s)", network=session.network.name)
    return _("Individuele begeleidingssessie (%(school)s)", school=session.school.name)


@calendar_source
def coaching_session_events(user: User, school=None):
    """Coaching sessions: the person's as adviser, and the individual sessions of schools they direct."""
    since = today() - timedelta(days=366)
    query = db.select(CoachingSession).where(CoachingSession.held_on >= since)
    if school is not None:
        if not can_view_school(user, school):
            return
        condition = CoachingSession.school_id == school.id
        if school.network_id is not None:
            condition = or_(condition, (CoachingSession.kind == "collective")
                            & (CoachingSession.network_id == school.network_id))
        query = query.where(condition)
    else:
        as_adviser = db.select(session_advisers.c.session_id).where(session_advisers.c.user_id == user.id)
        directed = db.select(Membership.school_id).where(Membership.user_id == user.id, Membership.role == DIRECTOR)
        query = query.where(or_(
            CoachingSession.id.in_(as_adviser),
            (CoachingSession.kind == "individual") & CoachingSession.school_id.in_(directed),
        ))
    sessions = db.session.scalars(
        query.options(selectinload(CoachingSession.school), selectinload(CoachingSession.network))
        .order_by(CoachingSession.held_on, CoachingSession.id)
    ).all()
    with in_locale(user):
        for session in sessions:
            yield CalendarEvent(
                uid=f"coaching-session-{session.id}@warmeveranderen",
                summary=_summary(session),
                start=session.held_on,
                description=session.summary,
                url=url_for("tracking.session_detail", session_id=session.id),
                school=session.school or school,
            )
