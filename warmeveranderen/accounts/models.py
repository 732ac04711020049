"""People who log in, their failed logins and their invitations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow

if TYPE_CHECKING:
    from warmeveranderen.programme.models import AdviserAssignment, Membership, School


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Empty until the person accepts an invitation and chooses a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    is_adviser: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Changes whenever the password changes; signed links and sessions carry it, so they die with it.
    session_token: Mapped[str] = mapped_column(String(32), default="")
    # Goes up at every logout: sessions and "stay logged in" cookies carry it, so logging out on one
    # device ends that person's sessions everywhere (a copied cookie included).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    adviser_assignments: Mapped[list[AdviserAssignment]] = relationship(
        back_populates="adviser", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active and self.password_hash is not None

    def get_id(self) -> str:
        # The session token (password changes, resets) and the session version (logouts) end old sessions.
        return f"{self.id}:{self.session_token}:{self.session_version}"

    def roles_in(self, school: School) -> set[str]:
        """The school roles this person holds in that school."""
        return {m.role for m in self.memberships if m.school_id == school.id}

    def membership(self, school: School, role: str) -> Membership | None:
        """This person's membership of that school in that role, if any."""
        for m in self.memberships:
            if m.school_id == school.id and m.role == role:
                return m
        return None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginAttempt(db.Model):
    """Failed logins, kept in the database so the throttle holds across workers."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Invitation(db.Model):
    """An invitation to join the programme or a school in a role; used once."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    # A school role (director, board, flywheel, forum) or a programme role (coordinator, adviser).
    role: Mapped[str] = mapped_column(String(20))
    is_lead: Mapped[bool] = mapped_column(default=False)
    stakeholder_group: Mapped[str | None] = mapped_column(String(20))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.current_timestamp())
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    school: Mapped[School | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
