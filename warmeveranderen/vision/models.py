"""A school's vision: one working draft, immutable published versions, comments, AMORE scores, endorsements.

Published versions and endorsements are never changed in place: a mapper event refuses any UPDATE of
their rows, so a correction is always a new row (a new version, a later endorsement).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow


class ImmutableRowError(RuntimeError):
    """Raised when code tries to change a published version or a recorded endorsement."""


class Vision(db.Model):
    """The school's vision document: the working draft the flywheel edits together."""

    __tablename__ = "visions"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), unique=True)
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    # Optimistic concurrency: every save raises it by one; a form carries the revision it was based on.
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Members of the schools in the same learning network may read the current vision.
    shared_with_network: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    updated_by: Mapped[User | None] = relationship()
    versions: Mapped[list[VisionVersion]] = relationship(
        back_populates="vision", order_by="VisionVersion.number", cascade="all, delete-orphan"
    )


class DraftRevision(db.Model):
    """A snapshot of the draft at every save: the base against which a concurrent save is compared."""

    __tablename__ = "vision_draft_revisions"
    __table_args__ = (UniqueConstraint("vision_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("visions.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    vision: Mapped[Vision] = relationship()
    saved_by: Mapped[User | None] = relationship()


class VisionVersion(db.Model):
    """A published, numbered and frozen copy of the draft."""

    __tablename__ = "vision_versions"
    __table_args__ = (UniqueConstraint("vision_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("visions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    change_note: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    vision: Mapped[Vision] = relationship(back_populates="versions")
    published_by: Mapped[User | None] = relationship()
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="version", order_by="Endorsement.endorsed_on"
    )


class VisionComment(db.Model):
    """A remark on one question of the draft, by a flywheel member or the school's adviser."""

    __tablename__ = "vision_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("visions.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    vision: Mapped[Vision] = relationship()
    author: Mapped[User | None] = relationship()


class AmoreScore(db.Model):
    """One person's AMORE check of one version: 1-5 per criterion and an optional remark."""

    __tablename__ = "vision_amore_scores"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id"),
        CheckConstraint("respondent_group IN ('flywheel', 'forum')", name="respondent_group"),
        *(
            CheckConstraint(f"{c} BETWEEN 1 AND 5", name=f"{c}_range")
            for c in ("ambitious", "motivating", "distinctive", "relevant", "authentic")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("vision_versions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The group the person scored in: flywheel members count as flywheel even when also in the forum.
    respondent_group: Mapped[str] = mapped_column(String(10))
    ambitious: Mapped[int]
    motivating: Mapped[int]
    distinctive: Mapped[int]
    relevant: Mapped[int]
    authentic: Mapped[int]
    remark: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[VisionVersion] = relationship()
    user: Mapped[User] = relationship()


class Endorsement(db.Model):
    """The flywheel's record that stakeholder groups endorsed (afgeklopt) a version."""

    __tablename__ = "vision_endorsements"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("vision_versions.id", ondelete="CASCADE"), index=True)
    # Stakeholder group codes (domain.STAKEHOLDER_GROUPS).
    groups: Mapped[list] = mapped_column(JSON)
    endorsed_on: Mapped[date]
    # What the flywheel changed in response to the stakeholders (Markdown).
    changes: Mapped[str] = mapped_column(Text, default="")
    # The forum's advice round on this version that the endorsement answers, if there was one.
    advice_round_id: Mapped[int | None] = mapped_column(ForeignKey("advice_rounds.id", ondelete="SET NULL"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[VisionVersion] = relationship(back_populates="endorsements")
    recorded_by: Mapped[User | None] = relationship()
    advice_round: Mapped[AdviceRound | None] = relationship()


@event.listens_for(VisionVersion, "before_update")
@event.listens_for(Endorsement, "before_update")
def _refuse_update(mapper, _connection, target) -> None:
    # before_update also fires for rows that are only "dirty" through a collection (a new endorsement
    # appended to version.endorsements); refuse only real changes of the row's own columns.
    state = inspect(target)
    changed = [attr.key for attr in mapper.column_attrs if state.attrs[attr.key].history.has_changes()]
    if changed:
        raise ImmutableRowError(
            f"{type(target).__name__} {target.id} is immutable ({', '.join(changed)}); add a new row instead"
        )
