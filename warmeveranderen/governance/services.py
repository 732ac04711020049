"""Changing the bodies and their meetings (services flush; the request or the job commits once).

Evaluations, partner days and envelopes are changed in services_funds.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import SHORT_TEXT_MAX, TITLE_MAX
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment_long
from warmeveranderen.governance import cadence, queries
from warmeveranderen.governance.models import (
    ATTENDANCE,
    BODY_KINDS,
    MEMBER_ROLES,
    Action,
    AgendaItem,
    Attendance,
    Body,
    BodyDecision,
    BodyMember,
    Meeting,
)
from warmeveranderen.i18n import in_locale
from warmeveranderen.notifications.services import notify
from warmeveranderen.timeutil import to_local, utcnow
from warmeveranderen.timeutil import today as local_today
from warmeveranderen.uow import ServiceError

CATEGORY = "governance"


class GovernanceError(ServiceError):
    """A refusal with a Dutch message for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():  # the demo and commands run without a request
        return url_for(endpoint, **values)


def _check_text(value: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise GovernanceError(_("Dit is te lang (hoogstens %(n)s tekens).", n=limit), field)
    return value


# --- the body and its series ---------------------------------------------------------------------


def _apply(body: Body, data: dict) -> None:
    if data["kind"] not in BODY_KINDS:
        raise GovernanceError(_("Kies een soort overleg."), "kind")
    if data["kind"] == "city_steering_group" and not data.get("city_id"):
        raise GovernanceError(_("Kies de warme stad van deze lokale stuurgroep."), "city_id")
    body.kind = data["kind"]
    body.city_id = data.get("city_id") if data["kind"] == "city_steering_group" else None
    body.name = _check_text(data["name"], TITLE_MAX, "name") or str(BODY_KINDS[data["kind"]][0])
    body.purpose = data.get("purpose") or ""
    body.cadence_unit = data["cadence_unit"]
    body.cadence_every = int(data["cadence_every"])
    body.first_meeting_on = data["first_meeting_on"]
    body.meeting_time = data["meeting_time"]
    body.duration_minutes = int(data.get("duration_minutes") or 120)
    body.location = _check_text(data.get("location", ""), TITLE_MAX, "location")
    body.standard_items = [line.strip()[:TITLE_MAX] for line in data.get("standard_items", []) if line.strip()]
    body.avoid_holidays = bool(data.get("avoid_holidays"))


def parse_members(lines: list[str]) -> list[tuple[User, str, str]]:
    """'email; role; represents' per line (role and represents optional) -> (user, role, represents)."""
    rows, unknown, wrong = [], [], []
    role_by_word = {code: code for code in MEMBER_ROLES}
    role_by_word.update({str(label).lower(): code for code, label in MEMBER_ROLES.items()})
    for line in lines:
        parts = [p.strip() for p in line.split(";")]
        if not parts[0]:
            continue
        user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == parts[0].lower(),
                                                  User.active.is_(True)))
        role = role_by_word.get((parts[1] if len(parts) > 1 and parts[1] else "member").lower())
        if user is None:
            unknown.append(parts[0])
        elif role is None:
            wrong.append(parts[1])
        elif all(u.id != user.id for u, _r, _p in rows):
            rows.append((user, role, (parts[2] if len(parts) > 2 else "")[:TITLE_MAX]))
    if unknown:
        raise GovernanceError(_("Deze e-mailadressen hebben nog geen account: %(emails)s. Nodig hen eerst uit "
                                "(Programma → Mensen).", emails=", ".join(unknown)), "members")
    if wrong:
        raise GovernanceError(_("Onbekende rol: %(roles)s. Gebruik voorzitter, verslaggever of lid.",
                                roles=", ".join(wrong)), "members")
    return rows


def _set_members(body: Body, rows: list[tuple[User, str, str]]) -> None:
    wanted = {user.id: (user, role, represents) for user, role, represents in rows}
    for member in list(body.members):
        if member.user_id not in wanted:
            body.members.remove(member)
    for user_id, (user, role, represents) in wanted.items():
        member = next((m for m in body.members if m.user_id == user_id), None)
        if member is None:
            body.members.append(BodyMember(user=user, role=role, represents=represents))
        else:
            member.role, member.represents = role, represents


def create_body(data: dict, members: list[tuple[User, str, str]], by: User, today: date | None = None) -> Body:
    """A new body with its members and its meetings planned a year ahead."""
    body = Body(created_by_id=by.id)
    _apply(body, data)
    db.session.add(body)
    _set_members(body, members)
    db.session.flush()
    # A series that began before it was entered gets its past meetings too (up to a year back).
    plan_ahead(body, today or local_today(), include_past=True)
    return body


def update_body(body: Body, data: dict, members: list[tuple[User, str, str]], today: date | None = None) -> Body:
    """Change the series; future meetings nobody has touched yet follow the new cadence."""
    _apply(body, data)
    _set_members(body, members)
    db.session.flush()
    plan_ahead(body, today or local_today())
    return body


def _untouched(meeting: Meeting) -> bool:
    return (meeting.agenda_sent_at is None and not meeting.has_minutes and not meeting.items
            and not meeting.actions)


def plan_ahead(body: Body, today: date, *, include_past: bool = False) -> list[Meeting]:
    """Keep the body's meetings planned from today to a year ahead (at least three upcoming).

    A planned meeting someone has worked on (agenda sent, items added, minutes) keeps its date; an
    untouched future one that no longer fits the cadence is dropped. Numbers follow the dates.
    """
    until = cadence.horizon(max(today, body.first_meeting_on))
    wanted = [d for d in cadence.planned_dates(body.first_meeting_on, body.cadence_unit, body.cadence_every,
                                               until, avoid_holidays=body.avoid_holidays,
                                               minimum=cadence.MIN_UPCOMING)
              if d >= (today - timedelta(days=365) if include_past else today)]
    existing = list(body.meetings)
    kept_days = set()
    for meeting in existing:
        day = to_local(meeting.starts_at).date()
        if day < today or not _untouched(meeting) or meeting.cancelled:
            kept_days.add(day)
        elif day in wanted and day not in kept_days:
            meeting.starts_at = cadence.meeting_start(day, body.meeting_time)
            meeting.location = body.location
            kept_days.add(day)
        else:
            body.meetings.remove(meeting)
    for day in wanted:
        if day not in kept_days:
            body.meetings.append(Meeting(starts_at=cadence.meeting_start(day, body.meeting_time),
                                         location=body.location, number=0))
    _renumber(body)
    return body.meetings


def _renumber(body: Body) -> None:
    ordered = sorted(body.meetings, key=lambda m: m.starts_at)
    for i, meeting in enumerate(ordered, start=1):
        meeting.number = -i  # out of the way of the unique (body, number) first
    db.session.flush()
    for i, meeting in enumerate(ordered, start=1):
        meeting.number = i
    db.session.flush()


def move_meeting(meeting: Meeting, starts_at: datetime, location: str, cancelled: bool, by: User) -> None:
    """Move or cancel one meeting (the rest of the series keeps its dates)."""
    if meeting.has_minutes:
        raise GovernanceError(_("Deze vergadering heeft al een verslag en verschuift niet meer."))
    meeting.starts_at = starts_at
    meeting.location = _check_text(location, TITLE_MAX, "location")
    meeting.cancelled = cancelled
    _renumber(meeting.body)


# --- agenda ------------------------------------------------------------------------------------


def add_agenda_item(meeting: Meeting, by: User, title: str, note: str = "") -> AgendaItem:
    if meeting.has_minutes or meeting.cancelled:
        raise GovernanceError(_("Deze vergadering is voorbij of geschrapt; zet je punt op de volgende."), "title")
    title = _check_text(title, TITLE_MAX, "title")
    if not title:
        raise GovernanceError(_("Geef je agendapunt een titel."), "title")
    item = AgendaItem(meeting=meeting, title=title, note=_check_text(note, SHORT_TEXT_MAX, "note"), added_by=by)
    db.session.add(item)
    db.session.flush()
    return item


def send_agenda(meeting: Meeting, by: User) -> None:
    """Send the agenda to every member (in the app and by email); sending again sends the update."""
    if meeting.cancelled or meeting.has_minutes:
        raise GovernanceError(_("Deze vergadering is voorbij of geschrapt."))
    first = meeting.agenda_sent_at is None
    meeting.agenda_sent_at = utcnow()
    meeting.agenda_sent_by_id = by.id
    body = meeting.body
    url = _url("governance.meeting", body_id=body.id, meeting_id=meeting.id)
    agenda = queries.agenda(meeting)
    for member in body.members:
        with in_locale(member.user):
            title = (_("Agenda: %(body)s op %(when)s", body=body.name, when=format_moment_long(meeting.starts_at))
                     if first else
                     _("Bijgewerkte agenda: %(body)s op %(when)s", body=body.name,
                       when=format_moment_long(meeting.starts_at)))
            lines = [f"- {line.title}" + (f" ({line.detail})" if line.detail else "") for line in agenda]
            notify([member.user], category=CATEGORY, title=title, url=url, body="\n".join(lines))
    db.session.flush()


# --- minutes -----------------------------------------------------------------------------------


def record_minutes(meeting: Meeting, by: User, *, attendance: dict[int, str], summary: str,
                   decisions: list[str], actions: list[tuple[str, int | None, date]],
                   done_action_ids: list[int], shared: bool) -> None:
    """Attendance and summary (replaced on every save), new decisions and actions (added), and the
    open actions that are done now. The minutes can be completed later; nothing recorded is lost."""
    if meeting.cancelled:
        raise GovernanceError(_("Een geschrapte vergadering heeft geen verslag."))
    if meeting.starts_at > utcnow():
        raise GovernanceError(_("Het verslag kan pas na het begin van de vergadering."))
    member_ids = {m.user_id for m in meeting.body.members}
    by_user = {a.user_id: a for a in meeting.attendance}
    for user_id, status in attendance.items():
        if user_id not in member_ids or status not in ATTENDANCE:
            continue
        if user_id in by_user:
            by_user[user_id].status = status
        else:
            meeting.attendance.append(Attendance(user_id=user_id, status=status))
    meeting.summary = summary or ""
    meeting.minutes_shared = shared
    for text in decisions:
        if text.strip():
            meeting.decisions.append(BodyDecision(text=_check_text(text, SHORT_TEXT_MAX, "decisions")))
    for title, owner_id, due_on in actions:
        if owner_id is not None and owner_id not in member_ids:
            raise GovernanceError(_("Een actie gaat naar een lid van het overleg."), "actions")
        meeting.actions.append(Action(body_id=meeting.body_id, title=_check_text(title, TITLE_MAX, "actions"),
                                      owner_id=owner_id, due_on=due_on))
    for action in queries.open_actions_before(meeting):
        if action.id in done_action_ids and action.done_at is None:
            # Reported done at this meeting: it leaves the agendas after this one, not this one's.
            action.done_at, action.done_by_id = min(utcnow(), meeting.starts_at), by.id
            action.done_note = _("Afgerond volgens het verslag van %(when)s", when=format_moment_long(meeting.starts_at))
    first = meeting.minutes_at is None
    meeting.minutes_at = utcnow()
    meeting.minutes_by_id = by.id
    db.session.flush()
    if first:
        url = _url("governance.meeting", body_id=meeting.body_id, meeting_id=meeting.id)
        for member in meeting.body.members:
            if member.user_id == by.id:
                continue
            with in_locale(member.user):
                notify([member.user], category=CATEGORY, url=url,
                       title=_("Verslag van %(body)s van %(when)s", body=meeting.body.name,
                               when=format_moment_long(meeting.starts_at)))
    plan_ahead(meeting.body, local_today())


def complete_action(action: Action, by: User, note: str = "") -> None:
    if action.done_at is not None:
        raise GovernanceError(_("Deze actie is al afgerond."))
    action.done_at = utcnow()
    action.done_by_id = by.id
    action.done_note = _check_text(note, SHORT_TEXT_MAX, "note")
    db.session.flush()
