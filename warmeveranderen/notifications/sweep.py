"""The sweep: ask every reminder rule what is due now, deliver each reminder exactly once, email.

Exactly once: a reminder's send-log row (unique on rule, object, recipient, occurrence) is
inserted and committed *before* anything is delivered; a concurrent sweep's insert fails and it
skips that reminder. The in-app notification and the "delivered" mark are then written in one
transaction. A row left "claimed" by a crash is delivered by a later sweep from the content stored
in the log. Email goes through `deliver_pending()`, which claims notification rows with a token
(an atomic conditional UPDATE), so two sweeps never email the same row; failures are retried with
backoff and never stop the sweep. `deliver_digests()` sends one email a day per person who chose
the digest, at or after their chosen hour (Brussels time).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.mail import MailError, send_email
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
    ReminderLog,
    SchedulerHeartbeat,
)
from warmeveranderen.notifications.rules import Due, Rule, in_locale, load_rules
from warmeveranderen.timeutil import to_local, utcnow

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a crashed sweep and is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_EMAIL_ATTEMPTS = 8
# After this many failed emails in a row the sweep stops trying until the next sweep.
MAX_CONSECUTIVE_FAILURES = 3
DEFAULT_MODE = "immediate"
DEFAULT_DIGEST_HOUR = 7
HEARTBEAT_KEEP = timedelta(days=30)


@dataclass
class SweepReport:
    now: datetime
    dry_run: bool = False
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, email, title)
    per_rule: Counter = field(default_factory=Counter)
    emails_sent: int = 0
    digests_sent: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """5 minutes, then doubling, at most 6 hours."""
    return min(timedelta(minutes=5) * 2 ** max(attempts - 1, 0), timedelta(hours=6))


def sweep(now: datetime | None = None, *, dry_run: bool = False, source: str = "command",
          next_sweep_at: datetime | None = None) -> SweepReport:
    """Run every rule for `now` (naive UTC, default the current time) and deliver what is due."""
    now = now or utcnow()
    started = utcnow()
    report = SweepReport(now=now, dry_run=dry_run)
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context("/", base_url=base_url):
        g.pop("_reminder_offsets", None)
        if not dry_run:
            report.recovered = recover_stale(report)
        for rule in load_rules().values():
            try:
                _run_rule(rule, now, report)
            except Exception as exc:  # a broken rule must not stop the others
                db.session.rollback()
                log.exception("Reminder rule %s failed", rule.code)
                report.errors.append(f"{rule.code}: {exc}")
        if dry_run:
            db.session.rollback()
            return report
        deliver_pending(now, report)
        deliver_digests(now, report)
        _heartbeat(report, started, source, next_sweep_at)
    return report


def _run_rule(rule: Rule, now: datetime, report: SweepReport) -> None:
    dues: dict[tuple[str, int, str], Due] = {}
    for due in rule.fn(now):
        dues.setdefault((due.object_key, due.recipient.id, due.occurrence), due)
    if not dues:
        return
    occurrences = {key[2] for key in dues}
    already = {
        tuple(row)
        for row in db.session.execute(
            db.select(ReminderLog.object_key, ReminderLog.recipient_id, ReminderLog.occurrence).where(
                ReminderLog.rule == rule.code, ReminderLog.occurrence.in_(occurrences)
            )
        )
    }
    for key, due in dues.items():
        if key in already:
            continue
        if report.dry_run:
            report.sent.append((rule.code, due.recipient.email, due.title))
            report.per_rule[rule.code] += 1
            continue
        entry = _claim(rule, due)
        if entry is None:
            continue  # another sweep has it
        _deliver_in_app(entry)
        report.sent.append((rule.code, due.recipient.email, due.title))
        report.per_rule[rule.code] += 1


def _claim(rule: Rule, due: Due) -> ReminderLog | None:
    """Insert the send-log row; None if it exists already (another sweep claimed it)."""
    entry = ReminderLog(
        rule=rule.code,
        object_key=due.object_key[:120],
        recipient_id=due.recipient.id,
        occurrence=due.occurrence[:60],
        category=rule.category,
        title=due.title[:255],
        body=due.body,
        url=due.url,
        school_id=due.school.id if due.school is not None else None,
        status="claimed",
        claimed_at=utcnow(),
    )
    db.session.add(entry)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return entry


def _deliver_in_app(entry: ReminderLog) -> None:
    """Write the notification and mark the log row delivered, in one transaction."""
    notification = Notification(
        user_id=entry.recipient_id,
        school_id=entry.school_id,
        category=entry.category,
        title=entry.title,
        body=entry.body,
        url=entry.url,
        email_status=EMAIL_PENDING,
    )
    db.session.add(notification)
    db.session.flush()
    entry.status = "delivered"
    entry.delivered_at = utcnow()
    entry.notification_id = notification.id
    db.session.commit()


def recover_stale(report: SweepReport | None = None) -> int:
    """Deliver reminders a crashed sweep claimed but never delivered; release stale email claims."""
    cutoff = utcnow() - CLAIM_TIMEOUT
    recovered = 0
    stale = db.session.scalars(
        db.select(ReminderLog).where(ReminderLog.status == "claimed", ReminderLog.claimed_at < cutoff)
    ).all()
    for entry in stale:
        # Re-claim atomically: only one sweep moves claimed_at forward.
        result = db.session.execute(
            db.update(ReminderLog)
            .where(ReminderLog.id == entry.id, ReminderLog.status == "claimed", ReminderLog.claimed_at < cutoff)
            .values(claimed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if result.rowcount != 1:
            continue
        db.session.refresh(entry)
        _deliver_in_app(entry)
        recovered += 1
        if report is not None:
            report.sent.append((entry.rule, entry.recipient.email, entry.title))
            report.per_rule[entry.rule] += 1
    db.session.execute(
        db.update(Notification)
        .where(Notification.email_status == EMAIL_SENDING, Notification.email_claimed_at < cutoff)
        .values(email_status=EMAIL_RETRY, email_claim=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return recovered


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
    token = secrets.token_hex(16)
    where = (
        Notification.email_status.in_((EMAIL_PENDING, EMAIL_RETRY)),
        or_(Notification.email_next_attempt_at.is_(None), Notification.email_next_attempt_at <= now),
    )
    rows = _claim_notifications(token, where, now, limit)
    modes = modes_for({n.user_id for n in rows})
    sent = failures_in_row = 0
    for n in rows:
        mode = modes.get((n.user_id, n.category), DEFAULT_MODE)
        if failures_in_row >= MAX_CONSECUTIVE_FAILURES:
            # The mail server is down: leave the rest for a later sweep without counting an attempt.
            n.email_status, n.email_next_attempt_at = EMAIL_RETRY, now + backoff(1)
        elif not n.user.is_active or mode == "in_app":
            n.email_status = EMAIL_NONE
        elif mode == "digest":
            n.email_status = EMAIL_DIGEST
        else:
            try:
                _send_notification_email(n)
            except MailError as exc:
                failures_in_row += 1
                _record_failure(n, exc, now)
                if report is not None:
                    report.errors.append(f"e-mail {n.user.email}: {exc}")
            else:
                failures_in_row = 0
                n.email_status, n.emailed_at, n.email_last_error = EMAIL_SENT, now, None
                sent += 1
        n.email_claim = None
        db.session.commit()
    if report is not None:
        report.emails_sent += sent
    return sent


def _record_failure(n: Notification, exc: Exception, now: datetime) -> None:
    n.email_attempts += 1
    n.email_last_error = str(exc)[:2000]
    if n.email_attempts >= MAX_EMAIL_ATTEMPTS:
        n.email_status = EMAIL_FAILED
    else:
        n.email_status = EMAIL_RETRY
        n.email_next_attempt_at = now + backoff(n.email_attempts)
    log.warning("Email to %s failed (attempt %s): %s", n.user.email, n.email_attempts, exc)


def _link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send_notification_email(n: Notification) -> None:
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
        except MailError as exc:
            for n in rows:
                n.email_status, n.email_claim = EMAIL_DIGEST, None
                n.email_attempts += 1
                n.email_last_error = str(exc)[:2000]
            db.session.commit()
            if report is not None:
                report.errors.append(f"overzicht {user.email}: {exc}")
            continue
        for n in rows:
            n.email_status, n.emailed_at, n.email_claim, n.email_last_error = EMAIL_SENT, now, None, None
        db.session.commit()
        _mark_digest_day(user_id, local.date())
        sent += 1
    if report is not None:
        report.digests_sent += sent
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


def _heartbeat(report: SweepReport, started: datetime, source: str, next_sweep_at: datetime | None) -> None:
    finished = utcnow()
    db.session.add(
        SchedulerHeartbeat(
            started_at=started,
            finished_at=finished,
            swept_for=report.now,
            next_sweep_at=next_sweep_at,
            reminders_sent=len(report.sent),
            emails_sent=report.emails_sent,
            digests_sent=report.digests_sent,
            failures=len(report.errors),
            per_rule=json.dumps(dict(report.per_rule), sort_keys=True),
            errors="\n".join(report.errors)[:10000],
            source=source,
        )
    )
    db.session.execute(db.delete(SchedulerHeartbeat).where(SchedulerHeartbeat.started_at < finished - HEARTBEAT_KEEP))
    db.session.commit()


def pending_failures(limit: int = 50) -> list[Notification]:
    """Notifications whose email failed at least once and is not yet sent (for the scheduler page)."""
    return db.session.scalars(
        db.select(Notification)
        .where(Notification.email_status.in_((EMAIL_RETRY, EMAIL_FAILED)), Notification.email_attempts > 0)
        .options(selectinload(Notification.user))
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()

