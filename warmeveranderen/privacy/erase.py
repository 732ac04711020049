"""*Account verwijderen*: the account goes; what the person wrote in shared records stays readable under
a pseudonym ("Oud-forumlid"), so decisions, minutes and signed agreements keep their meaning.

- removed: the person's roles, adviser assignments, school-account links, API tokens, notifications,
  preferences, sent-reminder log, supports, attendance lists, and invitations to their address;
- kept, pseudonymised: the `users` row itself (so every reference stays valid) with name
  "Oud-<rol>", an address that is no address, no password, no sign-in, inactive;
- recorded: an `account_erasures` row (who asked, who did it, when) — the audit trail, without the
  person's name or address.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.extensions import db
from warmeveranderen.privacy.records import REMOVED, sources
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

PSEUDONYMS = {  # the most telling role first
    FORUM: "Oud-forumlid", FLYWHEEL: "Oud-vliegwiellid", DIRECTOR: "Oud-directeur", BOARD: "Oud-bestuurslid",
}


class ErasureError(ServiceError):
    pass


class AccountErasure(db.Model):
    """The audit trail of erasures: which account id, on whose request, by whom, when."""

    __tablename__ = "account_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[str] = mapped_column(String(20))  # "self" or "coordinator"
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pseudonym: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def pseudonym(user: User) -> str:
    roles = {m.role for m in user.memberships}
    for role, name in PSEUDONYMS.items():
        if role in roles:
            return name
    if user.is_adviser:
        return "Oud-adviseur"
    if user.is_coordinator:
        return "Oud-coördinator"
    return "Oud-lid"


def erase(user: User, *, by: User) -> AccountErasure:
    """Remove the account and pseudonymise the person in shared records."""
    if user.email.endswith("@verwijderd.invalid"):
        raise ErasureError(_("Deze account is al verwijderd."))
    if user.is_coordinator:
        others = db.session.scalar(db.select(db.func.count()).select_from(User).where(
            User.is_coordinator.is_(True), User.active.is_(True), User.id != user.id))
        if not others:
            raise ErasureError(_("Dit is de enige coördinator. Geef eerst iemand anders die rol."))
    name = pseudonym(user)
    for source in sources():
        if source.table.name in REMOVED:
            db.session.execute(source.table.delete().where(source.table.c[source.column] == user.id))
    db.session.execute(db.delete(Invitation).where(Invitation.email == user.email))
    db.session.expire(user, ["memberships", "adviser_assignments"])
    user.name = name
    user.email = f"account-{user.id}@verwijderd.invalid"
    user.password_hash = None
    user.uses_sso = False
    user.active = False
    user.is_coordinator = False
    user.is_adviser = False
    user.session_token = secrets.token_hex(8)  # every session and signed link dies
    user.session_version += 1
    record = AccountErasure(user_id=user.id, requested_by="self" if by.id == user.id else "coordinator",
                            done_by_id=by.id if by.id != user.id else None, pseudonym=name)
    db.session.add(record)
    db.session.flush()
    return record
