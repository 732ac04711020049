"""Webhooks: a director (for their school) or the coordinator (for every school) registers a URL for
events; each event is delivered to each matching webhook exactly once, signed.

- `emit(event, school_id, key, data)` queues one delivery per matching webhook in the same unit of
  work as the change (a rolled-back change sends nothing). A (webhook, event key) pair is unique in
  the table, so an event is queued once whatever happens later.
- The sweep (`deliver_webhooks`, run by the scheduler) claims due deliveries as it claims emails,
  POSTs them signed (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature:
  v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), and retries a failure with backoff (1 minute,
  doubling, at most 6 hours; given up after `MAX_ATTEMPTS`). The `webhook-id` is the same on every
  attempt, so a receiver that saw a delivery (and answered too late) can drop the repeat.
- URLs on private, loopback or link-local networks are refused in production (and checked again
  before each delivery), so a webhook cannot reach the servers behind the app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

EVENTS = {
    "decision_recorded": _l("Besluit geregistreerd"),
    "sprint_started": _l("Sprint gestart"),
    "sprint_closed": _l("Sprint afgesloten"),
    "idea_answered": _l("Idee beantwoord"),
    "agreement_signed": _l("Intakeovereenkomst ondertekend"),
}
MAX_ATTEMPTS = 8
PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"


class WebhookError(ServiceError):
    """A refused webhook (the message is for the person)."""


class Webhook(db.Model):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: every school's events (the coordinator's).
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list] = mapped_column(JSON, default=list)
    # The signing secret, encrypted with a key derived from SECRET_KEY; shown to who manages the webhook.
    secret_sealed: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_key"),
        Index("ix_webhook_deliveries_queue", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    # What happened to what ("decision_recorded:17"): once per webhook.
    event_key: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    webhook: Mapped[Webhook] = relationship()


# --- secrets and signatures ---------------------------------------------------------------------


def _fernet() -> Fernet:
    key = hashlib.sha256(("webhook-secret:" + current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def secret_of(webhook: Webhook) -> str:
    return _fernet().decrypt(webhook.secret_sealed.encode()).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks signature: v1,<base64 of HMAC-SHA256(secret, "id.timestamp.body")>."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (documented in the README): the timestamp is recent and a signature matches."""
    try:
        timestamp = int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, headers.get("webhook-id", ""), timestamp, body)
    return any(hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split())


# --- URLs ---------------------------------------------------------------------------------------


def _private_allowed() -> bool:
    if current_app.config.get("ENV") == "production":
        return False
    return bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", True))


def url_problem(url: str) -> str | None:
    """Why a webhook may not post to this URL, or None."""
    parts = urlsplit(url or "")
    production = current_app.config.get("ENV") == "production"
    if parts.scheme not in ("https", "http") or not parts.hostname or (production and parts.scheme != "https"):
        return _("Geef een volledige URL die begint met https://.")
    if parts.username or parts.password:
        return _("Zet geen gebruikersnaam of wachtwoord in de URL; controleer de handtekening.")
    if _private_allowed():
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return _("Deze naam bestaat niet (DNS): %(host)s.", host=parts.hostname)
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            return _("Deze URL wijst naar een intern of privénetwerk; dat mag niet.")
    return None


# --- registering ----------------------------------------------------------------------------------


def create(school_id: int | None, url: str, events: list[str], by) -> tuple[Webhook, str]:
    url = (url or "").strip()
    problem = url_problem(url) if len(url) <= 500 else _("Deze URL is te lang (hoogstens 500 tekens).")
    if problem:
        raise WebhookError(problem)
    chosen = [e for e in events if e in EVENTS]
    if not chosen:
        raise WebhookError(_("Kies minstens één gebeurtenis."))
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    webhook = Webhook(school_id=school_id, url=url, events=chosen, created_by_id=by.id,
                      secret_sealed=_fernet().encrypt(secret.encode()).decode())
    db.session.add(webhook)
    db.session.flush()
    return webhook, secret


def deactivate(webhook: Webhook) -> None:
    webhook.active = False
    db.session.flush()


def hooks_of(school_id: int | None) -> list[Webhook]:
    return list(db.session.scalars(db.select(Webhook).where(
        Webhook.school_id.is_(None) if school_id is None else Webhook.school_id == school_id,
        Webhook.active.is_(True)).order_by(Webhook.created_at, Webhook.id)))


def recent_deliveries(webhook: Webhook, limit: int = 50) -> list[WebhookDelivery]:
    return list(db.session.scalars(db.select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


# --- events ------------------------------------------------------------------------------------


def emit(event: str, school_id: int, key: str, data: dict) -> int:
    """Queue the event for every active webhook that wants it (the school's and the programme-wide)."""
    hooks = db.session.scalars(db.select(Webhook).where(
        Webhook.active.is_(True), (Webhook.school_id == school_id) | Webhook.school_id.is_(None))).all()
    event_key = f"{event}:{key}"
    queued = 0
    for hook in hooks:
        if event not in hook.events:
            continue
        exists = db.session.scalar(db.select(WebhookDelivery.id).where(
            WebhookDelivery.webhook_id == hook.id, WebhookDelivery.event_key == event_key))
        if exists:
            continue
        body = {"type": event, "id": event_key, "school_id": school_id,
                "timestamp": utcnow().replace(microsecond=0).isoformat() + "Z", "data": data}
        db.session.add(WebhookDelivery(webhook_id=hook.id, event=event, event_key=event_key,
                                       payload=json.dumps(body, ensure_ascii=False, sort_keys=True)))
        queued += 1
    return queued


def backoff(attempts: int) -> timedelta:
    """1 minute, then doubling, at most 6 hours."""
    return min(timedelta(minutes=1) * 2 ** max(attempts - 1, 0), timedelta(hours=6))
