"""What the webhooks hear: the app level watches the unit of work for the events, so no feature has to
know about webhooks.

After each flush, a new decision, a sprint that became active or closed, an idea that got its answer
and an intake agreement version that came into force are queued for the matching webhooks
(`notifications.webhooks.emit`) in the same transaction: a change that is rolled back sends nothing.
The payloads carry ids, states and texts of the record, never who advised or signed.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from warmeveranderen.forum.models import Decision
from warmeveranderen.ideas.models import Idea
from warmeveranderen.intake.models import ACTIVE, AgreementVersion
from warmeveranderen.notifications.webhooks import emit
from warmeveranderen.sprints.models import Sprint

_installed: list[bool] = []


def _changed_to(obj, attribute: str) -> object | None:
    """The new value of `attribute` when this flush changed it, else None."""
    history = inspect(obj).attrs[attribute].history
    return history.added[0] if history.added and history.deleted else None


def _iso(moment) -> str | None:
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def _collect(session: Session, _context) -> None:
    for obj in list(session.new):
        if isinstance(obj, Decision):
            emit("decision_recorded", obj.school_id, str(obj.id), {
                "decision_id": obj.id, "round_id": obj.round_id, "outcome": obj.outcome, "reasons": obj.reasons,
                "subject_kind": obj.subject_kind, "subject_title": obj.subject_title, "sprint_id": obj.sprint_id,
                "corrects_id": obj.corrects_id, "decided_at": _iso(obj.decided_at)})
    for obj in list(session.dirty):
        if isinstance(obj, Sprint):
            state = _changed_to(obj, "state")
            if state in ("active", "closed"):
                emit(f"sprint_{'started' if state == 'active' else 'closed'}", obj.school_id, str(obj.id), {
                    "sprint_id": obj.id, "number": obj.number, "goal": obj.goal,
                    "start_date": obj.start_date.isoformat(), "end_date": obj.end_date.isoformat()})
        elif isinstance(obj, Idea):
            state = _changed_to(obj, "state")
            if state is not None and state != "open":
                emit("idea_answered", obj.school_id, str(obj.id), {
                    "idea_id": obj.id, "title": obj.title, "answer": state, "reason": obj.answer_reason,
                    "initiative_id": obj.initiative_id})
        elif isinstance(obj, AgreementVersion):
            if _changed_to(obj, "state") == ACTIVE:
                emit("agreement_signed", obj.agreement.school_id, str(obj.id), {
                    "agreement_id": obj.agreement_id, "version": obj.number, "fingerprint": obj.fingerprint})


def install() -> None:
    """Listen once per process (every app shares the ORM's Session class)."""
    if not _installed:
        event.listen(Session, "after_flush", _collect)
        _installed.append(True)
