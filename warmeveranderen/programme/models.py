"""Programme -> warm cities and learning networks -> schools; memberships and adviser assignments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(default="")
    # Bumped by every unit of work that changes something of no one school (warmeveranderen/pagecache.py).
    cache_version: Mapped[int] = mapped_column(default=0, server_default="0")

    cities: Mapped[list[WarmCity]] = relationship(back_populates="programme", order_by="WarmCity.name")
    networks: Mapped[list[LearningNetwork]] = relationship(
        back_populates="programme", order_by="LearningNetwork.name"
    )


class WarmCity(db.Model):
    """A warme stad."""

    __tablename__ = "warm_cities"
    # The school list reads the cities by name, then each city's schools by name (ix_schools_city_name).
    __table_args__ = (UniqueConstraint("programme_id", "name"), Index("ix_warm_cities_name", "name", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    programme: Mapped[Programme] = relationship(back_populates="cities")
    schools: Mapped[list[School]] = relationship(back_populates="city", order_by="School.name")


class LearningNetwork(db.Model):
    """A lerend netwerk of about five schools; it may span cities."""

    __tablename__ = "learning_networks"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    programme: Mapped[Programme] = relationship(back_populates="networks")
    schools: Mapped[list[School]] = relationship(back_populates="network", order_by="School.name")


class School(db.Model):
    __tablename__ = "schools"
    # Listed by name (Opvolging) and per warm city by name (the school list), a page at a time.
    __table_args__ = (
        UniqueConstraint("programme_id", "name"),
        Index("ix_schools_name", "name", "id"),
        Index("ix_schools_city_name", "city_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    city_id: Mapped[int] = mapped_column(ForeignKey("warm_cities.id", ondelete="RESTRICT"), index=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_networks.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[str | None] = mapped_column(String(20))
    umbrella: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every unit of work that changes something of this school (warmeveranderen/pagecache.py).
    cache_version: Mapped[int] = mapped_column(default=0, server_default="0")

    programme: Mapped[Programme] = relationship()
    city: Mapped[WarmCity] = relationship(back_populates="schools")
    network: Mapped[LearningNetwork | None] = relationship(back_populates="schools")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="school", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<School {self.name}>"


class SchoolTableVersion(db.Model):
    """How often each kind of thing (a table) of a school has changed: raised with the school's version by
    the unit of work that changes it (cacheversions.py). A cached part of a school's page is kept under the
    versions of the tables it read (pagecache.py), so a change of one kind renders only the parts that
    read that kind again. No row: never changed (0)."""

    __tablename__ = "school_table_versions"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Membership(db.Model):
    """One role of one person in one school; a person may hold several."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "school_id", "role"),
        CheckConstraint("role IN ('director', 'board', 'flywheel', 'forum')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # The trekker of the flywheel.
    is_lead: Mapped[bool] = mapped_column(default=False)
    # For forum members: which stakeholders they speak for.
    stakeholder_group: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship(back_populates="memberships")


class AdviserAssignment(db.Model):
    """An adviser coaches a school, or every school of a learning network."""

    __tablename__ = "adviser_assignments"
    __table_args__ = (
        UniqueConstraint("adviser_id", "school_id", "network_id"),
        CheckConstraint(
            "(school_id IS NULL) <> (network_id IS NULL)", name="school_xor_network"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_networks.id", ondelete="CASCADE"), index=True
    )

    adviser: Mapped[User] = relationship(back_populates="adviser_assignments")
    school: Mapped[School | None] = relationship()
    network: Mapped[LearningNetwork | None] = relationship()


class AuditEntry(db.Model):
    """The programme's log of structural corrections: a warm city, learning network or school renamed,
    merged into another or removed, by whom and when. Names are kept as text: the subject may be gone."""

    __tablename__ = "programme_audit"
    __table_args__ = (
        CheckConstraint("action IN ('rename', 'merge', 'remove')", name="action"),
        CheckConstraint("subject IN ('city', 'network', 'school')", name="subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))  # the subject's name before the change
    target: Mapped[str | None] = mapped_column(String(200))  # the new name, or what it was merged into
    detail: Mapped[str] = mapped_column(Text, default="")  # what moved with it

    user: Mapped[User | None] = relationship()
