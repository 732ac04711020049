"""What the forum reads: members, sessions, rounds, the overview and the reminders' queries.

Nothing here changes state; the writes are in `forum/services.py`, the decision archive's search in
`forum/archive.py`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM, STAKEHOLDER_GROUPS
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import (
    Advice,
    AdviceResponse,
    AdviceRound,
    Decision,
    ForumAttendance,
    ForumSession,
    RoundComment,
    RoundGuest,
)
from warmeveranderen.forum.subjects import SUBJECT_KINDS, load_subject
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.programme.services import school_advisers
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.sprints.queries import sprints_of
from warmeveranderen.sprints.schooltime import calendar_for, forum_day
from warmeveranderen.timeutil import BRUSSELS, utcnow

# Who can be in the room: the stakeholder groups plus the flywheel and the supporting adviser.
ATTENDANCE_GROUPS = {
    **STAKEHOLDER_GROUPS,
    "flywheel": _l("Vliegwiel"),
    "adviser": _l("Begeleiding (adviseur)"),
}
# A stakeholder group with fewer members than this is "thin" on the composition page.
THIN_GROUP_BELOW = 2
# The evening hour (Brussels) proposed for a forum session.
SESSION_HOUR = time(19, 0)


# --- time -------------------------------------------------------------------------------------


def local_to_utc(day: date, at: time) -> datetime:
    """A Brussels date and time as the naive UTC datetime we store."""
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime) -> datetime:
    """A stored naive UTC datetime in Brussels time (aware)."""
    return value.replace(tzinfo=UTC).astimezone(BRUSSELS)


def proposed_session_start(sprint) -> datetime:
    """The sprint's forum day (its last school day, never a holiday or free day) at 19:00 Brussels, in UTC."""
    return local_to_utc(forum_day(calendar_for(sprint.school), sprint), SESSION_HOUR)


# --- the forum's members ------------------------------------------------------------------------


def forum_memberships(school: School) -> list[Membership]:
    return db.session.scalars(
        db.select(Membership)
        .where(Membership.school_id == school.id, Membership.role == FORUM)
        .options(joinedload(Membership.user))
    ).all()


def forum_users(school: School) -> list[User]:
    return [m.user for m in forum_memberships(school)]


@dataclass
class GroupComposition:
    code: str
    label: str
    members: list[Membership]

    @property
    def status(self) -> str:
        if not self.members:
            return "missing"
        return "thin" if len(self.members) < THIN_GROUP_BELOW else "ok"


def composition(school: School) -> list[GroupComposition]:
    """The forum's members per stakeholder group, in the vocabulary's order."""
    by_group: dict[str, list[Membership]] = defaultdict(list)
    for m in forum_memberships(school):
        by_group[m.stakeholder_group or "staff"].append(m)
    return [
        GroupComposition(code, str(label), sorted(by_group.get(code, []), key=lambda m: m.user.name.lower()))
        for code, label in STAKEHOLDER_GROUPS.items()
    ]


# --- sessions and minutes -----------------------------------------------------------------------


def sessions_of(school: School) -> list[ForumSession]:
    return db.session.scalars(
        db.select(ForumSession)
        .where(ForumSession.school_id == school.id)
        .options(selectinload(ForumSession.sprint), selectinload(ForumSession.rounds))
        .order_by(ForumSession.starts_at.desc())
    ).all()


# A session that began less than this long ago is still the next one (it may be going on).
SESSION_STILL_NEXT = timedelta(hours=4)


def sprints_without_session(school: School) -> list:
    """The school's not yet closed sprints that have no forum session yet."""
    planned = set(db.session.scalars(
        db.select(ForumSession.sprint_id).where(ForumSession.school_id == school.id, ForumSession.sprint_id.is_not(None))
    ))
    return [s for s in sprints_of(school) if s.id not in planned and s.state != "closed"]


def attendance_candidates(school: School) -> list[tuple[User, str]]:
    """Who may be ticked as present: forum members (their group), the flywheel, the director, advisers."""
    seen: dict[int, tuple[User, str]] = {}
    memberships = db.session.scalars(
        db.select(Membership).where(Membership.school_id == school.id).options(selectinload(Membership.user))
    ).all()
    order = {FORUM: 0, FLYWHEEL: 1, DIRECTOR: 2}
    for m in sorted(memberships, key=lambda m: order.get(m.role, 3)):
        if m.user_id in seen:
            continue
        if m.role == FORUM:
            seen[m.user_id] = (m.user, m.stakeholder_group or "staff")
        elif m.role == FLYWHEEL:
            seen[m.user_id] = (m.user, "flywheel")
        elif m.role == DIRECTOR:
            seen[m.user_id] = (m.user, "leadership")
    for adviser in school_advisers(school):
        seen.setdefault(adviser.id, (adviser, "adviser"))
    return sorted(seen.values(), key=lambda pair: (list(ATTENDANCE_GROUPS).index(pair[1]), pair[0].name.lower()))


def attendance_by_group(session: ForumSession) -> list[dict]:
    """Per attendance group: the people present and the extra attendees counted; only non-empty groups."""
    people: dict[str, list[User]] = defaultdict(list)
    for a in session.attendance:
        people[a.group].append(a.user)
    counts = {g.group: g.count for g in session.guests}
    rows = []
    for code, label in ATTENDANCE_GROUPS.items():
        names = sorted(people.get(code, []), key=lambda u: u.name.lower())
        extra = counts.get(code, 0)
        if names or extra:
            rows.append({"code": code, "label": str(label), "people": names, "guests": extra,
                         "total": len(names) + extra})
    return rows


def load_session(session_id: int) -> ForumSession | None:
    return db.session.scalar(
        db.select(ForumSession)
        .where(ForumSession.id == session_id)
        .options(
            selectinload(ForumSession.rounds).selectinload(AdviceRound.advice),
            selectinload(ForumSession.rounds).selectinload(AdviceRound.decisions),
            selectinload(ForumSession.attendance).selectinload(ForumAttendance.user),
            selectinload(ForumSession.guests),
            selectinload(ForumSession.sprint).selectinload(Sprint.checkpoints),
        )
    )


# --- advice rounds ----------------------------------------------------------------------------


def unanswered_objections(advice_round: AdviceRound) -> list[Advice]:
    """Every objection still without an answer (each one gets one, seed 001)."""
    return [a for a in advice_round.advice if a.stance == "objection" and a.response is None]


def blocking_objections(advice_round: AdviceRound) -> list[Advice]:
    """The principled objections without an answer: they stop the decision (personal ones do not)."""
    return [a for a in unanswered_objections(advice_round) if a.is_principled_objection]


def load_round(round_id: int) -> AdviceRound | None:
    """A round with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        db.select(AdviceRound)
        .where(AdviceRound.id == round_id)
        .options(  # each collection in a statement of its own, the people and the session joined to it
            selectinload(AdviceRound.advice).joinedload(Advice.author),
            selectinload(AdviceRound.advice).selectinload(Advice.response).joinedload(AdviceResponse.author),
            selectinload(AdviceRound.comments).joinedload(RoundComment.author),
            selectinload(AdviceRound.guests).joinedload(RoundGuest.user),
            selectinload(AdviceRound.decisions).joinedload(Decision.decided_by),
            joinedload(AdviceRound.session),
        )
    )


def rounds_of(school: School, *, undecided_only: bool = False) -> list[AdviceRound]:
    query = (
        db.select(AdviceRound)
        .where(AdviceRound.school_id == school.id)
        .options(
            # One statement: a round has a few dozen pieces of advice, at most a decision or two.
            joinedload(AdviceRound.advice).joinedload(Advice.response),
            joinedload(AdviceRound.decisions),
            joinedload(AdviceRound.session),
        )
        .order_by(AdviceRound.deadline)
    )
    if undecided_only:
        query = query.where(~AdviceRound.decisions.any())
    return db.session.scalars(query).unique().all()


def rounds_about(subject_kind: str, subject_id: int) -> list[AdviceRound]:
    """Every advice round about one subject with its advice and decisions, newest first (three queries)."""
    return db.session.scalars(
        db.select(AdviceRound)
        .where(AdviceRound.subject_kind == subject_kind, AdviceRound.subject_id == subject_id)
        .options(selectinload(AdviceRound.advice), selectinload(AdviceRound.decisions))
        .order_by(AdviceRound.opened_at.desc(), AdviceRound.id.desc())
    ).all()


def responses_per_group(advice_round: AdviceRound, members: list[Membership]) -> list[dict]:
    """How many members of each stakeholder group advised, out of how many members."""
    member_count: dict[str, int] = defaultdict(int)
    for m in members:
        member_count[m.stakeholder_group or "staff"] += 1
    advised: dict[str, int] = defaultdict(int)
    for a in advice_round.advice:
        advised[a.stakeholder_group or "staff"] += 1
    return [
        {"code": code, "label": str(label), "advised": advised.get(code, 0), "members": member_count.get(code, 0)}
        for code, label in STAKEHOLDER_GROUPS.items()
        if member_count.get(code) or advised.get(code)
    ]


def overview(school: School, user: User, now: datetime | None = None) -> dict:
    """The forum page: open rounds with responses per group, rounds awaiting a response or
    decision, sessions, recent decisions and what is ready for the agenda."""
    now = now or utcnow()
    members = forum_memberships(school)
    undecided = rounds_of(school, undecided_only=True)
    open_rounds = [r for r in undecided if r.is_open(now)]
    closed = [r for r in undecided if not r.is_open(now)]
    mine = {a.round_id for r in open_rounds for a in r.advice if a.author_id == user.id}
    recent = db.session.scalars(
        db.select(Decision).where(Decision.school_id == school.id)
        .options(selectinload(Decision.decided_by)).order_by(Decision.decided_at.desc()).limit(5)
    ).all()
    return {
        "members": members,
        "open_rounds": [(r, responses_per_group(r, members), r.id in mine) for r in open_rounds],
        "awaiting": [(r, sum(1 for a in r.advice if a.response is None)) for r in closed],
        "sessions": sessions_of(school),
        "recent_decisions": recent,
        "candidates": agenda_candidates(school, {(r.subject_kind, r.subject_id) for r in undecided}),
    }


def agenda_candidates(school: School, busy: set[tuple[str, int]] | None = None) -> list[tuple[str, object, str]]:
    """(kind, subject, title) of every registered subject that is ready for the forum and has no
    round without decision yet (`busy`: those rounds' (kind, subject id), when the caller has them)."""
    if busy is None:
        busy = set(db.session.execute(
            db.select(AdviceRound.subject_kind, AdviceRound.subject_id)
            .where(AdviceRound.school_id == school.id, ~AdviceRound.decisions.any())
        ).all())
    result = []
    for kind in SUBJECT_KINDS.values():
        if kind.candidates is None:
            continue
        for subject in kind.candidates(school):
            if (kind.kind, subject.id) not in busy:
                result.append((kind.kind, subject, kind.title(subject)))
    return result


def _has_open_round(subject_kind: str, subject_id: int) -> bool:
    return db.session.scalar(
        db.select(AdviceRound.id)
        .where(AdviceRound.subject_kind == subject_kind, AdviceRound.subject_id == subject_id,
               ~AdviceRound.decisions.any())
        .limit(1)
    ) is not None


def round_subjects(school: School, wanted_kind: str | None = None,
                   wanted_id: int | None = None) -> dict[str, tuple[str, int, str]]:
    """What a new round can be about, as {"kind:id": (kind, id, title)}: the agenda candidates, plus
    the subject asked for when it exists and belongs to this school."""
    options = {f"{kind}:{subject.id}": (kind, subject.id, title) for kind, subject, title in agenda_candidates(school)}
    if wanted_kind and wanted_id and not _has_open_round(wanted_kind, wanted_id):
        registered, subject = load_subject(wanted_kind, wanted_id)
        if registered is not None and subject is not None and registered.school(subject).id == school.id:
            options.setdefault(f"{wanted_kind}:{wanted_id}", (wanted_kind, wanted_id, registered.title(subject)))
    return options


# --- pure queries for the reminders (issue 7) --------------------------------------------------


def rounds_with_deadline_between(start: datetime, end: datetime) -> list[AdviceRound]:
    """Undecided rounds whose advice deadline falls in [start, end) (naive UTC)."""
    return db.session.scalars(
        db.select(AdviceRound)
        .where(AdviceRound.deadline >= start, AdviceRound.deadline < end, ~AdviceRound.decisions.any())
        .options(selectinload(AdviceRound.school))
        .order_by(AdviceRound.deadline)
    ).all()


def members_without_advice(advice_round: AdviceRound) -> list[User]:
    """The school's forum members who have not (yet) advised in this round."""
    advised = db.select(Advice.author_id).where(Advice.round_id == advice_round.id)
    return db.session.scalars(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == advice_round.school_id, Membership.role == FORUM,
               User.id.not_in(advised))
        .order_by(User.name)
    ).all()


def closed_rounds_awaiting(days: int, now: datetime | None = None, since: datetime | None = None) -> list[AdviceRound]:
    """Rounds closed at least `days` ago (and, with `since`, not before it) that still have no decision."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    window = (AdviceRound.deadline >= since,) if since is not None else ()
    return db.session.scalars(
        db.select(AdviceRound)
        .where(AdviceRound.deadline <= cutoff, *window, ~AdviceRound.decisions.any())
        .options(selectinload(AdviceRound.school))
        .order_by(AdviceRound.deadline)
    ).all()


def sessions_between(start: datetime, end: datetime) -> list[ForumSession]:
    """Forum sessions starting in [start, end) (naive UTC), with their school."""
    return db.session.scalars(
        db.select(ForumSession)
        .where(ForumSession.starts_at >= start, ForumSession.starts_at < end)
        .options(selectinload(ForumSession.school), selectinload(ForumSession.sprint))
        .order_by(ForumSession.starts_at)
    ).all()
