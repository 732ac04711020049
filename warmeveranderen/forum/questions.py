"""Free questions as subjects of the forum: the flywheel can ask the forum's advice on anything.

A question has no object of its own elsewhere: the advice round is its subject (``subject_id`` is the
round's id) and keeps the question's title and description (``subject_title``, ``background``).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound
from warmeveranderen.forum.subjects import QUESTION, register_subject


def _load(round_id: int) -> AdviceRound | None:
    advice_round = db.session.get(AdviceRound, round_id)
    return advice_round if advice_round is not None and advice_round.subject_kind == QUESTION else None


def register_forum_subject() -> None:
    """Make free questions known to the forum (called by the feature's init_app)."""
    register_subject(
        QUESTION,
        label=_l("Vraag"),
        loader=_load,
        school=lambda advice_round: advice_round.school,
        title=lambda advice_round: advice_round.subject_title,
        url=lambda advice_round: url_for("forum.round", school_id=advice_round.school_id, round_id=advice_round.id),
        owner_users=lambda advice_round: [advice_round.opened_by] if advice_round.opened_by else [],
    )
