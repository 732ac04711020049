"""The forum's operations: the only place in this feature that changes state and commits.

The rule is *initiatiefrecht mits adviesplicht*: the flywheel takes initiatives, asks the forum for
advice (a round with a question and a deadline), responds to the advice and records a decision
with its reasons; everyone who advised, and the forum, is told. Every rule is enforced here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    ADVICE_STANCES,
    DECISION_OUTCOMES,
    DIRECTOR,
    FLYWHEEL,
    FORUM,
    STAKEHOLDER_GROUPS,
)
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import (
    Advice,
    AdviceResponse,
    AdviceRound,
    Decision,
    ForumAttendance,
    ForumGuests,
    ForumSession,
    RoundComment,
)
from warmeveranderen.forum.permissions import can_decide, can_manage_forum, is_forum_member
from warmeveranderen.forum.subjects import load_subject
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.timeutil import BRUSSELS, utcnow
from warmeveranderen.uow import ServiceError

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
NOTIFY_CATEGORY = "forum"


class ForumError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- time -------------------------------------------------------------------------------------


def local_to_utc(day: date, at: time) -> datetime:
    """A Brussels date and time as the naive UTC datetime we store."""
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime) -> datetime:
    """A stored naive UTC datetime in Brussels time (aware)."""
    return value.replace(tzinfo=UTC).astimezone(BRUSSELS)


def proposed_session_start(sprint) -> datetime:
    """The sprint's last day (the Friday before, if it ends in a weekend) at 19:00 Brussels, in UTC."""
    day = sprint.end_date
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return local_to_utc(day, SESSION_HOUR)


def _when(value: datetime) -> str:
    return format_datetime(value, "d MMM y HH:mm")


# --- the forum's members ------------------------------------------------------------------------


def forum_memberships(school: School) -> list[Membership]:
    return db.session.scalars(
        db.select(Membership)
        .where(Membership.school_id == school.id, Membership.role == FORUM)
        .options(selectinload(Membership.user))
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


# --- sessions ---------------------------------------------------------------------------------


def _check_session_fields(starts_at: datetime | None, location: str, online_url: str) -> None:
    if starts_at is None:
        raise ForumError(_("Kies de datum en het uur van de bijeenkomst."), "day")
    if not (location or "").strip() and not (online_url or "").strip():
        raise ForumError(_("Vul een locatie of een link voor de online bijeenkomst in."), "location")
    if online_url and not online_url.strip().lower().startswith(("https://", "http://")):
        raise ForumError(_("Een online link begint met https://."), "online_url")


def plan_session(
    school: School, *, starts_at: datetime, location: str = "", online_url: str = "",
    notes: str = "", sprint=None, by: User,
) -> ForumSession:
    """Plan a forum session; at most one per sprint."""
    _check_session_fields(starts_at, location, online_url)
    if sprint is not None:
        if sprint.school_id != school.id:
            raise ForumError(_("Deze sprint hoort niet bij deze school."), "sprint_id")
        existing = db.session.scalar(db.select(ForumSession.id).where(ForumSession.sprint_id == sprint.id))
        if existing is not None:
            raise ForumError(_("Sprint %(n)s heeft al een forumbijeenkomst.", n=sprint.number), "sprint_id")
    session = ForumSession(
        school=school, sprint=sprint, starts_at=starts_at, location=location.strip(),
        online_url=online_url.strip(), notes=notes.strip(), created_by=by,
    )
    db.session.add(session)
    db.session.commit()
    return session


def update_session(session: ForumSession, *, starts_at: datetime, location: str, online_url: str, notes: str) -> None:
    _check_session_fields(starts_at, location, online_url)
    session.starts_at = starts_at
    session.location = location.strip()
    session.online_url = online_url.strip()
    session.notes = notes.strip()
    db.session.commit()


def sessions_of(school: School) -> list[ForumSession]:
    return db.session.scalars(
        db.select(ForumSession)
        .where(ForumSession.school_id == school.id)
        .options(selectinload(ForumSession.sprint), selectinload(ForumSession.rounds))
        .order_by(ForumSession.starts_at.desc())
    ).all()


def next_session(school: School, now: datetime | None = None) -> ForumSession | None:
    return db.session.scalar(
        db.select(ForumSession)
        .where(ForumSession.school_id == school.id, ForumSession.starts_at >= (now or utcnow()) - timedelta(hours=4))
        .order_by(ForumSession.starts_at)
        .limit(1)
    )


def sprints_without_session(school: School) -> list:
    """The school's not yet closed sprints that have no forum session yet."""
    from warmeveranderen.sprints.services import sprints_of

    planned = set(db.session.scalars(
        db.select(ForumSession.sprint_id).where(ForumSession.school_id == school.id, ForumSession.sprint_id.is_not(None))
    ))
    return [s for s in sprints_of(school) if s.id not in planned and s.state != "closed"]


# --- advice rounds ----------------------------------------------------------------------------


def open_round(
    subject_kind: str,
    subject_id: int,
    question: str,
    deadline: datetime | None,
    session: ForumSession | None = None,
    *,
    opened_by: User,
    background: str = "",
    now: datetime | None = None,
) -> AdviceRound:
    """Put a subject to the forum: a question and a deadline, on a session's agenda or in between.

    The forum members are told in-app. Refused (ForumError) for an unknown or foreign subject, an
    empty question, a deadline in the past, or a subject that already has a round without decision.
    """
    now = now or utcnow()
    kind, subject = load_subject(subject_kind, subject_id)
    if kind is None or subject is None:
        raise ForumError(_("Dit onderwerp bestaat niet (meer)."))
    school = kind.school(subject)
    if not can_manage_forum(opened_by, school):
        raise ForumError(_("Alleen het vliegwiel of de directie legt iets voor aan het forum."))
    question = (question or "").strip()
    if not question:
        raise ForumError(_("Formuleer de adviesvraag: waarover wil je advies?"), "question")
    if deadline is None:
        raise ForumError(_("Kies een uiterste datum voor het advies."), "deadline_day")
    if deadline <= now:
        raise ForumError(_("De uiterste datum voor het advies moet in de toekomst liggen."), "deadline_day")
    if session is not None and session.school_id != school.id:
        raise ForumError(_("Deze bijeenkomst hoort niet bij deze school."), "session_id")
    undecided = db.session.scalar(
        db.select(AdviceRound.id)
        .where(AdviceRound.subject_kind == subject_kind, AdviceRound.subject_id == subject_id,
               ~AdviceRound.decisions.any())
        .limit(1)
    )
    if undecided is not None:
        raise ForumError(_("Over dit onderwerp loopt al een adviesronde zonder besluit."))
    if kind.can_open is not None:
        refusal = kind.can_open(subject)
        if refusal:
            raise ForumError(refusal)
    position = 0
    if session is not None:
        position = 1 + max((r.position for r in session.rounds), default=0)
    advice_round = AdviceRound(
        school=school, subject_kind=subject_kind, subject_id=subject_id,
        subject_title=kind.title(subject)[:255], question=question, background=(background or "").strip(),
        deadline=deadline, session=session, position=position, opened_by=opened_by, opened_at=now,
    )
    db.session.add(advice_round)
    db.session.flush()
    url = url_for("forum.round", school_id=school.id, round_id=advice_round.id)
    for user in forum_users(school):
        with force_locale(user.locale):
            notify([user], category=NOTIFY_CATEGORY, school=school, url=url,
                   title=_("Adviesvraag: %(title)s", title=advice_round.subject_title),
                   body=_("Geef je advies vóór %(deadline)s.", deadline=_when(deadline)))
    _run_hook(kind.on_opened, subject, advice_round)
    db.session.commit()
    return advice_round


def _run_hook(hook, subject, record) -> None:
    """Call a subject kind's hook; a refusal undoes the whole action (hooks may commit it)."""
    if hook is None:
        return
    try:
        hook(subject, record)
    except ForumError:
        db.session.rollback()
        raise


def give_advice(advice_round: AdviceRound, user: User, stance: str | None, reasoning: str,
                now: datetime | None = None) -> Advice:
    """Give or revise one's advice until the deadline. Only the school's forum members advise."""
    now = now or utcnow()
    school = advice_round.school
    if not is_forum_member(user, school):
        if getattr(user, "is_adviser", False):
            raise ForumError(_("Als adviseur ondersteun je het forum: je kunt een opmerking plaatsen, "
                               "maar geen advies geven."))
        raise ForumError(_("Alleen forumleden van deze school kunnen advies geven."))
    if advice_round.decisions:
        raise ForumError(_("Over dit onderwerp is al beslist; advies geven kan niet meer."))
    if not advice_round.is_open(now):
        raise ForumError(_("De termijn voor advies liep af op %(deadline)s; je advies is niet meer "
                           "toegevoegd.", deadline=_when(advice_round.deadline)))
    if stance not in ADVICE_STANCES:
        raise ForumError(_("Kies je standpunt: steun, steun met bedenkingen of bezwaar."), "stance")
    reasoning = (reasoning or "").strip()
    if stance != "support" and not reasoning:
        raise ForumError(_("Licht je bedenkingen of je bezwaar toe, zodat het vliegwiel ermee aan de slag kan."),
                         "reasoning")
    membership = user.membership(school, FORUM)
    advice = db.session.scalar(
        db.select(Advice).where(Advice.round_id == advice_round.id, Advice.author_id == user.id)
    )
    if advice is None:
        advice = Advice(round=advice_round, author=user, created_at=now)
        db.session.add(advice)
    else:
        advice.revisions += 1
    advice.stance = stance
    advice.reasoning = reasoning
    advice.stakeholder_group = membership.stakeholder_group if membership else None
    advice.updated_at = now
    db.session.commit()
    return advice


def add_comment(advice_round: AdviceRound, user: User, body: str) -> RoundComment:
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Schrijf eerst je opmerking."), "body")
    comment = RoundComment(round=advice_round, author=user, body=body)
    db.session.add(comment)
    db.session.commit()
    return comment


def respond(advice: Advice, user: User, body: str, now: datetime | None = None) -> AdviceResponse:
    """The initiator's answer to one piece of advice: after the deadline, before the decision."""
    now = now or utcnow()
    advice_round = advice.round
    if not can_decide(user, advice_round):
        raise ForumError(_("Alleen de eigenaar van het initiatief of de trekker reageert op het advies."))
    if advice_round.is_open(now):
        raise ForumError(_("Het forum kan nog advies geven tot %(deadline)s; reageer daarna.",
                           deadline=_when(advice_round.deadline)))
    if advice_round.decisions:
        raise ForumError(_("Het besluit is al genomen; de antwoorden liggen vast."))
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Schrijf wat je met dit advies doet."), "body")
    response = advice.response
    if response is None:
        response = AdviceResponse(advice=advice, body=body, author=user, created_at=now, updated_at=now)
        db.session.add(response)
    else:
        response.body = body
        response.author = user
        response.updated_at = now
    db.session.commit()
    return response


def unanswered_objections(advice_round: AdviceRound) -> list[Advice]:
    return [a for a in advice_round.advice if a.stance == "objection" and a.response is None]


def decide(advice_round: AdviceRound, user: User, outcome: str | None, reasons: str,
           corrects: Decision | None = None, now: datetime | None = None) -> Decision:
    """Record the decision (or a correction of the decision in force) and tell everyone involved.

    Refused before the deadline, without a response to every bezwaar, without reasons, by anyone
    but the initiator or the trekker, and when a decision is in force and this is no correction.
    """
    now = now or utcnow()
    if not can_decide(user, advice_round):
        raise ForumError(_("Alleen de eigenaar van het initiatief of de trekker neemt het besluit."))
    if advice_round.is_open(now):
        raise ForumError(_("De adviesronde loopt nog tot %(deadline)s; je kunt pas daarna beslissen.",
                           deadline=_when(advice_round.deadline)))
    missing = unanswered_objections(advice_round)
    if missing:
        raise ForumError(_("Reageer eerst op elk bezwaar: nog %(n)s zonder antwoord (%(names)s).",
                           n=len(missing), names=", ".join(a.author.name for a in missing)))
    if outcome not in DECISION_OUTCOMES:
        raise ForumError(_("Kies het besluit: aannemen, bijsturen, uitstellen of laten vallen."), "outcome")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ForumError(_("Motiveer het besluit: waarom beslis je zo?"), "reasons")
    current = advice_round.current_decision
    if current is not None and (corrects is None or corrects.id != current.id):
        raise ForumError(_("Er is al een besluit. Een besluit wordt niet gewijzigd: registreer een correctie "
                           "op het geldende besluit."))
    if current is None and corrects is not None:
        raise ForumError(_("Er is nog geen besluit om te corrigeren."))
    kind, subject = load_subject(advice_round.subject_kind, advice_round.subject_id)
    blocks = kind.building_blocks(subject) if kind and subject is not None and kind.building_blocks else []
    sprint_id = kind.sprint_id(subject) if kind and subject is not None and kind.sprint_id else None
    if sprint_id is None and advice_round.session is not None:
        sprint_id = advice_round.session.sprint_id
    decision = Decision(
        round=advice_round, school_id=advice_round.school_id, outcome=outcome, reasons=reasons,
        decided_by=user, decided_at=now, corrects=corrects,
        subject_kind=advice_round.subject_kind, subject_title=advice_round.subject_title,
        sprint_id=sprint_id, building_block=blocks[0] if blocks else None,
        secondary_block=blocks[1] if len(blocks) > 1 else None,
    )
    db.session.add(decision)
    db.session.flush()
    _tell_decision(advice_round, decision)
    if kind is not None and subject is not None and corrects is None:
        _run_hook(kind.on_decided, subject, decision)
    db.session.commit()
    return decision


def _tell_decision(advice_round: AdviceRound, decision: Decision) -> None:
    """Everyone who advised, the whole forum and the flywheel hear the decision, in their language."""
    school = advice_round.school
    people = {a.author.id: a.author for a in advice_round.advice}
    for m in db.session.scalars(
        db.select(Membership).where(Membership.school_id == school.id, Membership.role.in_((FORUM, FLYWHEEL)))
        .options(selectinload(Membership.user))
    ):
        people.setdefault(m.user.id, m.user)
    url = url_for("forum.round", school_id=school.id, round_id=advice_round.id)
    for user in people.values():
        if user.id == decision.decided_by_id:
            continue
        with force_locale(user.locale):
            outcome = str(DECISION_OUTCOMES[decision.outcome])
            if decision.corrects_id:
                title = _("Besluit gecorrigeerd over %(title)s: %(outcome)s", title=advice_round.subject_title,
                          outcome=outcome)
            else:
                title = _("Besluit over %(title)s: %(outcome)s", title=advice_round.subject_title, outcome=outcome)
            body = _("Lees wat er met het advies van het forum gebeurde.")
        notify([user], category=NOTIFY_CATEGORY, school=school, url=url, title=title, body=body)


def load_round(round_id: int) -> AdviceRound | None:
    """A round with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        db.select(AdviceRound)
        .where(AdviceRound.id == round_id)
        .options(
            selectinload(AdviceRound.advice).selectinload(Advice.author),
            selectinload(AdviceRound.advice).selectinload(Advice.response).selectinload(AdviceResponse.author),
            selectinload(AdviceRound.comments).selectinload(RoundComment.author),
            selectinload(AdviceRound.decisions).selectinload(Decision.decided_by),
            selectinload(AdviceRound.session),
        )
    )


# --- minutes ----------------------------------------------------------------------------------


def attendance_candidates(school: School) -> list[tuple[User, str]]:
    """Who may be ticked as present: forum members (their group), the flywheel, the director, advisers."""
    from warmeveranderen.programme.services import school_advisers

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


def record_minutes(session: ForumSession, by: User, *, summary: str, present_user_ids: list[int],
                   guests: dict[str, int], item_notes: dict[int, str], now: datetime | None = None) -> None:
    """Write the session's minutes: who attended (by group), a summary and a note per agenda item."""
    now = now or utcnow()
    if now < session.starts_at:
        raise ForumError(_("De bijeenkomst heeft nog niet plaatsgevonden; het verslag volgt erna."))
    summary = (summary or "").strip()
    if not summary:
        raise ForumError(_("Schrijf een korte samenvatting van de bijeenkomst."), "summary")
    for group, count in guests.items():
        if group not in ATTENDANCE_GROUPS or count is None or count < 0:
            raise ForumError(_("Het aantal aanwezigen per groep is een positief getal."), "guests")
    candidates = {user.id: group for user, group in attendance_candidates(session.school)}
    session.attendance.clear()
    db.session.flush()
    for user_id in dict.fromkeys(present_user_ids):
        if user_id in candidates:
            session.attendance.append(ForumAttendance(user_id=user_id, group=candidates[user_id]))
    existing = {g.group: g for g in session.guests}
    for group, count in guests.items():
        if group in existing:
            existing[group].count = count
        elif count:
            session.guests.append(ForumGuests(group=group, count=count))
    for advice_round in session.rounds:
        if advice_round.id in item_notes:
            advice_round.session_note = (item_notes[advice_round.id] or "").strip()
    session.minutes_summary = summary
    session.minutes_recorded_at = now
    session.minutes_recorded_by = by
    db.session.commit()


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


# --- overview ---------------------------------------------------------------------------------


def rounds_of(school: School, *, undecided_only: bool = False) -> list[AdviceRound]:
    query = (
        db.select(AdviceRound)
        .where(AdviceRound.school_id == school.id)
        .options(
            selectinload(AdviceRound.advice).selectinload(Advice.response),
            selectinload(AdviceRound.decisions),
            selectinload(AdviceRound.session),
        )
        .order_by(AdviceRound.deadline)
    )
    if undecided_only:
        query = query.where(~AdviceRound.decisions.any())
    return db.session.scalars(query).all()


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
        "candidates": agenda_candidates(school),
    }


def agenda_candidates(school: School) -> list[tuple[str, object, str]]:
    """(kind, subject, title) of every registered subject that is ready for the forum and has no
    round without decision yet."""
    from warmeveranderen.forum.subjects import SUBJECT_KINDS

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


# --- the decision archive ---------------------------------------------------------------------


@dataclass
class ArchiveFilters:
    sprint_id: int | None = None
    building_block: str | None = None
    stakeholder_group: str | None = None
    outcome: str | None = None
    text: str = ""


def archive(school: School, filters: ArchiveFilters, limit: int = 200) -> list[Decision]:
    """The school's decisions in force (corrections replace what they correct), newest first."""
    corrected = db.select(Decision.corrects_id).where(Decision.corrects_id.is_not(None))
    query = (
        db.select(Decision)
        .where(Decision.school_id == school.id, Decision.id.not_in(corrected))
        .options(
            selectinload(Decision.decided_by),
            selectinload(Decision.sprint),
            selectinload(Decision.corrects),
            selectinload(Decision.round).selectinload(AdviceRound.advice),
        )
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(limit)
    )
    if filters.sprint_id:
        query = query.where(Decision.sprint_id == filters.sprint_id)
    if filters.building_block:
        query = query.where((Decision.building_block == filters.building_block)
                            | (Decision.secondary_block == filters.building_block))
    if filters.outcome:
        query = query.where(Decision.outcome == filters.outcome)
    if filters.stakeholder_group:
        query = query.where(Decision.round_id.in_(
            db.select(Advice.round_id).where(Advice.stakeholder_group == filters.stakeholder_group)
        ))
    text = (filters.text or "").strip()
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            db.func.lower(Decision.subject_title).like(pattern)
            | db.func.lower(Decision.reasons).like(pattern)
            | Decision.round_id.in_(
                db.select(AdviceRound.id).where(db.func.lower(AdviceRound.question).like(pattern))
            )
        )
    return db.session.scalars(query).all()


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
