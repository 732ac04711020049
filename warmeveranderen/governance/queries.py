"""Reading the bodies and their meetings: agendas (standard items, open actions, added items), the
series, what a person may see, and the windows the reminders read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.governance.models import Action, Body, BodyMember, Meeting
from warmeveranderen.timeutil import utcnow


@dataclass(frozen=True)
class AgendaLine:
    kind: str  # "standard", "action" or "item"
    title: str
    detail: str = ""
    action: Action | None = None


def bodies_for(user: User) -> list[Body]:
    """Every body for the coordinator; else the bodies the person is a member of."""
    query = db.select(Body).options(selectinload(Body.members)).order_by(Body.kind, Body.name)
    if not user.is_coordinator:
        query = query.join(BodyMember).where(BodyMember.user_id == user.id)
    return list(db.session.scalars(query).unique())


def shared_minutes_for(user: User, limit: int = 20) -> list[Meeting]:
    """Minutes shared with the schools, for a person of a school: the programme's bodies', and the
    local steering group's of their own schools' cities."""
    city_ids = {m.school.city_id for m in user.memberships}
    if not city_ids and not user.is_adviser:
        return []
    query = (db.select(Meeting).join(Body)
             .where(Meeting.minutes_shared.is_(True), Meeting.minutes_at.is_not(None))
             .where(Body.city_id.is_(None) | Body.city_id.in_(city_ids))
             .options(selectinload(Meeting.body))
             .order_by(Meeting.starts_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def upcoming(body: Body, now: datetime | None = None, limit: int | None = None) -> list[Meeting]:
    now = now or utcnow()
    found = [m for m in body.meetings if m.starts_at >= now or (not m.has_minutes and not m.cancelled
                                                                and (now - m.starts_at).days < 1)]
    return found[:limit] if limit else found


def past(body: Body, now: datetime | None = None) -> list[Meeting]:
    now = now or utcnow()
    upcoming_ids = {m.id for m in upcoming(body, now)}
    return [m for m in reversed(body.meetings) if m.id not in upcoming_ids]


def next_meeting(body: Body, now: datetime | None = None) -> Meeting | None:
    return next((m for m in upcoming(body, now) if not m.cancelled), None)


def open_actions(body: Body) -> list[Action]:
    return list(db.session.scalars(
        db.select(Action).where(Action.body_id == body.id, Action.done_at.is_(None))
        .options(selectinload(Action.owner), selectinload(Action.meeting)).order_by(Action.due_on, Action.id)
    ))


def open_actions_before(meeting: Meeting) -> list[Action]:
    """The actions of earlier meetings that were still open when this meeting began (or are open now):
    they come back on this meeting's agenda until done."""
    return list(db.session.scalars(
        db.select(Action).join(Meeting, Action.meeting_id == Meeting.id)
        .where(Action.body_id == meeting.body_id, Meeting.starts_at < meeting.starts_at)
        .where(Action.done_at.is_(None) | (Action.done_at >= meeting.starts_at))
        .options(selectinload(Action.owner), selectinload(Action.meeting)).order_by(Action.due_on, Action.id)
    ))


def agenda(meeting: Meeting) -> list[AgendaLine]:
    """The standard items, then the open actions of earlier meetings, then what members added."""
    lines = [AgendaLine("standard", title) for title in meeting.body.standard_items]
    for action in open_actions_before(meeting):
        owner = action.owner.name if action.owner else _("niemand")
        lines.append(AgendaLine("action", _("Actie: %(title)s", title=action.title),
                                _("%(owner)s, tegen %(day)s", owner=owner, day=format_day(action.due_on)), action))
    for item in meeting.items:
        by = item.added_by.name if item.added_by else ""
        lines.append(AgendaLine("item", item.title, _("toegevoegd door %(name)s", name=by) if by else ""))
    return lines


def load_meeting(meeting_id: int) -> Meeting | None:
    return db.session.scalar(
        db.select(Meeting).where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.items), selectinload(Meeting.attendance), selectinload(Meeting.decisions),
                 selectinload(Meeting.actions))
    )


# --- for the reminders and the calendar ---------------------------------------------------------


def meetings_between(start: datetime, end: datetime) -> list[Meeting]:
    """Meetings (not cancelled) that start in [start, end), with their bodies and members."""
    return list(db.session.scalars(
        db.select(Meeting).where(Meeting.starts_at >= start, Meeting.starts_at < end, Meeting.cancelled.is_(False))
        .options(selectinload(Meeting.body).selectinload(Body.members).selectinload(BodyMember.user))
        .order_by(Meeting.starts_at)
    ))


def overdue_actions(first_due: date, last_due: date) -> list[Action]:
    return list(db.session.scalars(
        db.select(Action).where(Action.done_at.is_(None), Action.due_on >= first_due, Action.due_on <= last_due,
                                Action.owner_id.is_not(None))
        .options(selectinload(Action.owner), selectinload(Action.meeting).selectinload(Meeting.body))
    ))


def meetings_of_user(user: User, start: datetime) -> list[Meeting]:
    """The person's bodies' meetings from `start` on (the personal calendar)."""
    return list(db.session.scalars(
        db.select(Meeting).join(Body).join(BodyMember)
        .where(BodyMember.user_id == user.id, Meeting.starts_at >= start)
        .options(selectinload(Meeting.body)).order_by(Meeting.starts_at)
    ))
