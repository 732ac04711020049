"""Comments on an initiative, their earlier versions, who was mentioned, and when each person last read.

"Gelezen door" is derived, not stored per comment: a person has read a comment when their
`DiscussionRead.read_at` for the initiative is at or after the comment's time (one row per person).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow


class Comment(db.Model):
    __tablename__ = "initiative_comments"
    __table_args__ = (Index("ix_initiative_comments_initiative_created", "initiative_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    school: Mapped[School] = relationship()
    initiative: Mapped[Initiative] = relationship()
    author: Mapped[User | None] = relationship()
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", order_by="CommentRevision.id")
    mentions: Mapped[list[CommentMention]] = relationship(cascade="all, delete-orphan")


class CommentRevision(db.Model):
    """The text a comment had before an edit ("bewerkt": everyone who reads the comment sees the history)."""

    __tablename__ = "initiative_comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("initiative_comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # When this text was written (the comment's creation or its previous edit).
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class CommentMention(db.Model):
    __tablename__ = "initiative_comment_mentions"

    comment_id: Mapped[int] = mapped_column(ForeignKey("initiative_comments.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    user: Mapped[User] = relationship()


class DiscussionRead(db.Model):
    """Up to when a person has read an initiative's discussion."""

    __tablename__ = "initiative_discussion_reads"

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
