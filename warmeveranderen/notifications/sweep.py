"""The sweep: ask every reminder rule what is due now, deliver each reminder exactly once, email.

Exactly once: a reminder's send-log row (unique on rule, object, recipient, occurrence) is
inserted and committed *before* anything is delivered; a concurrent sweep's insert fails and it
skips that reminder. The in-app notification and the "delivered" mark are then written in one
transaction. A row left "claimed" by a crash is delivered by a later sweep from the content stored
in the log. Email goes through `delivery.deliver_pending()` and `delivery.deliver_digests()`.

The sweep is a job, but not one unit of work (the exception in warmeveranderen/uow.py): each claim
batch, each delivery and the heartbeat commit on their own, because exactly-once delivery needs
the record committed before the next step starts; a rule that fails is rolled back and the
others go on.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from warmeveranderen.extensions import db
from warmeveranderen.mail import mail_connection
from warmeveranderen.notifications.delivery import deliver_digests, deliver_pending
from warmeveranderen.notifications.models import (
    EMAIL_PENDING,
    EMAIL_RETRY,
    EMAIL_SENDING,
    Notification,
    ReminderLog,
    SchedulerHeartbeat,
)
from warmeveranderen.notifications.rules import Due, Rule, load_rules
from warmeveranderen.notifications.upkeep import run_upkeep
from warmeveranderen.notifications.webhook_delivery import deliver_webhooks
from warmeveranderen.timeutil import to_local, utcnow

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a crashed sweep and is retried.
CLAIM_TIMEOUT = timedelta(minutes=10)
# Reminders claimed and delivered per transaction.
CLAIM_BATCH = 200
HEARTBEAT_KEEP = timedelta(days=30)


@dataclass
class SweepReport:
    now: datetime
    dry_run: bool = False
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, email, title)
    per_rule: Counter = field(default_factory=Counter)
    emails_sent: int = 0
    webhooks_sent: int = 0
    digests_sent: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


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
            run_upkeep(to_local(now).date())
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
        try:
            with mail_connection():  # one SMTP connection for all of the sweep's email
                for step in (deliver_pending, deliver_digests):
                    try:
                        step(now, report)
                    except Exception as exc:  # noqa: BLE001 - digests and the heartbeat still run
                        db.session.rollback()
                        log.exception("Sweep step %s failed", step.__name__)
                        report.errors.append(f"{step.__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - e.g. the mail connection itself
            db.session.rollback()
            log.exception("Sweep email failed")
            report.errors.append(f"e-mail: {exc}")
        try:
            deliver_webhooks(now, report)
        except Exception as exc:  # noqa: BLE001 - the heartbeat still runs
            db.session.rollback()
            log.exception("Sweep webhooks failed")
            report.errors.append(f"webhooks: {exc}")
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
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
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
