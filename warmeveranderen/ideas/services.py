"""Writes of the idea box: submit, support, comment, and the flywheel's public answer.

Services flush, never commit (the request commits once). Refusals raise IdeaError with a Dutch
message, naming the form field it belongs to when there is one.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    BUILDING_BLOCKS,
    IDEA_ANSWERS,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    text_problem,
)
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.ideas import following, queries
from warmeveranderen.ideas.models import Idea, IdeaComment, IdeaSupport
from warmeveranderen.notifications.services import notify
from warmeveranderen.parts_between import vision_anchors
from warmeveranderen.programme.models import School
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.sprints.queries import FINAL_STATUSES
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

CATEGORY = "forum"


class IdeaError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_text(text: str, limit: int, field: str, *, single_line: bool = False) -> None:
    problem = text_problem(text, limit, single_line=single_line)
    if problem:
        raise IdeaError(problem, field)


def submit_idea(school: School, user: User, title: str, body: str, building_block: str | None = None,
                vision_part: str | None = None) -> Idea:
    """A new idea in the school's idea box, waiting for the flywheel's answer; optionally the part of the
    current vision it serves (one of the `@vision_anchor` choices, its label kept with the idea)."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise IdeaError(_("Schrijf in een paar woorden wat je idee is."), "title")
    _check_text(title, TITLE_MAX, "title", single_line=True)
    if not body:
        raise IdeaError(_("Vertel kort wat je wilt veranderen en waarom."), "body")
    _check_text(body, LONG_TEXT_MAX, "body")
    block = building_block or None
    if block is not None and block not in BUILDING_BLOCKS:
        raise IdeaError(_("Kies een bouwsteen uit de lijst, of laat het leeg."), "building_block")
    anchor_label = ""
    if vision_part:
        anchor_label = dict(vision_anchors(school)).get(vision_part, "")
        if not anchor_label:
            raise IdeaError(_("Kies een deel van de huidige visie uit de lijst, of laat het leeg."), "vision_part")
    idea = Idea(school_id=school.id, author_id=user.id, title=title, body=body, building_block=block, state="open",
                vision_part=vision_part or None, vision_part_label=anchor_label[:200])
    db.session.add(idea)
    db.session.flush()
    return idea


def support(idea: Idea, user: User) -> IdeaSupport:
    """"Ik steun dit": once per person, while the idea waits for its answer."""
    if not idea.is_open:
        raise IdeaError(_("Dit idee heeft al een antwoord; steunen kan niet meer."))
    if idea.author_id == user.id:
        raise IdeaError(_("Dit is je eigen idee: je steunt het al."))
    if any(s.user_id == user.id for s in idea.supports):
        raise IdeaError(_("Je steunt dit idee al."))
    supported = IdeaSupport(idea_id=idea.id, user_id=user.id)
    try:
        # Two clicks at once: the database keeps one support per person (uq_idea_supports_idea_user).
        with db.session.begin_nested():
            db.session.add(supported)
    except IntegrityError:
        raise IdeaError(_("Je steunt dit idee al.")) from None
    db.session.refresh(idea, ["supports"])
    return supported


def comment(idea: Idea, user: User, body: str) -> IdeaComment:
    body = (body or "").strip()
    if not body:
        raise IdeaError(_("Schrijf eerst je reactie."), "body")
    _check_text(body, SHORT_TEXT_MAX, "body")
    remark = IdeaComment(idea=idea, author_id=user.id, body=body)
    db.session.add(remark)
    db.session.flush()
    return remark


def answer(idea: Idea, user: User, state: str, reason: str, *, building_block: str | None = None,
           merged_into_id: int | None = None, merged_into_initiative_id: int | None = None) -> None:
    """The flywheel's public answer, always with a reason; the author and the supporters are told.

    "backlog" creates the initiative (the author credited in its description) and links both ways.
    "merged" points at another idea or at an initiative of the school; either way the idea is linked to
    the initiative it joins (if there is one), and its author follows that initiative.
    """
    if not idea.is_open:
        raise IdeaError(_("Dit idee heeft al een antwoord."))
    if state not in IDEA_ANSWERS:
        raise IdeaError(_("Kies een antwoord."), "state")
    reason = (reason or "").strip()
    if not reason:
        raise IdeaError(_("Geef altijd een reden bij je antwoord."), "reason")
    _check_text(reason, SHORT_TEXT_MAX, "reason")
    _claim(idea, state)
    if state == "backlog":
        block = building_block or idea.building_block
        if block not in BUILDING_BLOCKS:
            raise IdeaError(_("Kies de bouwsteen van het initiatief."), "building_block")
        author = idea.author.name if idea.author else _("iemand van de school")
        description = "\n\n".join([idea.body, _("Idee van %(name)s uit de ideeënbus.", name=author)]
                                    + ([_("Helpt onze visie waarmaken: %(part)s", part=idea.vision_part_label)]
                                       if idea.vision_part_label else []))
        initiative = sprints.create_initiative(
            idea.school, {"title": idea.title, "description": description, "building_block": block}, user
        )
        idea.initiative = initiative
        # Ideas merged into this one earlier join the initiative too.
        for merged in db.session.scalars(db.select(Idea).where(Idea.merged_into_id == idea.id)):
            _join(merged, initiative)
    elif state == "merged":
        _merge(idea, merged_into_id, merged_into_initiative_id)
    if idea.initiative is not None:
        _join(idea, idea.initiative)
    idea.state, idea.answer_reason = state, reason
    idea.answered_by_id, idea.answered_at = user.id, utcnow()
    db.session.flush()
    _tell(idea, user)


def _merge(idea: Idea, idea_id: int | None, initiative_id: int | None) -> None:
    """Point the idea at the idea or initiative it joins (of the same school, not itself, not finished)."""
    if initiative_id:
        initiative = db.session.get(Initiative, initiative_id)
        if initiative is None or initiative.school_id != idea.school_id or initiative.status in FINAL_STATUSES:
            raise IdeaError(_("Kies het idee of het initiatief waarmee dit idee samengaat."), "merged_into_id")
        idea.initiative = initiative
        return
    other = db.session.get(Idea, idea_id) if idea_id else None
    if other is None or other.school_id != idea.school_id or other.id == idea.id:
        raise IdeaError(_("Kies het idee of het initiatief waarmee dit idee samengaat."), "merged_into_id")
    if other.state not in queries.MERGE_TARGET_STATES:
        raise IdeaError(_("Dat idee is al beantwoord zonder vervolg; kies een idee dat nog open is of op de backlog "
                          "staat, of een initiatief."), "merged_into_id")
    idea.merged_into = other
    if other.initiative is not None:
        idea.initiative = other.initiative


def _join(idea: Idea, initiative: Initiative) -> None:
    """The idea is part of the initiative: linked (the initiative's page credits its author), author following."""
    idea.initiative = initiative
    if idea.author is not None and idea.author.active:
        try:
            following.follow(initiative, idea.author)
        except following.FollowError:
            pass  # the author left the school: the credit stays, following does not apply


def _claim(idea: Idea, state: str) -> None:
    """Only one answer, also when two flywheel members answer at the same moment: the first
    conditional update wins (PostgreSQL makes the second wait for it, then finds nothing open)."""
    claimed = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.state == "open").values(state=state, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise IdeaError(_("Dit idee heeft al een antwoord."))


def _tell(idea: Idea, answered_by: User) -> None:
    """The author and every supporter hear the answer (in their own language; not the one who answered)."""
    people = [idea.author, *(s.user for s in idea.supports)]
    url = url_for("ideas.detail", school_id=idea.school_id, idea_id=idea.id)
    for person in people:
        if person is None or person.id == answered_by.id or not person.active:
            continue
        with in_locale(person):
            notify([person], category=CATEGORY, school=idea.school, url=url,
                   title=_("Antwoord op het idee %(title)s: %(answer)s",
                           title=idea.title, answer=str(IDEA_ANSWERS[idea.state])),
                   body=idea.answer_reason)
