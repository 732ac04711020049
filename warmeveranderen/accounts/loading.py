"""The logged-in person, loaded once per request in one statement with what every page needs.

A page needs the person, their memberships and schools (roles, the school switcher), and beside
them a few numbers each feature would otherwise read with a round trip of its own: the bell's
unread count, the programmes' cache version. Features register such a number here as a scalar
column correlated with `users.id`:

    LOAD_WITH["unread"] = lambda: select(func.count(...)).where(Notification.user_id == User.id, ...)

and read it back with `memo.loaded_with("unread")`. The values live on the request (its WSGI
environ), like `memo.per_request`; every flush drops them (`memo.forget_loaded`), so a number read
after the request changed data is read again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import ColumnElement, bindparam, event, select
from sqlalchemy.orm import Session, joinedload

from warmeveranderen import memo, pagecache
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db

LOAD_WITH: dict[str, Callable[[], ColumnElement]] = {
    "programmes_version": pagecache.programmes_version_column,
}
_built: dict[tuple[str, ...], object] = {}


def _statement(names: tuple[str, ...]):
    """The person with their memberships and schools (and each school's programme), an adviser's
    assignments, plus the registered numbers; built once per set of names."""
    if names not in _built:
        membership = User.memberships.property.mapper.class_  # a layer up: through the relationship
        school = membership.school.property.mapper.class_
        _built[names] = (
            select(User, *(LOAD_WITH[name]().label(f"wv_{name}") for name in names))
            .where(User.id == bindparam("user_id"))
            .options(joinedload(User.memberships).joinedload(membership.school).joinedload(school.programme),
                     # An adviser's assignments decide what they may see (a handful; none for most).
                     joinedload(User.adviser_assignments))
        )
    return _built[names]


def load_user(user_id: str) -> User | None:
    """Sessions carry 'id:token:version'; a new password or a logout ends older sessions."""
    uid, _sep, rest = user_id.partition(":")
    token, _sep, version = rest.rpartition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    names = tuple(sorted(LOAD_WITH))
    row = db.session.execute(_statement(names), {"user_id": int(uid)}).unique().first()
    if row is None:
        return None
    user = row[0]
    if not secrets.compare_digest(user.session_token, token) or user.session_version != int(version):
        return None
    memo.keep_loaded(user.id, dict(zip(names, row[1:], strict=True)))
    return user


# Any flush may change what was read with the person (a notification marked read, say).
event.listen(Session, "after_flush", memo.forget_loaded)
