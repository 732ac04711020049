"""The idea box: ideas of anyone of the school, who supports them, comments, and the flywheel's answer.

An idea starts "open"; the flywheel answers it once with a state from IDEA_ANSWERS and a reason.
"op de backlog" links it to the initiative it became (the initiative's page links back);
"samengevoegd" points at the idea it was merged with, or at the initiative it joined (then
``initiative_id`` is set too, so the initiative's page credits the idea's author).
A member follows an initiative (InitiativeFollow) to hear when it goes to the forum and when it is
achieved or dropped; the author of an idea that went on the backlog or joined an initiative follows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BUILDING_BLOCKS, IDEA_STATES
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import document_index
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class Idea(db.Model):
    """One idea in a school's idea box."""

    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint(_in("state", IDEA_STATES), name="state"),
        CheckConstraint(f"building_block IS NULL OR {_in('building_block', BUILDING_BLOCKS)}", name="building_block"),
        Index("ix_ideas_school_created", "school_id", "created_at"),
        # The reminder looks for open ideas submitted in a date window over all schools.
        Index("ix_ideas_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    building_block: Mapped[str | None] = mapped_column(String(20))
    # The part of the vision it serves (optional): a key offered by the `@vision_anchors` parts and the
    # label as it read when the idea was sent, so the idea keeps it when the vision changes.
    vision_part: Mapped[str | None] = mapped_column(String(60))
    vision_part_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The flywheel's public answer.
    answer_reason: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))

    school: Mapped[School] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    initiative: Mapped[Initiative | None] = relationship()
    merged_into: Mapped[Idea | None] = relationship(remote_side=[id])
    supports: Mapped[list[IdeaSupport]] = relationship(back_populates="idea", cascade="all, delete-orphan",
                                                       order_by="IdeaSupport.created_at")
    comments: Mapped[list[IdeaComment]] = relationship(back_populates="idea", cascade="all, delete-orphan",
                                                       order_by="IdeaComment.created_at")

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.title!r} {self.state}>"


# The school's search (PostgreSQL): the same document as the ideas' search source.
document_index("ix_ideas_search", Idea.__table__.c.title, Idea.__table__.c.body, Idea.__table__.c.answer_reason)


class IdeaSupport(db.Model):
    """"Ik steun dit": one per person and idea."""

    __tablename__ = "idea_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id", name="uq_idea_supports_idea_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="supports")
    user: Mapped[User] = relationship()


class IdeaComment(db.Model):
    """A comment on an idea (Markdown, rendered through the one sanitising filter)."""

    __tablename__ = "idea_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class InitiativeFollow(db.Model):
    """A member of the school who follows an initiative: they hear when it is achieved or dropped."""

    __tablename__ = "initiative_follows"
    __table_args__ = (UniqueConstraint("initiative_id", "user_id", name="uq_initiative_follows_initiative_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship()
    user: Mapped[User] = relationship()
