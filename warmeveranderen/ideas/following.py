"""Following an initiative: any member of the school follows or unfollows it; the author of an idea that went
on the backlog (or joined an initiative) follows it from the start. Followers hear when it is achieved or
dropped (sprints/announce.py, through this feature's `@initiative_audience` part)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import InitiativeFollow
from warmeveranderen.permissions import has_role
from warmeveranderen.uow import ServiceError


class FollowError(ServiceError):
    """A user-facing refusal in Dutch."""


def follow_of(initiative, user) -> InitiativeFollow | None:
    return db.session.scalar(
        db.select(InitiativeFollow).where(InitiativeFollow.initiative_id == initiative.id,
                                          InitiativeFollow.user_id == user.id)
    )


def follow_state(initiative, user) -> tuple[bool, int]:
    """Whether the person follows the initiative, and how many do: one statement."""
    mine, count = db.session.execute(
        db.select(db.func.count(db.case((InitiativeFollow.user_id == user.id, 1))), db.func.count(InitiativeFollow.id))
        .where(InitiativeFollow.initiative_id == initiative.id)
    ).one()
    return bool(mine), count


def follow(initiative, user) -> InitiativeFollow:
    """Follow (again: nothing changes). Only members of the initiative's school."""
    if not has_role(user, initiative.school):
        raise FollowError(_("Alleen wie bij deze school hoort, volgt haar initiatieven."))
    existing = follow_of(initiative, user)
    if existing is not None:
        return existing
    followed = InitiativeFollow(initiative_id=initiative.id, user_id=user.id)
    try:
        # Two clicks at once: the database keeps one follow per person (uq_initiative_follows_initiative_user).
        with db.session.begin_nested():
            db.session.add(followed)
    except IntegrityError:
        return follow_of(initiative, user)
    return followed


def unfollow(initiative, user) -> None:
    """Stop following (not following already: nothing changes)."""
    existing = follow_of(initiative, user)
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
