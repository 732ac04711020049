"""Star cases (stercasussen): a school, with its adviser, documents its result and process, with a
timeline it chooses from its own initiatives, decisions, sprints and indicator ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.networks.vocabulary import CASE_STATES
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow

MOMENT_KINDS = ("sprint", "initiative", "decision", "rating")


class StarCase(db.Model):
    __tablename__ = "star_cases"
    __table_args__ = (
        CheckConstraint(f"state IN ({', '.join(repr(s) for s in CASE_STATES)})", name="state"),
        Index("ix_star_cases_state_published", "state", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown: what it brought (the result) and how it went (the process).
    result: Mapped[str] = mapped_column(Text, default="")
    process: Mapped[str] = mapped_column(Text, default="")
    # One video link per line.
    videos: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    school: Mapped[School] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    moments: Mapped[list[StarCaseMoment]] = relationship(back_populates="case", cascade="all, delete-orphan")

    @property
    def video_list(self) -> list[str]:
        return [line.strip() for line in self.videos.splitlines() if line.strip()]


class StarCaseMoment(db.Model):
    """One moment of the case's timeline: a reference to the school's own sprint, initiative, decision or rating."""

    __tablename__ = "star_case_moments"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "ref_id", name="uq_star_case_moments_case_kind_ref"),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in MOMENT_KINDS)})", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("star_cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]

    case: Mapped[StarCase] = relationship(back_populates="moments")
