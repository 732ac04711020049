"""Creating and reading notifications. Callers pass Dutch/English text already rendered for the person.

`notify()` adds rows to the session without committing, so that a notification is written in the
same transaction as the change it tells about (the request or job commits it). The next sweep
(warmeveranderen.notifications.delivery.deliver_pending) emails it according to the person's
preference for its category: immediately, in the daily digest, or not at all (in-app only).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from flask import g
from sqlalchemy import ColumnElement, literal_column

from warmeveranderen import memo
from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DELIVERY_MODES, NOTIFICATION_CATEGORIES
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import (
    EMAIL_NONE,
    EMAIL_PENDING,
    Notification,
    NotificationPreference,
    NotificationSettings,
    ReminderSetting,
)
from warmeveranderen.notifications.rules import OFFSETS
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow


def notify(
    users: Iterable[User],
    *,
    category: str,
    title: str,
    url: str,
    body: str = "",
    school: School | None = None,
    email: bool = True,
) -> list[Notification]:
    """Queue one notification per distinct person (never commits: the caller's unit of work does).

    With email=False the notification stays in the app whatever the person's preference.
    """
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(
            user=user,
            school=school,
            category=category,
            title=title[:255],
            body=body,
            url=url,
            email_status=EMAIL_PENDING if email else EMAIL_NONE,
        )
        db.session.add(notification)
        created.append(notification)
    return created


# Built once: every logged-in page counts the person's unread notifications for the header.
_UNREAD = db.select(db.func.count(Notification.id)).where(
    Notification.user_id == db.bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_column():
    """The unread count as a column of the person's own statement (accounts/loading.py: LOAD_WITH)."""
    return (db.select(db.func.count(Notification.id))
            .where(Notification.user_id == User.id, Notification.read_at.is_(None)).scalar_subquery())


def unread_count(user: User) -> int:
    """As read with the person in this request, or now (after a change, or for someone else)."""
    known = memo.loaded_with("unread", user.id)
    return known if known is not None else db.session.scalar(_UNREAD, {"user_id": user.id})


# What the person's list is now: their number of notifications, the sum of their ids and of the ids
# of those read ('3.4711.1570'). A new notification, one read or one removed changes it (the list's
# part cache key). The list's page reads it with the person (accounts/loading.py: load_page_numbers),
# and a kept list is served again before the view with the same column (cachekeys.REPLAYABLE).
def _list_state_of(user_id) -> ColumnElement:
    dot = literal_column("'.'")
    read = db.func.sum(db.case((Notification.read_at.is_(None), 0), else_=Notification.id))
    return (db.select(db.cast(db.func.count(Notification.id), db.String) + dot
                      + db.cast(db.func.coalesce(db.func.sum(Notification.id), 0), db.String) + dot
                      + db.cast(db.func.coalesce(read, 0), db.String))
            .where(Notification.user_id == user_id).scalar_subquery())


def list_state_column(_param: str = "") -> ColumnElement:
    """The list's state as a column of the person's own statement (correlated with users.id)."""
    return _list_state_of(User.id)


_LIST_STATE = db.select(_list_state_of(db.bindparam("user_id")))


def list_state(user: User) -> str:
    loaded = memo.loaded_with("notifications_state", user.id)
    if loaded is None:  # not read with the person (another page, or data changed since)
        loaded = db.session.execute(_LIST_STATE, {"user_id": user.id}).scalar()
    return loaded


def recent(user: User, limit: int = 50, offset: int = 0) -> list[Notification]:
    return db.session.scalars(
        db.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()
    return result.rowcount


# --- Preferences, the calendar token and the programme's reminder offsets -------------------------


def settings_for(user: User) -> NotificationSettings:
    """This person's settings row, created (uncommitted) with the defaults when missing."""
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id, digest_hour=7)
        db.session.add(settings)
    return settings


def digest_hour_for(user: User) -> int:
    """The hour (Brussels time) of this person's daily digest."""
    settings = db.session.get(NotificationSettings, user.id)
    return settings.digest_hour if settings is not None else 7


def preference_modes(user: User) -> dict[str, str]:
    """Category -> mode for every category (immediate where the person chose nothing)."""
    chosen = {
        p.category: p.mode
        for p in db.session.scalars(db.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    return {category: chosen.get(category, "immediate") for category in NOTIFICATION_CATEGORIES}


def holidays_in_feed(user: User) -> bool:
    """Whether this person's calendar feeds show the school holidays (default: yes)."""
    settings = db.session.get(NotificationSettings, user.id)
    return settings.holidays_in_feed if settings is not None else True


def save_preferences(user: User, modes: dict[str, str], digest_hour: int, holidays: bool | None = None) -> None:
    """Store the person's choice per category and the hour of their daily digest."""
    if not 0 <= digest_hour <= 23:
        raise ValueError("digest hour out of range")
    existing = {
        p.category: p
        for p in db.session.scalars(db.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for category, mode in modes.items():
        if category not in NOTIFICATION_CATEGORIES or mode not in DELIVERY_MODES:
            raise ValueError(f"unknown category or mode: {category}={mode}")
        if category in existing:
            existing[category].mode = mode
        else:
            db.session.add(NotificationPreference(user_id=user.id, category=category, mode=mode))
    settings_for(user).digest_hour = digest_hour
    if holidays is not None:
        settings_for(user).holidays_in_feed = holidays
    db.session.flush()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rotate_feed_token(user: User) -> str:
    """A new secret for the personal calendar URL; the old URL stops working. Returns the secret."""
    token = secrets.token_urlsafe(24)
    settings = settings_for(user)
    settings.feed_token_hash = _hash_token(token)
    settings.feed_token_created_at = utcnow()
    db.session.flush()
    return token


def has_feed_token(user: User) -> bool:
    settings = db.session.get(NotificationSettings, user.id)
    return settings is not None and settings.feed_token_hash is not None


def user_for_feed_token(token: str) -> User | None:
    """The active person whose calendar URL carries this secret, or None."""
    if not token or len(token) > 100:
        return None
    settings = db.session.scalar(
        db.select(NotificationSettings).where(NotificationSettings.feed_token_hash == _hash_token(token))
    )
    if settings is None or not settings.user.active:
        return None
    return settings.user


def save_reminder_offsets(values: dict[str, int]) -> None:
    """The coordinator's reminder offsets (days) for the whole programme."""
    existing = {s.key: s for s in db.session.scalars(db.select(ReminderSetting))}
    for key, days in values.items():
        if key not in OFFSETS or not 0 <= days <= 365:
            raise ValueError(f"invalid offset {key}={days}")
        if key in existing:
            existing[key].days = days
        else:
            db.session.add(ReminderSetting(key=key, days=days))
    db.session.flush()
    g.pop("_reminder_offsets", None)
