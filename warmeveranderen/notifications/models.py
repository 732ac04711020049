"""Notifications (the bell), their email delivery state, reminder send log, preferences and heartbeat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import true as sa_true

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow

# Email states of a notification:
#   pending  -> the next sweep decides from the person's preference (send now, digest or none)
#   sending  -> claimed by one sweep (email_claim holds its token); stale claims return to retry
#   retry    -> an email attempt failed; tried again from email_next_attempt_at
#   digest   -> waits for the person's daily digest
#   sent / none / failed -> final (none: in-app only; failed: gave up after MAX attempts)
EMAIL_PENDING, EMAIL_SENDING, EMAIL_RETRY, EMAIL_DIGEST = "pending", "sending", "retry", "digest"
EMAIL_SENT, EMAIL_NONE, EMAIL_FAILED = "sent", "none", "failed"


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_email_queue", "email_status", "email_next_attempt_at"),
        Index("ix_notifications_email_claim", "email_claim"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    # A category code (e.g. "forum", "sprint", "intake", "reminder"); preferences are per category.
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    # A local path where the person acts on it.
    url: Mapped[str] = mapped_column(String(500), default="/")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # Email delivery (see the states above). Rows written before email existed are "none".
    email_status: Mapped[str] = mapped_column(String(10), default=EMAIL_PENDING, server_default=EMAIL_NONE)
    email_claim: Mapped[str | None] = mapped_column(String(32))
    email_claimed_at: Mapped[datetime | None]
    email_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    email_next_attempt_at: Mapped[datetime | None]
    email_last_error: Mapped[str | None] = mapped_column(Text)
    emailed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    school: Mapped[School | None] = relationship()


class ReminderLog(db.Model):
    """One row per reminder ever claimed: the unique key makes every reminder go out exactly once.

    A sweep inserts the row first (status "claimed"); the insert fails for a second sweep. It then
    writes the in-app notification and marks the row "delivered" in one transaction. A row left
    "claimed" by a crashed sweep is delivered by a later one from the content stored here.
    """

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("rule", "object_key", "recipient_id", "occurrence"),
        # Finding claimed-but-undelivered rows reads only those, not the whole history.
        Index("ix_reminder_log_status_claimed", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(60))
    object_key: Mapped[str] = mapped_column(String(120))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="/")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed | delivered
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))

    recipient: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """How one person wants one category: immediate, digest or in_app (absent = immediate)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10), default="immediate")


class NotificationSettings(db.Model):
    """Per person: the hour of the daily digest, when it last went out, and the calendar feed token."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    digest_hour: Mapped[int] = mapped_column(default=7)
    last_digest_on: Mapped[date | None]
    # sha256 of the secret in the personal calendar URL; the secret itself is never stored.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    feed_token_created_at: Mapped[datetime | None]
    # The school holidays and days off as all-day events in the calendar feeds (issue 17); a choice per person.
    holidays_in_feed: Mapped[bool] = mapped_column(default=True, server_default=sa_true())

    user: Mapped[User] = relationship()


class ReminderSetting(db.Model):
    """A programme-wide reminder offset in days, edited by the coordinator (absent = the default)."""

    __tablename__ = "reminder_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SchedulerHeartbeat(db.Model):
    """One row per sweep: when it ran, what it sent per rule and what failed."""

    __tablename__ = "scheduler_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    # The time the rules were asked about (differs from started_at for `reminders sweep --now`).
    swept_for: Mapped[datetime]
    next_sweep_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    emails_sent: Mapped[int] = mapped_column(default=0)
    digests_sent: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
    # JSON: {"rule code": count sent}
    per_rule: Mapped[str] = mapped_column(Text, default="{}")
    errors: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="scheduler")  # scheduler | command
