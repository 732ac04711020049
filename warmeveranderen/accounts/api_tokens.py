"""Personal API tokens: created, named, listed and revoked on the profile; stored as a hash.

A token reads (scope `read`) or also writes (`write`) what its owner may, by exactly the same
permission predicates as the pages: it is the person, on a machine. The secret is shown once, at
creation; only its SHA-256 is kept (a token is 32 random bytes, so a plain hash suffices), with a
short visible prefix to tell tokens apart. Services flush; the request commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import text_problem
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

PREFIX = "wv_"
SCOPES = {"read": _l("lezen"), "write": _l("lezen en schrijven")}
MAX_TOKENS = 20


class TokenError(ServiceError):
    """A refused token operation (the message is for the person)."""


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The first characters of the secret, shown in the list ("wv_3fA9…").
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def can_write(self) -> bool:
        return self.scope == "write"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once)."""
    problem = text_problem(name, 80, single_line=True)
    if problem or not name.strip():
        raise TokenError(problem or _("Geef de sleutel een naam."))
    if scope not in SCOPES:
        raise TokenError(_("Kies wat de sleutel mag."))
    if len(active_tokens(user)) >= MAX_TOKENS:
        raise TokenError(_("Je hebt al %(n)s sleutels. Trek er eerst een in.", n=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:9], token_hash=_hash(secret), scope=scope)
    db.session.add(token)
    db.session.flush()
    return token, secret


def active_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise TokenError(_("Deze sleutel bestaat niet (meer)."))
    token.revoked_at = utcnow()
    db.session.flush()


def authenticate(secret: str) -> ApiToken | None:
    """The live token for a presented secret, with an active owner; None otherwise."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token
