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

from collections import defaultdict
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment_long
from warmeveranderen.forum.models import Advice, AdviceResponse, AdviceRound, ForumSession
from warmeveranderen.forum.permissions import can_view_forum, owners_of
from warmeveranderen.forum.queries import closed_rounds_awaiting, rounds_with_deadline_between, sessions_between
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import (
    RECIPIENT_COLUMNS,
    Recipient,
    advisers_by_school,
    members_by_school,
    roles_in,
    schools_seen_by,
)
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
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


@reminder_rule("forum_session_soon", CATEGORY, description="Forumbijeenkomst binnen twee weken: afstemmen en agenda")
def forum_session_soon(now):
    """The trekker and the director, `forum_session_days` before a session, unless the pre-forum
    alignment is recorded and the agenda holds an item already."""
    days = offset("forum_session_days")
    sessions = sessions_between(max(now, now + timedelta(days=days - lookback())), now + timedelta(days=days))
    if not sessions:
        return
    ids = [s.id for s in sessions]
    with_agenda = set(db.session.scalars(
        db.select(AdviceRound.session_id).where(AdviceRound.session_id.in_(ids)).distinct()
    ))
    sprint_ids = [s.sprint_id for s in sessions if s.sprint_id]
    aligned = set(db.session.scalars(
        db.select(Checkpoint.sprint_id).where(Checkpoint.sprint_id.in_(sprint_ids), Checkpoint.kind == "pre_forum")
    )) if sprint_ids else set()
    todo = [s for s in sessions if not (s.id in with_agenda and s.sprint_id in aligned)]
    people = members_by_school({s.school_id for s in todo}, FLYWHEEL, lead_only=True)
    for school_id, directors in members_by_school({s.school_id for s in todo}, DIRECTOR).items():
        for user in directors:
            if user not in people[school_id]:
                people[school_id].append(user)
    for session, user, key, when in not_yet_sent(
        "forum_session_soon", todo, key=lambda s: f"forum-session-{s.id}",
        occurrence=lambda s: f"session-{_occurrence(s.starts_at)}", recipients=lambda s: people.get(s.school_id, []),
    ):
        with in_locale(user):
            missing = []
            if session.sprint_id not in aligned:
                missing.append(_("stem af met het bestuursteam"))
            if session.id not in with_agenda:
                missing.append(_("publiceer de agenda"))
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=session.school,
                title=_("Forumbijeenkomst op %(when)s: %(todo)s", when=_when(session.starts_at),
                        todo=", ".join(missing)),
                body=_("Het forum komt samen op %(when)s (%(school)s). Stem de initiatieven vooraf af met het "
                       "bestuursteam en zet ze met een adviesvraag op de agenda, zodat de forumleden zich "
                       "kunnen voorbereiden.", when=_when(session.starts_at), school=session.school.name),
                url=url_for("forum.session", school_id=session.school_id, session_id=session.id),
            )


@reminder_rule("advice_deadline_soon", CATEGORY, description="Adviesdeadline binnen twee dagen")
def advice_deadline_soon(now):
    """Forum members who have not advised yet, `advice_deadline_days` before a round's deadline."""
    rounds = [r for r in rounds_with_deadline_between(now, now + timedelta(days=offset("advice_deadline_days")))]
    if not rounds:
        return
    advised = defaultdict(set)
    for round_id, author_id in db.session.execute(
        db.select(Advice.round_id, Advice.author_id).where(Advice.round_id.in_([r.id for r in rounds]))
    ):
        advised[round_id].add(author_id)
    members = members_by_school({r.school_id for r in rounds}, FORUM)
    for advice_round, user, key, when in not_yet_sent(
        "advice_deadline_soon", rounds, key=lambda r: f"advice-round-{r.id}",
        occurrence=lambda r: f"deadline-{_occurrence(r.deadline)}",
        recipients=lambda r: [u for u in members.get(r.school_id, []) if u.id not in advised[r.id]],
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=advice_round.school,
                title=_("Geef je advies over %(title)s vóór %(when)s", title=advice_round.subject_title,
                        when=_when(advice_round.deadline)),
                body=_("Het vliegwiel vraagt het forum om advies: %(question)s", question=advice_round.question),
                url=url_for("forum.round", school_id=advice_round.school_id, round_id=advice_round.id),
            )


def _unanswered(rounds: list[AdviceRound]) -> dict[int, int]:
    """round id -> the number of pieces of advice without a response."""
    if not rounds:
        return {}
    rows = db.session.execute(
        db.select(Advice.round_id, db.func.count(Advice.id))
        .outerjoin(AdviceResponse, AdviceResponse.advice_id == Advice.id)
        .where(Advice.round_id.in_([r.id for r in rounds]), AdviceResponse.id.is_(None))
        .group_by(Advice.round_id)
    )
    return dict(rows.all())


def _owners(rounds: list[AdviceRound]) -> dict[int, list]:
    """round id -> the owners of its subject: initiatives in one query, other kinds through their loader."""
    found: dict[int, list[User]] = {}
    initiative_ids = [r.subject_id for r in rounds if r.subject_kind == "initiative"]
    owners = {
        row.initiative_id: Recipient.from_row(row)
        for row in db.session.execute(
            db.select(Initiative.id.label("initiative_id"), *RECIPIENT_COLUMNS)
            .join(User, User.id == Initiative.owner_id)
            .where(Initiative.id.in_(initiative_ids), User.active.is_(True))
        )
    } if initiative_ids else {}
    for r in rounds:
        if r.subject_kind == "initiative":
            found[r.id] = [owners[r.subject_id]] if r.subject_id in owners else []
        else:
            found[r.id] = [u for u in owners_of(r) if u.is_active]
    return found


def _closed_rounds(now, days: int) -> list[AdviceRound]:
    return closed_rounds_awaiting(days, now, since=now - timedelta(days=days + lookback()))


def _closed_due(rule: str, rounds, people, now):
    unanswered = _unanswered(rounds)
    for advice_round, user, key, when in not_yet_sent(
        rule, rounds, key=lambda r: f"advice-round-{r.id}", occurrence=lambda r: f"closed-{_occurrence(r.deadline)}",
        recipients=lambda r: people.get(r.id, []),
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=advice_round.school,
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
    rounds = _closed_rounds(now, offset("advice_closed_owner_days"))
    owners = _owners(rounds)
    leads = members_by_school({r.school_id for r in rounds if not owners.get(r.id)}, FLYWHEEL, lead_only=True)
    people = {r.id: owners.get(r.id) or leads.get(r.school_id, []) for r in rounds}
    yield from _closed_due("advice_closed_owner", rounds, people, now)


@reminder_rule("advice_closed_adviser", CATEGORY, description="Afgesloten adviesronde zonder besluit: de adviseur volgt op")
def advice_closed_adviser(now):
    """The school's advisers, `advice_closed_adviser_days` after the deadline, while no decision is recorded."""
    rounds = _closed_rounds(now, offset("advice_closed_adviser_days"))
    advisers = advisers_by_school({r.school for r in rounds})
    people = {r.id: advisers.get(r.school_id, []) for r in rounds}
    yield from _closed_due("advice_closed_adviser", rounds, people, now)


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
