"""The sweep: ask every reminder rule what is due now, deliver each reminder exactly once, email.

Exactly once: a reminder's send-log row (unique on rule, object, recipient, occurrence) is
inserted and committed *before* anything is delivered; a concurrent sweep's insert fails and it
skips that reminder. The in-app notification and the "delivered" mark are then written in one
transaction. A row left "claimed" by a crash is delivered by a later sweep from the content stored
in the log. Email goes through `deliver_pending()`, which claims notification rows with a token
(an atomic conditional UPDATE), so two sweeps never email the same row; failures are retried with
backoff and never stop the sweep. `deliver_digests()` sends one email a day per person who chose
the digest, at or after their chosen hour (Brussels time). A sweep sends all its email over one
SMTP connection (`mail_connection()`); each email's "sent" mark is still committed on its own
right after it went out.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
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
    ReminderLog,
    SchedulerHeartbeat,
)
from warmeveranderen.notifications.rules import Due, Rule, in_locale, load_rules
from warmeveranderen.timeutil import to_local, utcnow

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a crashed sweep and is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_EMAIL_ATTEMPTS = 8
# Reminders claimed and delivered per transaction.
CLAIM_BATCH = 200
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
        with mail_connection():  # one SMTP connection for all of the sweep's email
            deliver_pending(now, report)
            deliver_digests(now, report)
        _heartbeat(report, started, source, next_sweep_at)
    return report


def _run_rule(rule: Rule, now: datetime, report: SweepReport) -> None:
    dues: dict[tuple[str, int, str], Due] = {}
    for due in rule.fn(now):
        key = (due.object_key[:120], due.recipient.id, due.occurrence[:60])
        dues.setdefault(key, due)
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
    # Plain values, read once: commits expire ORM objects, and reloading each one costs a query.
    fresh = [
        (key, {
            "rule": rule.code, "object_key": key[0], "recipient_id": key[1], "occurrence": key[2],
            "category": rule.category, "title": due.title[:255], "body": due.body, "url": due.url,
            "school_id": due.school.id if due.school is not None else None,
        }, due.recipient.email)
        for key, due in dues.items() if key not in already
    ]
    # Let the loaded people and schools go: every commit would otherwise expire them all again.
    dues.clear()
    for start in range(0, len(fresh), CLAIM_BATCH):
        chunk = fresh[start:start + CLAIM_BATCH]
        if report.dry_run:
            claimed = chunk
        else:
            ids = _claim([values for _key, values, _email in chunk])
            claimed = [item for item in chunk if item[0] in ids]
            _deliver_in_app([dict(values, id=ids[key]) for key, values, _email in claimed])
        for _key, values, email in claimed:
            report.sent.append((rule.code, email, values["title"]))
            report.per_rule[rule.code] += 1


def _claim(rows: list[dict]) -> dict[tuple[str, int, str], int]:
    """Insert send-log rows, skipping keys that exist (claimed by another sweep); commit.

    Returns the log ids of the rows this sweep inserted, by (object_key, recipient_id, occurrence).
    INSERT ... ON CONFLICT DO NOTHING lets a concurrent sweep's rows win without an error.
    """
    if not rows:
        return {}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other databases: one row at a time, the unique key decides
        return _claim_one_by_one(rows)
    claimed_at = utcnow()
    statement = (
        insert(ReminderLog)
        .values([dict(row, status="claimed", claimed_at=claimed_at) for row in rows])
        .on_conflict_do_nothing(index_elements=["rule", "object_key", "recipient_id", "occurrence"])
        .returning(ReminderLog.id, ReminderLog.object_key, ReminderLog.recipient_id, ReminderLog.occurrence)
    )
    result = db.session.execute(statement).all()
    db.session.commit()
    return {(r.object_key, r.recipient_id, r.occurrence): r.id for r in result}


def _claim_one_by_one(rows: list[dict]) -> dict[tuple[str, int, str], int]:
    ids = {}
    for row in rows:
        entry = ReminderLog(**row, status="claimed", claimed_at=utcnow())
        db.session.add(entry)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        ids[(row["object_key"], row["recipient_id"], row["occurrence"])] = entry.id
    return ids


def _deliver_in_app(rows: list[dict]) -> None:
    """Write the notifications and mark their log rows delivered, in one transaction."""
    if not rows:
        return
    notifications = [
        Notification(
            user_id=row["recipient_id"], school_id=row["school_id"], category=row["category"],
            title=row["title"], body=row["body"], url=row["url"], email_status=EMAIL_PENDING,
        )
        for row in rows
    ]
    db.session.add_all(notifications)
    db.session.flush()
    delivered_at = utcnow()
    db.session.execute(
        db.update(ReminderLog),
        [
            {"id": row["id"], "status": "delivered", "delivered_at": delivered_at, "notification_id": n.id}
            for row, n in zip(rows, notifications, strict=True)
        ],
    )
    db.session.commit()


def recover_stale(report: SweepReport | None = None) -> int:
    """Deliver reminders a crashed sweep claimed but never delivered; release stale email claims."""
    cutoff = utcnow() - CLAIM_TIMEOUT
    recovered = 0
    stale = db.session.scalars(
        db.select(ReminderLog).where(ReminderLog.status == "claimed", ReminderLog.claimed_at < cutoff)
    ).all()
    for entry in stale:
        row = {
            "id": entry.id, "recipient_id": entry.recipient_id, "school_id": entry.school_id,
            "category": entry.category, "title": entry.title, "body": entry.body, "url": entry.url,
        }
        sent = (entry.rule, entry.recipient.email, entry.title)
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
        _deliver_in_app([row])
        recovered += 1
        if report is not None:
            report.sent.append(sent)
            report.per_rule[sent[0]] += 1
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
    except MailError as exc:
        attempts = n.email_attempts + 1
        final = attempts >= MAX_EMAIL_ATTEMPTS
        set_one(email_status=EMAIL_FAILED if final else EMAIL_RETRY, email_claim=None,
                email_attempts=attempts, email_last_error=str(exc)[:2000],
                email_next_attempt_at=None if final else now + backoff(attempts))
        log.warning("Email to %s failed (attempt %s): %s", n.user.email, attempts, exc)
        if report is not None:
            report.errors.append(f"e-mail {n.user.email}: {exc}")
        n.outcome = "error"
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
    return current_app.config["BASE_URL"].rstrip("/") + path


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

