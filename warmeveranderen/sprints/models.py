"""Sprint calendar, sprints, the integral backlog of initiatives, the offer basket and the logs around them.

Field names are a contract with the forum feature (issue 6): add fields, never rename them.
Dates (`*_date`, `held_on`) are Brussels calendar dates; datetimes are naive UTC (`utcnow`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BUILDING_BLOCKS, INITIATIVE_STATUSES, LABEL_COLOURS
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import document_index
from warmeveranderen.programme.models import Programme, School
from warmeveranderen.timeutil import today, utcnow


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class SprintCalendar(db.Model):
    """A school's cadence: when sprint 1 starts and, optionally, its own sprint length."""

    __tablename__ = "sprint_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), unique=True)
    # The first day of sprint 1 (a Monday by default).
    start_date: Mapped[date]
    # None = the programme's default length (default_sprint_weeks()).
    weeks_override: Mapped[int | None]
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # How the sprints are counted: "school_weeks" (holiday weeks do not count; issue 17) or
    # "calendar_days" (7×weeks days back to back, before issue 17: the upkeep replans its future sprints).
    rule: Mapped[str] = mapped_column(String(20), default="school_weeks")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    created_by: Mapped[User | None] = relationship()


class OwnDay(db.Model):
    """A day off of one school (a pedagogical study day) or, without a school, of every school (a network day)."""

    __tablename__ = "own_days"
    __table_args__ = (Index("ix_own_days_school_day", "school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    day: Mapped[date]
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Sprint(db.Model):
    """One sprint of a school; numbered 1, 2, … and contiguous in school time: each starts on the first
    school day after the previous one ends (holidays may lie between them)."""

    __tablename__ = "sprints"
    __table_args__ = (
        UniqueConstraint("school_id", "number"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("state IN ('planned', 'active', 'closed')", name="state"),
        Index("ix_sprints_school_dates", "school_id", "start_date"),
        # The reminder rules look for sprints starting or ending in a date window, over all schools.
        Index("ix_sprints_start_date", "start_date"),
        Index("ix_sprints_end_date", "end_date"),
        # The announcements to the school look for sprints started or closed in a window.
        Index("ix_sprints_started_at", "started_at"),
        Index("ix_sprints_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    start_date: Mapped[date]
    # The last day of the sprint (inclusive).
    end_date: Mapped[date]
    goal: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="planned")
    started_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Review and retrospective, written when the sprint closes (Markdown).
    review_summary: Mapped[str] = mapped_column(Text, default="")
    retro_went_well: Mapped[str] = mapped_column(Text, default="")
    retro_to_improve: Mapped[str] = mapped_column(Text, default="")
    retro_actions: Mapped[str] = mapped_column(Text, default="")
    # What the sprint planned and achieved as it was when it closed (`closing.snapshot`): coverage,
    # planned/achieved and the burn-up. A closed sprint shows this, not what its initiatives became.
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    initiatives: Mapped[list[Initiative]] = relationship(
        back_populates="sprint", order_by="Initiative.position", passive_deletes=True
    )
    checkpoints: Mapped[list[Checkpoint]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan", order_by="Checkpoint.held_on"
    )
    meetings: Mapped[list[FlywheelMeeting]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan", order_by="FlywheelMeeting.held_on"
    )
    results: Mapped[list[SprintResult]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"

    @property
    def shown_state(self) -> str:
        """The state as people read it: a planned sprint whose first day has come is "to start", not
        "planned" (the flywheel still has to set its goal and start it)."""
        if self.state == "planned" and self.start_date <= today():
            return "due"
        return self.state

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def weeks(self) -> int:
        return -(-self.days // 7)

    @property
    def next_start(self) -> date:
        return self.end_date + timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def __repr__(self) -> str:
        return f"<Sprint {self.school_id}#{self.number} {self.start_date}..{self.end_date}>"


class Label(db.Model):
    """A word of a school's own label vocabulary, put on initiatives to filter the board by."""

    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("school_id", "name"), CheckConstraint(_in("colour", LABEL_COLOURS), name="colour"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(10), default="blue")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()


initiative_labels = Table(
    "initiative_labels",
    db.metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", Integer, ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class BasketItem(db.Model):
    """An info sheet in the programme's offer basket (aanbodkorf)."""

    __tablename__ = "basket_items"
    __table_args__ = (
        CheckConstraint(_in("building_block", BUILDING_BLOCKS), name="building_block"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    # What it is (Markdown).
    what: Mapped[str] = mapped_column(Text, default="")
    # For whom (pupils, teachers, parents, the whole school, ...).
    audience: Mapped[str] = mapped_column(Text, default="")
    building_block: Mapped[str] = mapped_column(String(20))
    core_missions: Mapped[list] = mapped_column(JSON, default=list)
    health_level: Mapped[str | None] = mapped_column(String(20))
    health_strategy: Mapped[str | None] = mapped_column(String(20))
    # The screening scales and survey themes it works on (domain.ADDRESSED_THEMES): "from screening to action".
    addresses: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # A provider from the expertise network.
    provider: Mapped[str] = mapped_column(String(160), default="")
    contact: Mapped[str] = mapped_column(String(255), default="")
    # One link per line.
    links: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship()

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Initiative(db.Model):
    """An initiative (initiatief) on a school's integral backlog."""

    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint(_in("status", INITIATIVE_STATUSES), name="status"),
        CheckConstraint(_in("building_block", BUILDING_BLOCKS), name="building_block"),
        Index("ix_initiatives_school_position", "school_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    building_block: Mapped[str] = mapped_column(String(20))
    secondary_block: Mapped[str | None] = mapped_column(String(20))
    # A JSON list of CORE_MISSIONS codes.
    core_missions: Mapped[list] = mapped_column(JSON, default=list)
    health_level: Mapped[str | None] = mapped_column(String(20))
    health_strategy: Mapped[str | None] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="idea")
    # Whether it changes the school and so needs the forum's advice (and a decision) before it is done;
    # a small practical action does not.
    needs_advice: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Backlog order within the school: lower comes first.
    position: Mapped[int] = mapped_column(default=0)
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"), index=True)
    basket_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("basket_items.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    sprint: Mapped[Sprint | None] = relationship(back_populates="initiatives")
    basket_item: Mapped[BasketItem | None] = relationship()
    events: Mapped[list[InitiativeEvent]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeEvent.at"
    )
    labels: Mapped[list[Label]] = relationship(secondary=initiative_labels, order_by="Label.name")

    @property
    def blocks(self) -> list[str]:
        return [b for b in (self.building_block, self.secondary_block) if b]

    def __repr__(self) -> str:
        return f"<Initiative {self.id} {self.title!r} {self.status}>"


# The school's search (PostgreSQL): the same document as the initiatives' search source.
document_index("ix_initiatives_search", Initiative.__table__.c.title, Initiative.__table__.c.description)


class InitiativeEvent(db.Model):
    """A status move of an initiative: who moved the card, when, from where to where."""

    __tablename__ = "initiative_events"
    # The announcement "achieved or dropped" looks for those moves in a window over all schools.
    __table_args__ = (Index("ix_initiative_events_to_status_at", "to_status", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    # The sprint the initiative was in at the time (for the burn-up).
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class SprintResult(db.Model):
    """The review's result for one initiative of a closed sprint."""

    __tablename__ = "sprint_results"
    __table_args__ = (
        UniqueConstraint("sprint_id", "initiative_id"),
        CheckConstraint(
            "result IN ('achieved', 'partly', 'not_achieved', 'carried_over')", name="result"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    sprint: Mapped[Sprint] = relationship(back_populates="results")
    initiative: Mapped[Initiative] = relationship()


class Checkpoint(db.Model):
    """An alignment moment of a sprint: with the governing team at the start, or just before the forum."""

    __tablename__ = "sprint_checkpoints"
    __table_args__ = (
        UniqueConstraint("sprint_id", "kind"),
        CheckConstraint("kind IN ('start', 'pre_forum')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date]
    # Who took part (names as written; the governing team is not always in the app).
    who: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    sprint: Mapped[Sprint] = relationship(back_populates="checkpoints")
    recorded_by: Mapped[User | None] = relationship()


flywheel_meeting_attendees = Table(
    "flywheel_meeting_attendees",
    db.metadata,
    Column("meeting_id", Integer, ForeignKey("flywheel_meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class FlywheelMeeting(db.Model):
    """A meeting of the flywheel during a sprint, with notes and decisions in Markdown."""

    __tablename__ = "flywheel_meetings"
    # The reminder "the flywheel has not met for 14 days" asks for a school's last meeting.
    __table_args__ = (Index("ix_flywheel_meetings_school_held", "school_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sprint: Mapped[Sprint] = relationship(back_populates="meetings")
    attendees: Mapped[list[User]] = relationship(secondary=flywheel_meeting_attendees, order_by="User.name")
    recorded_by: Mapped[User | None] = relationship()


class SprintChange(db.Model):
    """A coordinator's change to the cadence, with the reason: the sprint history.

    kind: "move" (a sprint and all later ones shifted), "length" (the school's sprint length),
    "calendar" (the cadence set up), "reopen" (a sprint closed by mistake opened again), "replan" (the
    school calendar changed: future sprints follow it).
    """

    __tablename__ = "sprint_changes"
    __table_args__ = (CheckConstraint("kind IN ('calendar', 'move', 'length', 'reopen', 'replan')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    old_start: Mapped[date | None]
    new_start: Mapped[date | None]
    old_weeks: Mapped[int | None]
    new_weeks: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    sprint: Mapped[Sprint | None] = relationship()
    changed_by: Mapped[User | None] = relationship()
