"""The forum's operations: the only place in this feature that changes state.

The rule is *initiatiefrecht mits adviesplicht*: the flywheel takes initiatives, asks the forum for
advice (a round with a question and a deadline), responds to the advice and records a decision
with its reasons; everyone who advised, and the forum, is told. Every rule is enforced here.

Like every service (warmeveranderen/uow.py), these change state and flush; the request (or the
job) commits once. A ForumError refuses the whole request, whatever a subject's hook already did.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    ADVICE_STANCES,
    DECISION_OUTCOMES,
    FLYWHEEL,
    FORUM,
    LONG_TEXT_MAX,
    OBJECTION_KINDS,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    text_problem,
)
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment
from warmeveranderen.forum.guests import invite_guests
from warmeveranderen.forum.models import (
    Advice,
    AdviceResponse,
    AdviceRound,
    Decision,
    ForumSession,
    RoundComment,
)
from warmeveranderen.forum.permissions import can_decide, can_give_advice, can_manage_forum
from warmeveranderen.forum.queries import blocking_objections, forum_users
from warmeveranderen.forum.subjects import QUESTION, load_subject
from warmeveranderen.forum.subjects import subject_kind as subject_kind_of
from warmeveranderen.i18n import in_locale
from warmeveranderen.markdown import excerpt
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

NOTIFY_CATEGORY = "forum"


class ForumError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _when(value: datetime) -> str:
    return format_moment(value)

# --- sessions ---------------------------------------------------------------------------------


def _check_text(text: str | None, limit: int, field: str, *, single_line: bool = False) -> None:
    """The form's maximum (and no control characters), again here for posts that bypass the form."""
    problem = text_problem(text, limit, single_line=single_line)
    if problem:
        raise ForumError(problem, field)


def _check_session_fields(starts_at: datetime | None, location: str, online_url: str, notes: str = "") -> None:
    _check_text(location, TITLE_MAX, "location", single_line=True)
    _check_text(notes, SHORT_TEXT_MAX, "notes")
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
    _check_session_fields(starts_at, location, online_url, notes)
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
    db.session.flush()
    return session


def update_session(session: ForumSession, *, starts_at: datetime, location: str, online_url: str, notes: str) -> None:
    _check_session_fields(starts_at, location, online_url, notes)
    session.starts_at = starts_at
    session.location = location.strip()
    session.online_url = online_url.strip()
    session.notes = notes.strip()
    db.session.flush()


def _flush_or_refuse(message: str) -> None:
    """Flush inside the caller's SAVEPOINT; a unique index that a simultaneous request won becomes a refusal.

    The indexes (one open round per subject, one decision per round) are the real guard: the checks
    before them read the state before the other request committed.
    """
    try:
        db.session.flush()
    except IntegrityError:
        raise ForumError(message) from None


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
    return _new_round(kind, subject, kind.school(subject), kind.title(subject), question, deadline, session,
                      opened_by=opened_by, background=background, now=now)


def ask_question(school: School, title: str, question: str, deadline: datetime | None,
                 session: ForumSession | None = None, *, opened_by: User, background: str = "",
                 now: datetime | None = None) -> AdviceRound:
    """Put any question of the flywheel to the forum: a free subject (kind "question", forum/questions.py).

    The round is its own subject: its title and description are the round's ``subject_title`` and
    ``background``, and its ``subject_id`` is the round's id.
    """
    title = (title or "").strip()
    if not title:
        raise ForumError(_("Geef je vraag een korte titel, zodat forumleden ze terugvinden."), "title")
    kind = subject_kind_of(QUESTION)
    return _new_round(kind, None, school, title, question, deadline, session,
                      opened_by=opened_by, background=background, now=now or utcnow())


def _new_round(kind, subject, school: School, title: str, question: str, deadline: datetime | None,
               session: ForumSession | None, *, opened_by: User, background: str, now: datetime) -> AdviceRound:
    """Open a round after the checks every subject shares; ``subject`` None means a free question."""
    if not can_manage_forum(opened_by, school):
        raise ForumError(_("Alleen het vliegwiel of de directie legt iets voor aan het forum."))
    question = (question or "").strip()
    if not question:
        raise ForumError(_("Formuleer de adviesvraag: waarover wil je advies?"), "question")
    _check_text(question, SHORT_TEXT_MAX, "question")
    _check_text(background, LONG_TEXT_MAX, "background")
    if deadline is None:
        raise ForumError(_("Kies een uiterste datum voor het advies."), "deadline_day")
    if deadline <= now:
        raise ForumError(_("De uiterste datum voor het advies moet in de toekomst liggen."), "deadline_day")
    if session is not None and session.school_id != school.id:
        raise ForumError(_("Deze bijeenkomst hoort niet bij deze school."), "session_id")
    if subject is not None:
        undecided = db.session.scalar(
            db.select(AdviceRound.id)
            .where(AdviceRound.subject_kind == kind.kind, AdviceRound.subject_id == subject.id,
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
    # A refusal of the subject's hook undoes the whole action (the round and the notifications).
    with db.session.begin_nested():
        advice_round = AdviceRound(
            school=school, subject_kind=kind.kind, subject_id=subject.id if subject is not None else 0,
            subject_title=title[:255], question=question, background=(background or "").strip(),
            deadline=deadline, session=session, position=position, opened_by=opened_by, opened_at=now,
        )
        db.session.add(advice_round)
        _flush_or_refuse(_("Over dit onderwerp loopt al een adviesronde zonder besluit."))
        if subject is None:
            # A free question is its own subject. Until this flush its id is 0: a simultaneous question
            # waits on the unique index for this transaction, and then finds its own id taken by no one.
            advice_round.subject_id = advice_round.id
            db.session.flush()
        url = url_for("forum.round", school_id=school.id, round_id=advice_round.id)
        for user in forum_users(school):
            with in_locale(user):
                notify([user], category=NOTIFY_CATEGORY, school=school, url=url,
                       title=_("Adviesvraag: %(title)s", title=advice_round.subject_title),
                       body=_question_body(advice_round))
        if subject is not None and kind.on_opened is not None:
            kind.on_opened(subject, advice_round)
        if subject is not None:
            invite_guests(advice_round, kind.kind, subject, _question_body)
    return advice_round


def _question_body(advice_round: AdviceRound) -> str:
    """What a forum member reads in the notification and its email: the question and the deadline."""
    return excerpt(advice_round.question) + "\n\n" + _("Geef je advies vóór %(deadline)s.",
                                                         deadline=_when(advice_round.deadline))


def give_advice(advice_round: AdviceRound, user: User, stance: str | None, reasoning: str,
                now: datetime | None = None, *, objection_kind: str | None = None) -> Advice:
    """Give or revise one's advice until the deadline: the school's forum members and the round's guests.

    An objection says whether it is principled or personal (seed 001); other advice has no kind.
    """
    now = now or utcnow()
    school = advice_round.school
    if not can_give_advice(user, advice_round):
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
    if stance == "objection" and objection_kind not in OBJECTION_KINDS:
        raise ForumError(_("Kies wat voor bezwaar je hebt: principieel (het schaadt het doel of de visie van de "
                           "school) of persoonlijk."), "objection_kind")
    reasoning = (reasoning or "").strip()
    _check_text(reasoning, LONG_TEXT_MAX, "reasoning")
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
    advice.objection_kind = objection_kind if stance == "objection" else None
    advice.reasoning = reasoning
    advice.stakeholder_group = membership.stakeholder_group if membership else None
    advice.updated_at = now
    db.session.flush()
    return advice


def add_comment(advice_round: AdviceRound, user: User, body: str) -> RoundComment:
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Schrijf eerst je opmerking."), "body")
    _check_text(body, SHORT_TEXT_MAX, "body")
    comment = RoundComment(round=advice_round, author=user, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def respond(advice: Advice, user: User, body: str, now: datetime | None = None) -> AdviceResponse:
    """The initiator's answer to one piece of advice: after the deadline, before the decision (an unanswered
    objection also after it)."""
    now = now or utcnow()
    advice_round = advice.round
    if not can_decide(user, advice_round):
        raise ForumError(_("Alleen de eigenaar van het initiatief of de trekker reageert op het advies."))
    if advice_round.is_open(now):
        raise ForumError(_("Het forum kan nog advies geven tot %(deadline)s; reageer daarna.",
                           deadline=_when(advice_round.deadline)))
    # After the decision an objection still without an answer gets one (every objection does, seed 001).
    if advice_round.decisions and not (advice.stance == "objection" and advice.response is None):
        raise ForumError(_("Het besluit is al genomen; de antwoorden liggen vast."))
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Schrijf wat je met dit advies doet."), "body")
    _check_text(body, SHORT_TEXT_MAX, "body")
    response = advice.response
    if response is None:
        response = AdviceResponse(advice=advice, body=body, author=user, created_at=now, updated_at=now)
        db.session.add(response)
    else:
        response.body = body
        response.author = user
        response.updated_at = now
    db.session.flush()
    return response


def decide(advice_round: AdviceRound, user: User, outcome: str | None, reasons: str,
           corrects: Decision | None = None, now: datetime | None = None) -> Decision:
    """Record the decision (or a correction of the decision in force) and tell everyone involved.

    Refused before the deadline, without a response to every principled bezwaar, without reasons, by anyone
    but the initiator or the trekker, and when a decision is in force and this is no correction.
    """
    now = now or utcnow()
    if not can_decide(user, advice_round):
        raise ForumError(_("Alleen de eigenaar van het initiatief of de trekker neemt het besluit."))
    if advice_round.is_open(now):
        raise ForumError(_("De adviesronde loopt nog tot %(deadline)s; je kunt pas daarna beslissen.",
                           deadline=_when(advice_round.deadline)))
    missing = blocking_objections(advice_round)
    if missing:
        raise ForumError(_("Reageer eerst op elk principieel bezwaar: nog %(n)s zonder antwoord (%(names)s).",
                           n=len(missing), names=", ".join(a.author.name for a in missing)))
    if outcome not in DECISION_OUTCOMES:
        raise ForumError(_("Kies het besluit: aannemen, bijsturen, uitstellen of laten vallen."), "outcome")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ForumError(_("Motiveer het besluit: waarom beslis je zo?"), "reasons")
    _check_text(reasons, LONG_TEXT_MAX, "reasons")
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
    # A refusal of the subject's hook undoes the whole action (the decision and the notifications).
    with db.session.begin_nested():
        decision = Decision(
            round=advice_round, school_id=advice_round.school_id, outcome=outcome, reasons=reasons,
            decided_by=user, decided_at=now, corrects=corrects,
            subject_kind=advice_round.subject_kind, subject_title=advice_round.subject_title,
            sprint_id=sprint_id, building_block=blocks[0] if blocks else None,
            secondary_block=blocks[1] if len(blocks) > 1 else None,
        )
        db.session.add(decision)
        _flush_or_refuse(_("Intussen heeft iemand anders een besluit over deze adviesronde geregistreerd. "
                           "Lees het geldende besluit; wil je het wijzigen, registreer dan een correctie."))
        _tell_decision(advice_round, decision)
        if kind is not None and subject is not None and corrects is None and kind.on_decided is not None:
            kind.on_decided(subject, decision)
    return decision


def _tell_decision(advice_round: AdviceRound, decision: Decision) -> None:
    """Everyone who advised or was asked, the whole forum and the flywheel hear the decision, in their language."""
    school = advice_round.school
    people = {a.author.id: a.author for a in advice_round.advice}
    people.update({g.user.id: g.user for g in advice_round.guests if g.user.id not in people})
    for m in db.session.scalars(
        db.select(Membership).where(Membership.school_id == school.id, Membership.role.in_((FORUM, FLYWHEEL)))
        .options(selectinload(Membership.user))
    ):
        people.setdefault(m.user.id, m.user)
    url = url_for("forum.round", school_id=school.id, round_id=advice_round.id)
    for user in people.values():
        if user.id == decision.decided_by_id:
            continue
        with in_locale(user):
            outcome = str(DECISION_OUTCOMES[decision.outcome])
            if decision.corrects_id:
                title = _("Besluit gecorrigeerd over %(title)s: %(outcome)s", title=advice_round.subject_title,
                          outcome=outcome)
            else:
                title = _("Besluit over %(title)s: %(outcome)s", title=advice_round.subject_title, outcome=outcome)
            body = excerpt(decision.reasons) + "\n\n" + _("Lees wat er met het advies van het forum gebeurde.")
        notify([user], category=NOTIFY_CATEGORY, school=school, url=url, title=title, body=body)
