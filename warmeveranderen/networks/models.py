"""Questions between schools and the network library (kennisbank).

Both are shared with one learning network (network_id) or with the whole programme (network_id NULL).
They hold only what their author wrote: nothing of a school's own pages is copied into them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BUILDING_BLOCKS
from warmeveranderen.extensions import db
from warmeveranderen.networks.vocabulary import LIBRARY_KINDS
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import utcnow

LIBRARY_KINDS_CODES = tuple(LIBRARY_KINDS)


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class NetworkQuestion(db.Model):
    """A question a school (or an adviser) puts to its learning network or the whole programme."""

    __tablename__ = "network_questions"
    __table_args__ = (
        CheckConstraint(f"building_block IS NULL OR {_in('building_block', BUILDING_BLOCKS)}", name="building_block"),
        Index("ix_network_questions_network_created", "network_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    # NULL: asked to the whole programme.
    network_id: Mapped[int | None] = mapped_column(ForeignKey("learning_networks.id", ondelete="CASCADE"))
    # The school the asker speaks for (NULL for an adviser or the coordinator).
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    building_block: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[LearningNetwork | None] = relationship()
    school: Mapped[School | None] = relationship()
    author: Mapped[User | None] = relationship()
    answers: Mapped[list[NetworkAnswer]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="NetworkAnswer.created_at",
    )

    @property
    def best_answer(self) -> NetworkAnswer | None:
        return next((a for a in self.answers if a.helpful), None)


class NetworkAnswer(db.Model):
    """An answer to a question between schools."""

    __tablename__ = "network_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("network_questions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Marked by the asker as the most helpful answer (at most one per question).
    helpful: Mapped[bool] = mapped_column(default=False)

    question: Mapped[NetworkQuestion] = relationship(back_populates="answers")
    author: Mapped[User | None] = relationship()
    school: Mapped[School | None] = relationship()


class LibraryItem(db.Model):
    """A document, tool or practice in the kennisbank, shared by a school, an adviser or the coordinator."""

    __tablename__ = "library_items"
    __table_args__ = (
        CheckConstraint(_in("kind", LIBRARY_KINDS_CODES), name="kind"),
        Index("ix_library_items_network_created", "network_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("learning_networks.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"), index=True)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    # Markdown.
    summary: Mapped[str] = mapped_column(Text, default="")
    # JSON lists of BUILDING_BLOCKS and CORE_MISSIONS codes.
    building_blocks: Mapped[list] = mapped_column(JSON, default=list)
    core_missions: Mapped[list] = mapped_column(JSON, default=list)
    health_level: Mapped[str | None] = mapped_column(String(20))
    health_strategy: Mapped[str | None] = mapped_column(String(20))
    # One link per line.
    links: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    network: Mapped[LearningNetwork | None] = relationship()
    school: Mapped[School | None] = relationship()
    shared_by: Mapped[User | None] = relationship()
    uses: Mapped[list[LibraryUse]] = relationship(back_populates="item", cascade="all, delete-orphan")

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class LibraryUse(db.Model):
    """A school put a library item on its backlog: once per school (this is what "3 scholen" counts)."""

    __tablename__ = "library_uses"
    __table_args__ = (UniqueConstraint("item_id", "school_id", name="uq_library_uses_item_school"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("library_items.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[LibraryItem] = relationship(back_populates="uses")
    school: Mapped[School] = relationship()
