"""Reminders and calendar events that need only the programme's people and the calendar.

The measurement windows are fixed in the programme: well-being and involvement are measured in
September-October and April-May (the directors and flywheel leads organise it); the advisers rate
the nine indicators in May-June. When a window opens, the people concerned get one reminder; a
sweep that runs later (the scheduler was down) still sends it during the first `lookback_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import or_

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import RECIPIENT_COLUMNS, Recipient, sent_keys
from warmeveranderen.notifications.rules import Due, in_locale, lookback, reminder_rule
from warmeveranderen.programme.models import AdviserAssignment, Membership, School
from warmeveranderen.timeutil import to_local


@dataclass(frozen=True)
class Window:
    kind: str  # "wellbeing" | "indicators"
    season: str
    start: date
    end: date  # inclusive

    @property
    def occurrence(self) -> str:
        return f"{self.kind}-{self.start.year}-{self.season}"


    @property
    def school_year(self) -> str:
        from warmeveranderen.tracking.windows import school_year

        return school_year(self.start)

    @property
    def moment(self) -> str:
        """The well-being moment of tracking's measurements: 'pre' (autumn) or 'post' (spring)."""
        return "pre" if self.season == "autumn" else "post"


def windows_of_year(year: int) -> list[Window]:
    """The windows that open in a calendar year; the dates come from tracking's `windows_of`."""
    from warmeveranderen.tracking.windows import windows_of

    found = []
    for school_year in (f"{year - 1}-{year}", f"{year}-{year + 1}"):
        for w in windows_of(school_year):
            if w.start.year == year:
                kind = "indicators" if w.kind == "indicators" else "wellbeing"
                found.append(Window(kind, "autumn" if w.start.month >= 9 else "spring", w.start, w.end))
    return sorted(found, key=lambda w: (w.start, w.kind))


def opening_windows(day: date, kind: str) -> list[Window]:
    """Windows of this kind that opened at most `lookback_days` ago and are still open."""
    days = lookback()
    return [
        w for w in windows_of_year(day.year)
        if w.kind == kind and w.start <= day <= w.end and day < w.start + timedelta(days=days)
    ]


def _active(query):
    return query.where(User.active.is_(True), User.password_hash.is_not(None))


@reminder_rule("wellbeing_window_open", "measurement", description="Meetvenster welbevinden en betrokkenheid is open")
def wellbeing_window_open(now):
    """The directors and flywheel leads of every school, when a well-being window opens, unless the
    school already entered that measurement."""
    from warmeveranderen.tracking.models import WellbeingMeasurement

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
            formatted[locale] = (format_date(window.start, "d MMMM"), format_date(window.end, "d MMMM"))
        return formatted[locale]

    return dates


def _calendar_windows(today: date) -> list[Window]:
    """Windows that end after 60 days ago and start within the coming year."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        for w in windows_of_year(year):
            if w.end >= today - timedelta(days=60) and w.start <= today + timedelta(days=366):
                found.append(w)
    return found


def _schools_seen_by(user: User, school: School | None) -> list[School]:
    from warmeveranderen.permissions import can_view_school

    if school is not None:
        return [school] if can_view_school(user, school) else []
    schools = {m.school for m in user.memberships}
    for a in user.adviser_assignments:
        if a.school is not None:
            schools.add(a.school)
        elif a.network is not None:
            schools.update(a.network.schools)
    return sorted(schools, key=lambda s: s.name)


@calendar_source
def measurement_windows(user: User, school: School | None = None):
    """The well-being windows of the person's schools, and for advisers the indicator windows."""
    from warmeveranderen.timeutil import today

    windows = _calendar_windows(today())
    for s in _schools_seen_by(user, school):
        for w in windows:
            if w.kind != "wellbeing":
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
            if w.kind == "indicators":
                with in_locale(user):
                    yield CalendarEvent(
                        uid=f"measurement-{w.occurrence}-adviser-{user.id}@warmeveranderen",
                        summary=_("Venster voor de indicatorscores"),
                        start=w.start,
                        end=w.end,
                        url=url_for("core.home"),
                    )
