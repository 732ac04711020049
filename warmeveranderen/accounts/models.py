"""People who log in, their failed logins and their invitations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow

if TYPE_CHECKING:
    from warmeveranderen.programme.models import AdviserAssignment, Membership, School


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # The coordinator's people page lists everyone by name, a page at a time.
    __table_args__ = (Index("ix_users_name", "name", "id"),)

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
    # Set when the person links a single sign-on identity: they may then log in without a password.
    uses_sso: Mapped[bool] = mapped_column(default=False, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    adviser_assignments: Mapped[list[AdviserAssignment]] = relationship(
        back_populates="adviser", cascade="all, delete-orphan"
    )

    @hybrid_property
    def has_joined(self) -> bool:
        """Whether the person took up their account: chose a password or linked single sign-on."""
        return self.password_hash is not None or self.uses_sso

    @has_joined.inplace.expression
    @classmethod
    def _has_joined_expression(cls):
        return or_(cls.password_hash.is_not(None), cls.uses_sso.is_(True))

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active and self.has_joined

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


oidc_provider_schools = db.Table(
    "oidc_provider_schools",
    db.Column("provider_id", ForeignKey("oidc_providers.id", ondelete="CASCADE"), primary_key=True),
    db.Column("school_id", ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
)


class OidcProvider(db.Model):
    """A school's or the programme's OpenID Connect provider (Microsoft Entra ID, Google, Smartschool …).

    It serves the people whose address is in one of its email domains and the people of its schools;
    `required` makes it the only way in for them (password login is refused)."""

    __tablename__ = "oidc_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(300))
    # Encrypted with a key derived from SECRET_KEY (accounts.sso_services.seal); never shown again.
    client_secret_sealed: Mapped[str] = mapped_column(String(1000), default="")
    # Lower-case domains separated by spaces ("school.be scholengroep.be"); empty: only its schools.
    email_domains: Mapped[str] = mapped_column(String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schools: Mapped[list[School]] = relationship(secondary=oidc_provider_schools, order_by="School.name")

    @property
    def domains(self) -> list[str]:
        return [d for d in self.email_domains.split() if d]


class SsoIdentity(db.Model):
    """An account's identity at a provider (its stable `sub`), linked once, with the person's consent."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("oidc_providers.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    provider: Mapped[OidcProvider] = relationship()
    user: Mapped[User] = relationship()
