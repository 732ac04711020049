"""Reading a discussion: its comments with their authors, mentions and history, who may be mentioned, who read what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.discussion.models import Comment, CommentMention, DiscussionRead
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership


def comments_of(initiative) -> list[Comment]:
    return list(db.session.scalars(
        select(Comment).where(Comment.initiative_id == initiative.id)
        .options(joinedload(Comment.author), selectinload(Comment.revisions),
                 selectinload(Comment.mentions).joinedload(CommentMention.user))
        .order_by(Comment.created_at, Comment.id)))


def people_of(school) -> list[User]:
    """Who can be mentioned: the people of the school (every role), by name."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id).distinct().order_by(User.name)))


def reads_of(initiative) -> list[DiscussionRead]:
    return list(db.session.scalars(
        select(DiscussionRead).where(DiscussionRead.initiative_id == initiative.id)
        .options(joinedload(DiscussionRead.user))))


def readers(comment: Comment, reads: list[DiscussionRead]) -> list[User]:
    """Who read the comment (after it was written or last edited), its author left out."""
    since = comment.edited_at or comment.created_at
    return sorted((r.user for r in reads if r.read_at >= since and r.user_id != comment.author_id),
                  key=lambda u: u.name)


def unread_count(initiative, user, comments: list[Comment], reads: list[DiscussionRead]) -> int:
    mine = next((r.read_at for r in reads if r.user_id == user.id), None)
    return sum(1 for c in comments if c.author_id != user.id and (mine is None or c.created_at > mine))
