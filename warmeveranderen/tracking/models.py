"""Advisers' follow-up: indicator definitions and ratings, coaching sessions, milestones, well-being counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import INDICATOR_LEVELS
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import utcnow

LEVEL_CODES = tuple(INDICATOR_LEVELS)


class IndicatorDefinition(db.Model):
    """One of the nine indicators; the coordinator edits the title, guidance and level labels."""

    __tablename__ = "indicator_definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    guidance: Mapped[str] = mapped_column(Text, default="")
    label_realised: Mapped[str] = mapped_column(String(60))
    label_in_progress: Mapped[str] = mapped_column(String(60))
    label_started: Mapped[str] = mapped_column(String(60))
    label_not_started: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def level_label(self, code: str | None) -> str:
        if code not in LEVEL_CODES:
            return ""
        return getattr(self, f"label_{code}")

    @property
    def levels(self) -> list[tuple[str, str]]:
        """(code, label) from best to worst."""
        return [(code, self.level_label(code)) for code in LEVEL_CODES]


class IndicatorRating(db.Model):
    """An adviser's rating of one indicator for one school at a measurement moment; never edited."""

    __tablename__ = "indicator_ratings"
    __table_args__ = (
        CheckConstraint("level IN ('realised', 'in_progress', 'started', 'not_started')", name="level"),
        Index("ix_indicator_ratings_latest", "school_id", "indicator_id", "measured_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator_definitions.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[date]
    # "2026-2027": the school year of measured_on, stored so reports can group by it in SQL.
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    level: Mapped[str] = mapped_column(String(20))
    remark: Mapped[str] = mapped_column(Text, default="")
    # One link or reference per line: https://… or a path of this app (/scholen/…).
    evidence: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    indicator: Mapped[IndicatorDefinition] = relationship()
    rated_by: Mapped[User | None] = relationship()

    @property
    def evidence_lines(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


session_advisers = Table(
    "coaching_session_advisers",
    db.metadata,
    Column("session_id", Integer, ForeignKey("coaching_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CoachingSession(db.Model):
    """A begeleidingssessie: collective (a learning network) or individual (one school)."""

    __tablename__ = "coaching_sessions"
    __table_args__ = (
        CheckConstraint("kind IN ('collective', 'individual')", name="kind"),
        CheckConstraint(
            "(kind = 'collective' AND network_id IS NOT NULL AND school_id IS NULL)"
            " OR (kind = 'individual' AND school_id IS NOT NULL)",
            name="target",
        ),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration"),
        Index("ix_coaching_sessions_network_kind", "network_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # Collective: the network. Individual: the school's network at the time (for the report), may be NULL.
    network_id: Mapped[int | None] = mapped_column(ForeignKey("learning_networks.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    # Called off: kept in the history, never counted. A session that is not cancelled is planned while
    # its date is in the future and held from that date on (state()).
    cancelled: Mapped[bool] = mapped_column(default=False, server_default=false())
    duration_minutes: Mapped[int | None]
    # Who took part, as counts and roles ("vliegwiel (6), directie (1)"): never pupils' names.
    participants: Mapped[str] = mapped_column(String(300), default="")
    # Markdown, for the adviser team and the coordinator only.
    notes: Mapped[str] = mapped_column(Text, default="")
    # What the school sees.
    summary: Mapped[str] = mapped_column(Text, default="")
    # The natural key of an imported row, so importing a file twice adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[LearningNetwork | None] = relationship()
    school: Mapped[School | None] = relationship()
    advisers: Mapped[list[User]] = relationship(secondary=session_advisers, order_by="User.name")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_collective(self) -> bool:
        return self.kind == "collective"

    def state(self, day: date) -> str:
        """"cancelled", "planned" (a date after `day`) or "held" (SESSION_STATES)."""
        if self.cancelled:
            return "cancelled"
        return "planned" if self.held_on > day else "held"


class Milestone(db.Model):
    """A step of the school's journey with its date (intake, kick-off, …, evaluation moments)."""

    __tablename__ = "journey_milestones"
    __table_args__ = (Index("ix_journey_milestones_school_kind", "school_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    happened_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()


class WellbeingMeasurement(db.Model):
    """Counts of pupils (or staff) per level of well-being, involvement and healthy emotional functioning,
    for one group at one moment.

    A group is a class, a learning community or a staff team; no names or individual scores exist
    anywhere. The third scale is optional: all five counts 0 means the group was not screened on it.
    """

    __tablename__ = "wellbeing_measurements"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "moment", "group_name"),
        CheckConstraint("moment IN ('pre', 'post')", name="moment"),
        CheckConstraint(
            " AND ".join(f"{scale}_{n} >= 0" for scale in ("wellbeing", "involvement") for n in range(1, 6)),
            name="counts",
        ),
        CheckConstraint(" AND ".join(f"emotional_{n} >= 0" for n in range(1, 6)), name="emotional_counts"),
        CheckConstraint("population IN ('pupils', 'staff')", name="population"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    moment: Mapped[str] = mapped_column(String(4))
    group_name: Mapped[str] = mapped_column(String(80))
    wellbeing_1: Mapped[int] = mapped_column(default=0)
    wellbeing_2: Mapped[int] = mapped_column(default=0)
    wellbeing_3: Mapped[int] = mapped_column(default=0)
    wellbeing_4: Mapped[int] = mapped_column(default=0)
    wellbeing_5: Mapped[int] = mapped_column(default=0)
    involvement_1: Mapped[int] = mapped_column(default=0)
    involvement_2: Mapped[int] = mapped_column(default=0)
    involvement_3: Mapped[int] = mapped_column(default=0)
    involvement_4: Mapped[int] = mapped_column(default=0)
    involvement_5: Mapped[int] = mapped_column(default=0)
    emotional_1: Mapped[int] = mapped_column(default=0, server_default="0")
    emotional_2: Mapped[int] = mapped_column(default=0, server_default="0")
    emotional_3: Mapped[int] = mapped_column(default=0, server_default="0")
    emotional_4: Mapped[int] = mapped_column(default=0, server_default="0")
    emotional_5: Mapped[int] = mapped_column(default=0, server_default="0")
    population: Mapped[str] = mapped_column(String(6), default="pupils", server_default="pupils")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()

    def counts(self, scale: str) -> list[int]:
        """The five counts of one scale, level 1 first."""
        return [getattr(self, f"{scale}_{n}") for n in range(1, 6)]

    def total(self, scale: str) -> int:
        return sum(self.counts(scale))
