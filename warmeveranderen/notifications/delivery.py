"""Email of notifications (reminders and those from notify()), per each person's preference.

`deliver_pending()` claims notification rows with a token (an atomic conditional UPDATE), so two
sweeps never email the same row; failures are retried with backoff and never stop the sweep.
`deliver_digests()` sends one email a day per person who chose the digest, at or after their
chosen hour (Brussels time). A sweep sends all its email over one SMTP connection
(`mail_connection()`); each email's "sent" mark is committed on its own right after it went out
(autocommit: a crash of the sweep after it never sends the same email again). Like the sweep,
this is a job of small committed steps, not one unit of work (see warmeveranderen/uow.py).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.config import base_url
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.mail import MailError, mail_connection, send_email
from warmeveranderen.notifications.models import (
    EMAIL_DIGEST,
    EMAIL_FAILED,
    EMAIL_NONE,
    EMAIL_PENDING,
    EMAIL_RETRY,
    EMAIL_SENDING,
    EMAIL_SENT,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from warmeveranderen.timeutil import to_local, utcnow

if TYPE_CHECKING:
    from warmeveranderen.notifications.sweep import SweepReport

log = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 8
# After this many failed emails in a row the sweep stops trying until the next sweep.
MAX_CONSECUTIVE_FAILURES = 3
DEFAULT_MODE = "immediate"
DEFAULT_DIGEST_HOUR = 7


def backoff(attempts: int) -> timedelta:
    """5 minutes, then doubling, at most 6 hours."""
    return min(timedelta(minutes=5) * 2 ** max(attempts - 1, 0), timedelta(hours=6))


def modes_for(user_ids) -> dict[tuple[int, str], str]:
    """(user id, category) -> delivery mode, for the given people."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(NotificationPreference.user_id, NotificationPreference.category, NotificationPreference.mode)
        .where(NotificationPreference.user_id.in_(list(user_ids)))
    ).all()
    return {(uid, category): mode for uid, category, mode in rows}


def _claim_notifications(token: str, where, now: datetime, limit: int | None = None) -> list[Notification]:
    ids = db.select(Notification.id).where(*where).order_by(Notification.id)
    if limit:
        ids = ids.limit(limit)
    db.session.execute(
        db.update(Notification)
        .where(Notification.id.in_(ids.scalar_subquery()), *where)
        .values(email_status=EMAIL_SENDING, email_claim=token, email_claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return db.session.scalars(
        db.select(Notification)
        .where(Notification.email_claim == token)
        .options(selectinload(Notification.user), selectinload(Notification.school))
        .order_by(Notification.created_at, Notification.id)
    ).all()


def deliver_pending(now: datetime | None = None, report: SweepReport | None = None, limit: int = 500) -> int:
    """Email notifications (reminders and direct ones from notify()) per each person's preference."""
    now = now or utcnow()
    sent = 0
    with mail_connection():
        while True:
            batch_sent, claimed = _deliver_pending_batch(now, report, limit)
            sent += batch_sent
            if claimed < limit:
                break
    if report is not None:
        report.emails_sent += sent
    return sent


def _deliver_pending_batch(now: datetime, report: SweepReport | None, limit: int) -> tuple[int, int]:
    token = secrets.token_hex(16)
    where = (
        Notification.email_status.in_((EMAIL_PENDING, EMAIL_RETRY)),
        or_(Notification.email_next_attempt_at.is_(None), Notification.email_next_attempt_at <= now),
    )
    # Plain snapshots: every commit below expires ORM objects, and reloading them costs queries.
    rows = [_snapshot(n) for n in _claim_notifications(token, where, now, limit)]
    if not rows:
        return 0, 0
    modes = modes_for({n.user_id for n in rows})
    to_send, digest_ids, none_ids = [], [], []
    for n in rows:
        mode = modes.get((n.user_id, n.category), DEFAULT_MODE)
        if not n.user.is_active or mode == "in_app":
            none_ids.append(n.id)
        elif mode == "digest":
            digest_ids.append(n.id)
        else:
            to_send.append(n)
    for ids, status in ((digest_ids, EMAIL_DIGEST), (none_ids, EMAIL_NONE)):
        if ids:
            _set(ids, email_status=status, email_claim=None)
    db.session.commit()
    sent = failures_in_row = 0
    # Each email's outcome is written at once in its own autocommit statement (one round trip, no
    # separate COMMIT): a crash of the sweep after it never sends the same email again.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as marks:
        postgres = marks.dialect.name == "postgresql"
        if postgres:
            # These marks need not wait for the WAL flush: the row is committed and visible at once;
            # only a crash of the database server itself within a fraction of a second could lose a
            # mark, and then that one email is sent once more. Saves ~0.6 ms per email. Reset before
            # the connection goes back to the pool: other writes keep the server's setting.
            marks.exec_driver_sql("SET synchronous_commit TO off")
        try:
            for n in to_send:
                sent += _send_one(n, now, report, marks, failures_in_row >= MAX_CONSECUTIVE_FAILURES)
                failures_in_row = 0 if n.outcome == EMAIL_SENT else failures_in_row + (n.outcome == "error")
        finally:
            if postgres:
                marks.exec_driver_sql("RESET synchronous_commit")
    return sent, len(rows)


def _send_one(n, now: datetime, report: SweepReport | None, marks, server_down: bool) -> int:
    """Send one claimed notification's email and record the outcome on `n.outcome`; 1 if it was sent."""
    def set_one(**values) -> None:
        marks.execute(_UPDATE_ONE, {"notification_pk": n.id, **values})

    if server_down:
        # The mail server is down: leave the rest for a later sweep without counting an attempt.
        set_one(email_status=EMAIL_RETRY, email_claim=None, email_next_attempt_at=now + backoff(1))
        n.outcome = "skipped"
        return 0
    try:
        _send_notification_email(n)
    except Exception as exc:  # noqa: BLE001 - one message must never stop the others (issue 15)
        # A MailError is the server's; anything else (a line break in a title makes building the
        # message raise ValueError) is this message's own: it counts an attempt, gives up after
        # MAX_EMAIL_ATTEMPTS, and does not make the sweep think the server is down.
        attempts = n.email_attempts + 1
        final = attempts >= MAX_EMAIL_ATTEMPTS
        reason = str(exc) if isinstance(exc, MailError) else f"{type(exc).__name__}: {exc}"
        set_one(email_status=EMAIL_FAILED if final else EMAIL_RETRY, email_claim=None,
                email_attempts=attempts, email_last_error=reason[:2000],
                email_next_attempt_at=None if final else now + backoff(attempts))
        log.warning("Email to %s failed (attempt %s): %s", n.user.email, attempts, reason)
        if report is not None:
            report.errors.append(f"e-mail {n.user.email}: {reason}")
        n.outcome = "error" if isinstance(exc, MailError) else "bad"
        return 0
    set_one(email_status=EMAIL_SENT, email_claim=None, emailed_at=now, email_last_error=None)
    n.outcome = EMAIL_SENT
    return 1


def _set(ids: list[int], **values) -> None:
    db.session.execute(
        db.update(Notification).where(Notification.id.in_(ids)).values(**values)
        .execution_options(synchronize_session=False)
    )


# One notification by id; the SET clause comes from the parameters, so the statement is built once
# and its compiled form cached per set of columns.
_UPDATE_ONE = Notification.__table__.update().where(Notification.__table__.c.id == bindparam("notification_pk"))


def _snapshot(n: Notification) -> SimpleNamespace:
    user = SimpleNamespace(id=n.user.id, email=n.user.email, name=n.user.name, locale=n.user.locale,
                           is_active=n.user.is_active)
    school = SimpleNamespace(name=n.school.name) if n.school is not None else None
    return SimpleNamespace(id=n.id, user_id=n.user_id, user=user, school=school, category=n.category,
                           title=n.title, body=n.body, url=n.url, email_attempts=n.email_attempts)


def _link(path: str) -> str:
    return base_url() + path


def _send_notification_email(n) -> None:
    user = n.user
    send_email(
        user.email,
        n.title,
        "notification",
        locale=user.locale,
        user=user,
        notification=n,
        link=_link(n.url),
        preferences_link=_link("/meldingen/voorkeuren"),
    )


def deliver_digests(now: datetime | None = None, report: SweepReport | None = None) -> int:
    """Send each person who chose the digest one email with what waits, at or after their hour."""
    now = now or utcnow()
    local = to_local(now)
    user_ids = db.session.scalars(
        db.select(Notification.user_id).where(Notification.email_status == EMAIL_DIGEST).distinct()
    ).all()
    if not user_ids:
        return 0
    settings = {
        s.user_id: s
        for s in db.session.scalars(db.select(NotificationSettings).where(NotificationSettings.user_id.in_(user_ids)))
    }
    with mail_connection():
        sent = _deliver_digests_to(user_ids, settings, now, local, report)
    if report is not None:
        report.digests_sent += sent
    return sent


def _deliver_digests_to(user_ids, settings, now: datetime, local: datetime, report: SweepReport | None) -> int:
    sent = 0
    for user_id in user_ids:
        s = settings.get(user_id)
        hour = s.digest_hour if s else DEFAULT_DIGEST_HOUR
        if local.hour < hour or (s is not None and s.last_digest_on is not None and s.last_digest_on >= local.date()):
            continue
        token = secrets.token_hex(16)
        rows = _claim_notifications(
            token, (Notification.user_id == user_id, Notification.email_status == EMAIL_DIGEST), now
        )
        if not rows:
            continue
        user = rows[0].user
        try:
            with in_locale(user):
                subject = _("Je dagelijks overzicht van Warm Veranderen")
            send_email(
                user.email, subject, "digest", locale=user.locale, user=user,
                items=[(n, _link(n.url)) for n in rows], preferences_link=_link("/meldingen/voorkeuren"),
            )
        except Exception as exc:  # noqa: BLE001 - one person's digest must not stop the others (issue 15)
            reason = str(exc) if isinstance(exc, MailError) else f"{type(exc).__name__}: {exc}"
            log.warning("Digest to %s failed: %s", user.email, reason)
            for n in rows:
                n.email_attempts += 1
                final = n.email_attempts >= MAX_EMAIL_ATTEMPTS
                n.email_status, n.email_claim = (EMAIL_FAILED if final else EMAIL_DIGEST), None
                n.email_last_error = reason[:2000]
            db.session.commit()
            if report is not None:
                report.errors.append(f"overzicht {user.email}: {reason}")
            continue
        for n in rows:
            n.email_status, n.emailed_at, n.email_claim, n.email_last_error = EMAIL_SENT, now, None, None
        db.session.commit()
        _mark_digest_day(user_id, local.date())
        sent += 1
    return sent


def _mark_digest_day(user_id: int, day) -> None:
    s = db.session.get(NotificationSettings, user_id)
    if s is None:
        s = NotificationSettings(user_id=user_id, digest_hour=DEFAULT_DIGEST_HOUR)
        db.session.add(s)
    s.last_digest_on = day
    try:
        db.session.commit()
    except IntegrityError:  # created at the same moment by another sweep
        db.session.rollback()


def pending_failures(limit: int = 50) -> list[Notification]:
    """Notifications whose email failed at least once and is not yet sent (for the scheduler page)."""
    return db.session.scalars(
        db.select(Notification)
        .where(Notification.email_status.in_((EMAIL_RETRY, EMAIL_FAILED)), Notification.email_attempts > 0)
        .options(selectinload(Notification.user))
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()
