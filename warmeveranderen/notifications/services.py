"""Creating and reading notifications. Callers pass Dutch/English text already rendered for the person.

`notify()` adds rows to the session without committing, so that a notification is written in the
same transaction as the change it tells about (the caller's service commits).
"""

from __future__ import annotations

from collections.abc import Iterable

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import Notification
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
) -> list[Notification]:
    """Queue one notification per distinct person (the caller commits)."""
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(
            user=user, school=school, category=category, title=title[:255], body=body, url=url
        )
        db.session.add(notification)
        created.append(notification)
    return created


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


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
        db.session.commit()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
