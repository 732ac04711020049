"""Sending webhooks: claimed like emails, one commit per delivery (its outcome is recorded before the
next one goes out), retried with backoff. Run by the sweep; `send_now` for the "Test versturen" button."""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime, timedelta

import requests
from flask import current_app
from sqlalchemy import or_

from warmeveranderen.extensions import db
from warmeveranderen.notifications.webhooks import (
    DELIVERED,
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    SENDING,
    WebhookDelivery,
    backoff,
    secret_of,
    sign,
    url_problem,
)
from warmeveranderen.timeutil import utcnow

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=15)
TIMEOUT = 10


def _post(delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    """(status code, error) of one attempt; nothing is raised."""
    hook = delivery.webhook
    problem = url_problem(hook.url)  # again: the name may point elsewhere now
    if problem:
        return None, problem
    body = delivery.payload.encode()
    message_id = f"msg_{delivery.id}"
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "warmeveranderen-webhooks",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret_of(hook), message_id, timestamp, body),
    }
    try:
        response = requests.post(hook.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _record(delivery: WebhookDelivery, status: int | None, error: str | None, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error
    delivery.claim = None
    if error is None:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DELIVERED, utcnow(), None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = FAILED, None
    else:
        delivery.status, delivery.next_attempt_at = PENDING, now + backoff(delivery.attempts)


def deliver_webhooks(now: datetime | None = None, report=None, limit: int = 200) -> int:
    """Send every due delivery once; returns how many arrived."""
    now = now or utcnow()
    db.session.execute(  # a claim of a crashed sweep is taken up again
        db.update(WebhookDelivery).where(WebhookDelivery.status == SENDING,
                                         WebhookDelivery.claimed_at < now - STALE_CLAIM)
        .values(status=PENDING, claim=None).execution_options(synchronize_session=False))
    token = secrets.token_hex(16)
    due = (WebhookDelivery.status == PENDING,
           or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
    ids = db.select(WebhookDelivery.id).where(*due).order_by(WebhookDelivery.id).limit(limit)
    db.session.execute(db.update(WebhookDelivery).where(WebhookDelivery.id.in_(ids.scalar_subquery()), *due)
                       .values(status=SENDING, claim=token, claimed_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()  # the claim: a second sweep now skips these
    arrived = 0
    for delivery in db.session.scalars(db.select(WebhookDelivery).where(WebhookDelivery.claim == token)
                                       .order_by(WebhookDelivery.id)).all():
        status, error = _post(delivery)
        _record(delivery, status, error, now)
        db.session.commit()  # the outcome before the next one (exactly-once delivery)
        arrived += error is None
        if error:
            log.warning("Webhook %s delivery %s failed: %s", delivery.webhook_id, delivery.id, error)
    if report is not None and hasattr(report, "webhooks_sent"):
        report.webhooks_sent += arrived
    return arrived


def send_test(webhook) -> WebhookDelivery:
    """A "ping" to the webhook now (the button); its outcome is in the delivery log."""
    payload = {"type": "ping", "id": f"ping:{secrets.token_hex(6)}", "school_id": webhook.school_id,
               "timestamp": utcnow().replace(microsecond=0).isoformat() + "Z",
               "data": {"message": "Test van Warm Veranderen"}}
    delivery = WebhookDelivery(webhook=webhook, event="ping", event_key=payload["id"],
                               payload=json.dumps(payload, ensure_ascii=False, sort_keys=True))
    db.session.add(delivery)
    db.session.flush()
    status, error = _post(delivery)
    _record(delivery, status, error, utcnow())
    if error is not None:  # a test is not retried
        delivery.status, delivery.next_attempt_at = FAILED, None
    db.session.flush()
    current_app.logger.info("Webhook %s test: %s", webhook.id, error or status)
    return delivery
