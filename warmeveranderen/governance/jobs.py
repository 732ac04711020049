"""The bodies' reminders and calendar events.

- The agenda of a meeting `body_agenda_days` (5) away has not been sent: the chair (else the coordinators).
- A meeting ended `body_minutes_days` (3) ago without minutes: the chair and the secretary (else the
  coordinators).
- An action is past its due date and still open: its owner, once per due date.
- A next evaluation moment decided at an evaluation (not one of the agreement's own) is `evaluation_days`
  away: the school's director and adviser.
Each goes once through the send log; a moved meeting or a new due date is a new reminder.
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day, format_moment_long
from warmeveranderen.governance import queries
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance.models import Meeting
from warmeveranderen.governance.models_funds import Evaluation
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import advisers_by_school, local_day, members_by_school
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
from warmeveranderen.timeutil import utcnow

CATEGORY = "governance"


def _coordinators() -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.is_coordinator.is_(True), User.active.is_(True))))


def _people(meeting: Meeting, *roles: str) -> list[User]:
    found = [m.user for m in meeting.body.members if m.role in roles and m.user.active]
    return found or _coordinators()


def _meeting_url(meeting: Meeting) -> str:
    return url_for("governance.meeting", body_id=meeting.body_id, meeting_id=meeting.id)


@reminder_rule("body_agenda_missing", CATEGORY, description="Agenda van een programma-overleg nog niet verstuurd")
def agenda_missing(now):
    """The chair, for a meeting `body_agenda_days` away whose agenda has not gone out."""
    days = offset("body_agenda_days")
    meetings = [m for m in queries.meetings_between(now, now + timedelta(days=days)) if m.agenda_sent_at is None]
    for meeting, user, key, when in not_yet_sent(
        "body_agenda_missing", meetings, key=lambda m: f"meeting-{m.id}",
        occurrence=lambda m: f"agenda-{m.starts_at.date()}", recipients=lambda m: _people(m, "chair"),
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when,
                title=_("Verstuur de agenda: %(body)s op %(when)s", body=meeting.body.name,
                        when=format_moment_long(meeting.starts_at)),
                body=_("De leden krijgen de agenda graag vooraf. Open de vergadering en kies 'Agenda versturen'."),
                url=_meeting_url(meeting),
            )


@reminder_rule("body_minutes_missing", CATEGORY, description="Verslag van een programma-overleg ontbreekt")
def minutes_missing(now):
    """The chair and the secretary, for a meeting `body_minutes_days` ago without minutes."""
    days = offset("body_minutes_days")
    end = now - timedelta(days=days)
    meetings = [m for m in queries.meetings_between(end - timedelta(days=lookback()), end) if not m.has_minutes]
    for meeting, user, key, when in not_yet_sent(
        "body_minutes_missing", meetings, key=lambda m: f"meeting-{m.id}",
        occurrence=lambda m: f"minutes-{m.starts_at.date()}", recipients=lambda m: _people(m, "chair", "secretary"),
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when,
                title=_("Het verslag van %(body)s van %(when)s ontbreekt nog", body=meeting.body.name,
                        when=format_moment_long(meeting.starts_at)),
                body=_("Leg aanwezigheden, besluiten en acties vast, zodat open acties op de volgende agenda komen."),
                url=url_for("governance.minutes", body_id=meeting.body_id, meeting_id=meeting.id),
            )


@reminder_rule("body_action_overdue", CATEGORY, description="Actie van een programma-overleg over tijd")
def action_overdue(now):
    """The owner of an open action whose due date has passed (once per due date)."""
    today = local_day(now)
    actions = queries.overdue_actions(today - timedelta(days=lookback()), today - timedelta(days=1))
    for action, user, key, when in not_yet_sent(
        "body_action_overdue", actions, key=lambda a: f"action-{a.id}",
        occurrence=lambda a: f"due-{a.due_on}", recipients=lambda a: [a.owner] if a.owner.active else [],
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when,
                title=_("Je actie '%(title)s' van %(body)s was klaar tegen %(day)s", title=action.title,
                        body=action.meeting.body.name, day=format_day(action.due_on)),
                body=_("Ze staat op de agenda van de volgende vergadering tot ze afgerond is."),
                url=url_for("governance.body", body_id=action.body_id, _anchor="acties"),
            )


def body_events(meetings):
    """One event per meeting, with a UID that stays the same when the meeting moves."""
    for meeting in meetings:
        body = meeting.body
        summary = body.name if not meeting.cancelled else _("Geschrapt: %(body)s", body=body.name)
        yield CalendarEvent(
            uid=f"governance-meeting-{meeting.id}@warmeveranderen", summary=summary, start=meeting.starts_at,
            end=meeting.starts_at + timedelta(minutes=body.duration_minutes), url=_meeting_url(meeting),
            description=meeting.location or body.location,
        )


@calendar_source
def meeting_events(user, school=None):
    """The meetings of the person's bodies (only in the personal feed; a school's download has none)."""
    if school is not None or not getattr(user, "is_authenticated", False):
        return
    yield from body_events(queries.meetings_of_user(user, utcnow() - timedelta(days=180)))


@reminder_rule("evaluation_next_moment", "tracking", description="Volgend evaluatiemoment nadert (beslist bij een evaluatie)")
def next_evaluation_moment(now):
    """The director and the adviser, `evaluation_days` before a next moment an evaluation decided (the agreed
    moments of the agreement have the intake's own reminder)."""
    day = local_day(now)
    horizon = day + timedelta(days=offset("evaluation_days"))
    decided = db.session.scalars(
        db.select(Evaluation).where(Evaluation.next_on.is_not(None), Evaluation.next_on >= day,
                                    Evaluation.next_on <= horizon, Evaluation.state != "draft")
    ).all()
    due = [e for e in decided if e.next_on not in figures.agreed_moments(e.school)]
    directors = members_by_school({e.school_id for e in due}, DIRECTOR)
    advisers = advisers_by_school([e.school for e in due])
    for evaluation, user, key, when in not_yet_sent(
        "evaluation_next_moment", due, key=lambda e: f"evaluation-{e.id}", occurrence=lambda e: f"next-{e.next_on}",
        recipients=lambda e: [*directors.get(e.school_id, []), *advisers.get(e.school_id, [])],
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=evaluation.school,
                title=_("Evaluatiemoment op %(d)s: bereid het samen voor", d=format_day(evaluation.next_on)),
                body=_("Afgesproken bij de evaluatie van %(d)s.", d=format_day(evaluation.moment_on)),
                url=url_for("governance_funds.school", school_id=evaluation.school_id),
            )
