"""Reads of the idea box: a school's ideas with what their lists show, one idea with its page."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea, IdeaComment, IdeaSupport
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.sprints.queries import FINAL_STATUSES


def ideas_of(school) -> list[Idea]:
    """The school's ideas, open ones first, newest first (authors and supports loaded)."""
    return db.session.scalars(
        db.select(Idea)
        .where(Idea.school_id == school.id)
        .options(selectinload(Idea.author), selectinload(Idea.supports), selectinload(Idea.initiative))
        .order_by((Idea.state != "open"), Idea.created_at.desc(), Idea.id.desc())
    ).all()


def load_idea(idea_id: int) -> Idea | None:
    return db.session.scalars(
        db.select(Idea)
        .where(Idea.id == idea_id)
        .options(
            selectinload(Idea.author), selectinload(Idea.answered_by), selectinload(Idea.initiative),
            selectinload(Idea.merged_into), selectinload(Idea.supports).selectinload(IdeaSupport.user),
            selectinload(Idea.comments).selectinload(IdeaComment.author),
        )
    ).first()


def open_ideas(school) -> list[Idea]:
    """Ideas still waiting for an answer, oldest first."""
    return db.session.scalars(
        db.select(Idea).where(Idea.school_id == school.id, Idea.state == "open").order_by(Idea.created_at)
    ).all()


MERGE_TARGET_STATES = ("open", "backlog")


def merge_candidates(idea: Idea) -> list[Idea]:
    """The other ideas of the school an idea can be merged with: still open or on the backlog (an idea answered
    "niet nu" or merged itself would be a dead end)."""
    return db.session.scalars(
        db.select(Idea).where(Idea.school_id == idea.school_id, Idea.id != idea.id,
                              Idea.state.in_(MERGE_TARGET_STATES))
        .order_by(Idea.created_at.desc())
    ).all()


def merge_initiatives(idea: Idea) -> list[Initiative]:
    """The school's initiatives an idea can join (not done or dropped), in backlog order."""
    return db.session.scalars(
        db.select(Initiative)
        .where(Initiative.school_id == idea.school_id, Initiative.status.not_in(FINAL_STATUSES))
        .order_by(Initiative.position, Initiative.id)
    ).all()


def ideas_behind(initiative) -> list[Idea]:
    """The ideas that became this initiative or joined it (their authors credited)."""
    return db.session.scalars(
        db.select(Idea).where(Idea.initiative_id == initiative.id).options(selectinload(Idea.author))
        .order_by(Idea.created_at, Idea.id)
    ).all()


def count_by_state(school) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Idea.state, func.count()).where(Idea.school_id == school.id).group_by(Idea.state)
    )
    return {state: n for state, n in rows}
