"""Initiatives as subjects of the forum, and the sprint rule that needs a decision before "done".

*Initiatiefrecht mits adviesplicht*: an initiative is put to the forum ("ready for the forum"),
the initiator decides after the advice ("decided"), and only then can it be done.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from warmeveranderen.domain import DECISION_OUTCOMES
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound, Decision
from warmeveranderen.forum.services import ForumError
from warmeveranderen.forum.subjects import register_subject
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.models import Initiative

KIND = "initiative"
# Statuses from which an initiative may be put to the forum.
OPENABLE = ("planned", "in_progress", "ready_for_forum", "decided")


def _url(initiative: Initiative) -> str:
    return url_for("sprints.initiative", initiative_id=initiative.id)


def _can_open(initiative: Initiative) -> str | None:
    if initiative.status in OPENABLE:
        return None
    if initiative.status == "idea":
        return _("Plan het initiatief eerst in een sprint voor je het aan het forum voorlegt.")
    return _("Een afgerond of geschrapt initiatief leg je niet meer aan het forum voor.")


def _set_status(initiative: Initiative, status: str, user, note: str) -> None:
    try:
        sprints.set_status(initiative, status, user, note, allow_closed=True)
    except sprints.SprintError as exc:
        raise ForumError(str(exc)) from exc


def _on_opened(initiative: Initiative, advice_round: AdviceRound) -> None:
    if initiative.status != "ready_for_forum":
        _set_status(initiative, "ready_for_forum", advice_round.opened_by, _("Voorgelegd aan het forum."))


def _on_decided(initiative: Initiative, decision: Decision) -> None:
    _set_status(initiative, "decided", decision.decided_by,
                _("Besluit na forumadvies: %(outcome)s.", outcome=_outcome_label(decision.outcome)))


def _outcome_label(code: str) -> str:
    return str(DECISION_OUTCOMES[code])


def _candidates(school) -> list[Initiative]:
    return db.session.scalars(
        db.select(Initiative)
        .where(Initiative.school_id == school.id, Initiative.status == "ready_for_forum")
        .order_by(Initiative.position, Initiative.id)
    ).all()


def register_forum_subject() -> None:
    """Make this kind of subject known to the forum (called by the feature's init_app)."""
    register_subject(
        KIND,
        label=_l("Initiatief"),
        loader=lambda subject_id: db.session.get(Initiative, subject_id),
        school=lambda initiative: initiative.school,
        title=lambda initiative: initiative.title,
        url=_url,
        owner_users=lambda initiative: [initiative.owner] if initiative.owner else [],
        candidates=_candidates,
        can_open=_can_open,
        on_opened=_on_opened,
        on_decided=_on_decided,
        sprint_id=lambda initiative: initiative.sprint_id,
        building_blocks=lambda initiative: initiative.blocks,
    )


def has_decision(initiative_id: int) -> bool:
    """Whether a decision was ever recorded on an advice round about this initiative."""
    return db.session.scalar(
        db.select(Decision.id)
        .join(AdviceRound, Decision.round_id == AdviceRound.id)
        .where(AdviceRound.subject_kind == KIND, AdviceRound.subject_id == initiative_id)
        .limit(1)
    ) is not None


@sprints.transition_guard
def decision_before_done(initiative: Initiative, to_status: str, _user) -> str | None:
    """No initiative that needs advice is done without a recorded decision after the forum's advice.

    A small practical action (needs_advice off) is done without one.
    """
    # "decided" is only ever set by a recorded decision (the board cannot move a card there).
    if (to_status == "done" and initiative.needs_advice and initiative.status != "decided"
            and not has_decision(initiative.id)):
        return _("Een initiatief is pas afgerond na een besluit op het advies van het forum. "
                 "Leg het eerst voor aan het forum.")
    return None
