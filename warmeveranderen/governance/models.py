"""The programme's own bodies and their meetings: members, cadence, agenda, minutes, decisions, actions.

A body (stuurgroep, team van adviseurs, expertisenetwerk, klankbordgroep, or a warm city's local
steering group) meets in a series planned ahead from its cadence. A meeting's agenda is its body's
standard items, the actions still open from earlier meetings and the items members add; the minutes
record attendance, a summary, decisions and actions (who, by when). An action stays on every next
agenda until it is done.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import WarmCity
from warmeveranderen.timeutil import utcnow

# kind -> (label, cadence unit, every). Seed 003 §8: steering group every 8 weeks, advisers every
# 2 weeks, expertise network quarterly, sounding board every semester; a warm city's local steering
# group follows the programme's steering group.
BODY_KINDS = {
    "steering_group": (_l("Stuurgroep"), "weeks", 8),
    "advisers_team": (_l("Team van adviseurs"), "weeks", 2),
    "expertise_network": (_l("Expertisenetwerk"), "months", 3),
    "sounding_board": (_l("Klankbordgroep"), "months", 6),
    "city_steering_group": (_l("Lokale stuurgroep warme stad"), "weeks", 8),
}
CADENCE_UNITS = {"weeks": _l("weken"), "months": _l("maanden")}
MEMBER_ROLES = {"chair": _l("Voorzitter"), "secretary": _l("Verslaggever"), "member": _l("Lid")}
ATTENDANCE = {"present": _l("Aanwezig"), "excused": _l("Verontschuldigd"), "absent": _l("Afwezig")}


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class Body(db.Model):
    """One of the programme's bodies, or a warm city's local steering group (city set)."""

    __tablename__ = "governance_bodies"
    __table_args__ = (
        CheckConstraint(_in("kind", BODY_KINDS), name="kind"),
        CheckConstraint(_in("cadence_unit", CADENCE_UNITS), name="cadence_unit"),
        CheckConstraint("cadence_every BETWEEN 1 AND 52", name="cadence_every"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("warm_cities.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    cadence_unit: Mapped[str] = mapped_column(String(10))
    cadence_every: Mapped[int]
    first_meeting_on: Mapped[date] = mapped_column(Date)
    # Local time of day ("14:00") and place of every meeting unless a meeting says otherwise.
    meeting_time: Mapped[str] = mapped_column(String(5), default="14:00")
    duration_minutes: Mapped[int] = mapped_column(default=120)
    location: Mapped[str] = mapped_column(String(200), default="")
    # Standard agenda items, one per entry, on every meeting's agenda.
    standard_items: Mapped[list] = mapped_column(JSON, default=list)
    # Planned dates move off Flemish school holidays and free days to the next school day.
    avoid_holidays: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    city: Mapped[WarmCity | None] = relationship()
    members: Mapped[list[BodyMember]] = relationship(back_populates="body", cascade="all, delete-orphan",
                                                     order_by="BodyMember.id")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="body", cascade="all, delete-orphan",
                                                   order_by="Meeting.starts_at")

    @property
    def kind_label(self) -> str:
        return str(BODY_KINDS[self.kind][0])

    def member(self, user) -> BodyMember | None:
        return next((m for m in self.members if m.user_id == getattr(user, "id", None)), None)


class BodyMember(db.Model):
    __tablename__ = "governance_body_members"
    __table_args__ = (
        UniqueConstraint("body_id", "user_id"),
        CheckConstraint(_in("role", MEMBER_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("governance_bodies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12), default="member")
    # Free text: which organisation the person represents (koepel, vakbond, VLOR, ...).
    represents: Mapped[str] = mapped_column(String(200), default="")

    body: Mapped[Body] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Meeting(db.Model):
    """One meeting of a body's series."""

    __tablename__ = "governance_meetings"
    __table_args__ = (
        UniqueConstraint("body_id", "number"),
        # The reminders look for meetings in a date window over all bodies.
        Index("ix_governance_meetings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("governance_bodies.id", ondelete="CASCADE"))
    number: Mapped[int]
    starts_at: Mapped[datetime]  # naive UTC
    location: Mapped[str] = mapped_column(String(200), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    agenda_sent_at: Mapped[datetime | None]
    agenda_sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    minutes_at: Mapped[datetime | None]
    minutes_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The minutes may be shared with the schools (of the programme, or of the local body's city).
    minutes_shared: Mapped[bool] = mapped_column(default=False)

    body: Mapped[Body] = relationship(back_populates="meetings")
    items: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                   order_by="AgendaItem.id")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                        order_by="Attendance.id")
    decisions: Mapped[list[BodyDecision]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                     order_by="BodyDecision.id")
    actions: Mapped[list[Action]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                 order_by="Action.id")

    @property
    def has_minutes(self) -> bool:
        return self.minutes_at is not None


class AgendaItem(db.Model):
    """An item a member added to a meeting's agenda (standard items and open actions are not stored)."""

    __tablename__ = "governance_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    added_by: Mapped[User | None] = relationship()


class Attendance(db.Model):
    __tablename__ = "governance_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(_in("status", ATTENDANCE), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship()


class BodyDecision(db.Model):
    __tablename__ = "governance_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meetings.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class Action(db.Model):
    """An action agreed in a meeting: who, by when; open until someone marks it done."""

    __tablename__ = "governance_actions"
    __table_args__ = (
        # The overdue reminder looks for open actions in a window of due dates.
        Index("ix_governance_actions_open_due", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meetings.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("governance_bodies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_note: Mapped[str] = mapped_column(String(2000), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def is_open(self) -> bool:
        return self.done_at is None
