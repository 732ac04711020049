"""The forum's reminders and calendar events (see notifications/rules.py and calendar.py).

Reminders: the forum session is `forum_session_days` away — align with the governing team and
publish the agenda (trekker, director; not sent once both are done); an advice deadline is
`advice_deadline_days` away (forum members who have not advised yet); a round closed
`advice_closed_owner_days` ago and still has no decision (the initiative's owner, else the
trekker) and after `advice_closed_adviser_days` also the school's adviser.
Calendar: forum sessions (timed), the planned pre-forum alignment `pre_forum_alignment_days`
before a sprint's session (until the alignment is recorded, which the sprints' source shows), and
advice deadlines for the forum members and the flywheel.
The decisions themselves are told with notify() in forum/services.py; the sweep emails them
through deliver_pending() per each person's preference (category "forum").
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import literal, union_all
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment_long
from warmeveranderen.forum.models import Advice, AdviceResponse, AdviceRound, ForumSession
from warmeveranderen.forum.permissions import can_view_forum, owners_of
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import (
    RECIPIENT_COLUMNS,
    Recipient,
    members_by_school,
    roles_in,
    schools_seen_by,
)
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
from warmeveranderen.notifications.unsent import (
    ACTIVE,
    distinct_rows,
    key_text,
    local_minute,
    school_advisers,
    school_people,
    unsent,
)
from warmeveranderen.programme.models import Membership
from warmeveranderen.sprints.models import Checkpoint, Initiative
from warmeveranderen.sprints.schooltime import calendar_for
from warmeveranderen.timeutil import to_local, utcnow

CATEGORY = "forum"
SESSION_LENGTH = timedelta(hours=2)


def _when(value) -> str:
    """A stored naive-UTC datetime as Brussels time in the current locale."""
    return format_moment_long(value)


def _occurrence(value) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def _unsent_people(rule: str, key, occurrence, people, on, where, order, *columns):
    """(object id, person and `columns`) rows of the reminders of `rule` the send log does not hold yet:
    `people` is a relation with a user_id joined `on` the object, `key` and `occurrence` the reminder's
    object key and occurrence as SQL (see notifications/unsent.py)."""
    return db.session.execute(
        db.select(*columns, *RECIPIENT_COLUMNS)
        .join(people, on)
        .join(User, User.id == people.c.user_id)
        .where(*where, unsent(rule, key, User.id, occurrence))
        .order_by(*order, User.name, User.id)
    ).all()


@reminder_rule("forum_session_soon", CATEGORY, description="Forumbijeenkomst binnen twee weken: afstemmen en agenda")
def forum_session_soon(now):
    """The trekker and the director, `forum_session_days` before a session, unless the pre-forum
    alignment is recorded and the agenda holds an item already."""
    days = offset("forum_session_days")
    start, end = max(now, now + timedelta(days=days - lookback())), now + timedelta(days=days)
    with_agenda = db.select(AdviceRound.id).where(AdviceRound.session_id == ForumSession.id).exists()
    aligned = db.select(Checkpoint.id).where(
        Checkpoint.sprint_id == ForumSession.sprint_id, Checkpoint.kind == "pre_forum").exists()
    # The trekker first, then the director(s).
    people = union_all(
        db.select(Membership.school_id, Membership.user_id, literal(0).label("rank"))
        .where(Membership.role == FLYWHEEL, Membership.is_lead.is_(True)),
        db.select(Membership.school_id, Membership.user_id, literal(1).label("rank")).where(Membership.role == DIRECTOR),
    ).subquery()
    rows = _unsent_people(
        "forum_session_soon", key_text("forum-session-", ForumSession.id),
        key_text("session-", local_minute(ForumSession.starts_at)), people, people.c.school_id == ForumSession.school_id,
        (ForumSession.starts_at >= start, ForumSession.starts_at < end, ~(with_agenda & aligned), *ACTIVE),
        (ForumSession.starts_at, ForumSession.id, people.c.rank),
        ForumSession.id.label("session_id"), with_agenda.label("with_agenda"), aligned.label("aligned"),
    )
    if not rows:
        return
    sessions = {s.id: s for s in db.session.scalars(
        db.select(ForumSession).where(ForumSession.id.in_({r.session_id for r in rows}))
        .options(selectinload(ForumSession.school)))}
    for row in distinct_rows(rows, "session_id", "id"):
        session, user = sessions[row.session_id], Recipient.from_row(row)
        with in_locale(user):
            missing = []
            if not row.aligned:
                missing.append(_("stem af met het bestuursteam"))
            if not row.with_agenda:
                missing.append(_("publiceer de agenda"))
            yield Due(
                recipient=user, object_key=f"forum-session-{session.id}",
                occurrence=f"session-{_occurrence(session.starts_at)}", school=session.school,
                title=_("Forumbijeenkomst op %(when)s: %(todo)s", when=_when(session.starts_at),
                        todo=", ".join(missing)),
                body=_("Het forum komt samen op %(when)s (%(school)s). Stem de initiatieven vooraf af met het "
                       "bestuursteam en zet ze met een adviesvraag op de agenda, zodat de forumleden zich "
                       "kunnen voorbereiden.", when=_when(session.starts_at), school=session.school.name),
                url=url_for("forum.session", school_id=session.school_id, session_id=session.id),
            )


def _rounds(rows) -> dict[int, AdviceRound]:
    """The rounds of these rows (round_id), with their school."""
    return {r.id: r for r in db.session.scalars(
        db.select(AdviceRound).where(AdviceRound.id.in_({row.round_id for row in rows}))
        .options(selectinload(AdviceRound.school)))}


ROUND_KEY = key_text("advice-round-", AdviceRound.id)
UNDECIDED = ~AdviceRound.decisions.any()


@reminder_rule("advice_deadline_soon", CATEGORY, description="Adviesdeadline binnen twee dagen")
def advice_deadline_soon(now):
    """Forum members who have not advised yet, `advice_deadline_days` before a round's deadline."""
    people = school_people(FORUM)
    advised = db.select(Advice.id).where(Advice.round_id == AdviceRound.id, Advice.author_id == User.id).exists()
    rows = _unsent_people(
        "advice_deadline_soon", ROUND_KEY, key_text("deadline-", local_minute(AdviceRound.deadline)), people,
        people.c.school_id == AdviceRound.school_id,
        (AdviceRound.deadline >= now, AdviceRound.deadline < now + timedelta(days=offset("advice_deadline_days")),
         UNDECIDED, ~advised, *ACTIVE),
        (AdviceRound.deadline, AdviceRound.id), AdviceRound.id.label("round_id"),
    )
    if not rows:
        return
    rounds = _rounds(rows)
    for row in distinct_rows(rows, "round_id", "id"):
        advice_round, user = rounds[row.round_id], Recipient.from_row(row)
        with in_locale(user):
            yield Due(
                recipient=user, object_key=f"advice-round-{advice_round.id}",
                occurrence=f"deadline-{_occurrence(advice_round.deadline)}", school=advice_round.school,
                title=_("Geef je advies over %(title)s vóór %(when)s", title=advice_round.subject_title,
                        when=_when(advice_round.deadline)),
                body=_("Het vliegwiel vraagt het forum om advies: %(question)s", question=advice_round.question),
                url=url_for("forum.round", school_id=advice_round.school_id, round_id=advice_round.id),
            )


def _unanswered(round_ids) -> dict[int, int]:
    """round id -> the number of pieces of advice without a response."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        db.select(Advice.round_id, db.func.count(Advice.id))
        .outerjoin(AdviceResponse, AdviceResponse.advice_id == Advice.id)
        .where(Advice.round_id.in_(list(round_ids)), AdviceResponse.id.is_(None))
        .group_by(Advice.round_id)
    )
    return dict(rows.all())


def _closed_window(now, days: int) -> tuple:
    """Conditions: rounds closed at least `days` ago (looking back `lookback()` days) without a decision."""
    return (AdviceRound.deadline <= now - timedelta(days=days),
            AdviceRound.deadline >= now - timedelta(days=days + lookback()), UNDECIDED)


CLOSED_OCCURRENCE = key_text("closed-", local_minute(AdviceRound.deadline))


def _closed_rows(rule: str, now, days: int, people, on, *where):
    return _unsent_people(rule, ROUND_KEY, CLOSED_OCCURRENCE, people, on, (*_closed_window(now, days), *where),
                          (AdviceRound.deadline, AdviceRound.id), AdviceRound.id.label("round_id"))


def _closed_due(rows, rounds: dict[int, AdviceRound]):
    """A Due per (round, person) row: the round closed and waits for answers and a decision."""
    unanswered = _unanswered({row.round_id for row in rows})
    for row in distinct_rows(rows, "round_id", "id"):
        advice_round, user = rounds[row.round_id], Recipient.from_row(row)
        with in_locale(user):
            yield Due(
                recipient=user, object_key=f"advice-round-{advice_round.id}",
                occurrence=f"closed-{_occurrence(advice_round.deadline)}", school=advice_round.school,
                title=_("Advies over %(title)s wacht op antwoord en besluit", title=advice_round.subject_title),
                body=_("De adviesronde sloot op %(when)s. Nog %(n)s advies(en) zonder antwoord en nog geen "
                       "besluit: reageer op elk advies en neem het besluit, met redenen.",
                       when=_when(advice_round.deadline), n=unanswered.get(advice_round.id, 0)),
                url=url_for("forum.round", school_id=advice_round.school_id, round_id=advice_round.id),
            )


@reminder_rule("advice_closed_owner", CATEGORY, description="Afgesloten adviesronde zonder antwoord of besluit")
def advice_closed_owner(now):
    """The initiative's owner (else the trekker), `advice_closed_owner_days` after the deadline, while
    no decision is recorded."""
    rule, days = "advice_closed_owner", offset("advice_closed_owner_days")
    initiative = AdviceRound.subject_kind == "initiative"
    # An initiative's owner whose account is active; without one, the trekker.
    owners = db.select(Initiative.id.label("initiative_id"), Initiative.owner_id.label("user_id")).subquery()
    owned = db.select(User.id).join(Initiative, Initiative.owner_id == User.id).where(
        Initiative.id == AdviceRound.subject_id, User.active.is_(True)).exists()
    leads = school_people(FLYWHEEL, lead_only=True)
    rows = [
        *_closed_rows(rule, now, days, owners, owners.c.initiative_id == AdviceRound.subject_id, initiative,
                      User.active.is_(True)),
        *_closed_rows(rule, now, days, leads, leads.c.school_id == AdviceRound.school_id, initiative, ~owned, *ACTIVE),
    ]
    # Other subjects (a question, a vision version) know their owners only in Python: few rounds.
    others = [r for r in db.session.scalars(
        db.select(AdviceRound).where(*_closed_window(now, days), ~initiative).options(selectinload(AdviceRound.school))
    )]
    owners_of_other = {r.id: [u for u in owners_of(r) if u.is_active] for r in others}
    other_leads = members_by_school({r.school_id for r in others if not owners_of_other[r.id]}, FLYWHEEL,
                                    lead_only=True)
    people = {r.id: owners_of_other[r.id] or other_leads.get(r.school_id, []) for r in others}
    rounds = _rounds(rows) if rows else {}
    rounds.update((r.id, r) for r in others)
    rows.extend(
        SimpleNamespace(round_id=advice_round.id, id=user.id, email=user.email, name=user.name, locale=user.locale)
        for advice_round, user, _key, _when in not_yet_sent(
            rule, others, key=lambda r: f"advice-round-{r.id}", occurrence=lambda r: f"closed-{_occurrence(r.deadline)}",
            recipients=lambda r: people.get(r.id, []),
        )
    )
    if rows:
        yield from _closed_due(rows, rounds)


@reminder_rule("advice_closed_adviser", CATEGORY, description="Afgesloten adviesronde zonder besluit: de adviseur volgt op")
def advice_closed_adviser(now):
    """The school's advisers, `advice_closed_adviser_days` after the deadline, while no decision is recorded."""
    advisers = school_advisers()
    rows = _closed_rows("advice_closed_adviser", now, offset("advice_closed_adviser_days"), advisers,
                        advisers.c.school_id == AdviceRound.school_id, *ACTIVE)
    if rows:
        yield from _closed_due(rows, _rounds(rows))


# --- calendar ---------------------------------------------------------------------------------------


@calendar_source
def forum_events(user: User, school=None):
    """Forum sessions (timed), the planned pre-forum alignment, and advice deadlines for the forum
    members and the flywheel (the per-school download: for whoever may read the forum)."""
    schools = schools_seen_by(user, school, can_view_forum)
    if not schools:
        return
    by_id = {s.id: s for s in schools}
    since = utcnow() - timedelta(days=366)
    sessions = db.session.scalars(
        db.select(ForumSession)
        .where(ForumSession.school_id.in_(list(by_id)), ForumSession.starts_at >= since)
        .order_by(ForumSession.starts_at, ForumSession.id)
    ).all()
    sprint_ids = [s.sprint_id for s in sessions if s.sprint_id]
    aligned = set(db.session.scalars(
        db.select(Checkpoint.sprint_id).where(Checkpoint.sprint_id.in_(sprint_ids), Checkpoint.kind == "pre_forum")
    )) if sprint_ids else set()
    days = offset("pre_forum_alignment_days")
    calendars = {}  # counted in school days ("3 school days before the forum"), one calendar per school
    with in_locale(user):
        for session in sessions:
            s = by_id[session.school_id]
            url = url_for("forum.session", school_id=s.id, session_id=session.id)
            yield CalendarEvent(
                uid=f"forum-session-{session.id}@warmeveranderen",
                summary=_("Forumbijeenkomst (%(school)s)", school=s.name),
                start=session.starts_at, end=session.starts_at + SESSION_LENGTH,
                description=session.notes, url=url, school=s,
            )
            if session.sprint_id and session.sprint_id not in aligned:
                yield CalendarEvent(
                    uid=f"alignment-pre-forum-{session.sprint_id}@warmeveranderen",
                    summary=_("Afstemming met het bestuursteam vóór het forum (%(school)s)", school=s.name),
                    start=calendars.setdefault(s.id, calendar_for(s)).subtract_school_days(
                        to_local(session.starts_at).date(), days),
                    url=url_for("sprints.sprint", sprint_id=session.sprint_id), school=s,
                )
        deadline_schools = [
            s.id for s in schools
            if school is not None or roles_in(user, s) & {FORUM, FLYWHEEL}
        ]
        if not deadline_schools:
            return
        rounds = db.session.scalars(
            db.select(AdviceRound)
            .where(AdviceRound.school_id.in_(deadline_schools), AdviceRound.deadline >= since)
            .order_by(AdviceRound.deadline, AdviceRound.id)
        ).all()
        for advice_round in rounds:
            s = by_id[advice_round.school_id]
            yield CalendarEvent(
                uid=f"advice-deadline-{advice_round.id}@warmeveranderen",
                summary=_("Adviesdeadline: %(title)s (%(school)s)", title=advice_round.subject_title, school=s.name),
                start=advice_round.deadline - timedelta(minutes=30), end=advice_round.deadline,
                description=advice_round.question,
                url=url_for("forum.round", school_id=s.id, round_id=advice_round.id), school=s,
            )
