"""The logged-in person, loaded once per request in one statement with what every page needs.

A page needs the person, their memberships and schools (roles, the school switcher), and beside
them a few numbers each feature would otherwise read with a round trip of its own: the bell's
unread count, the programmes' cache version. Features register such a number here as a scalar
column correlated with `users.id`:

    LOAD_WITH["unread"] = lambda: select(func.count(...)).where(Notification.user_id == User.id, ...)

and read it back with `memo.loaded_with("unread")`. The values live on the request (its WSGI
environ), like `memo.per_request`; every flush drops them (`memo.forget_loaded`), so a number read
after the request changed data is read again.

The object a page is about comes in the same statement (a GET only). A URL with a `school_id` brings
that school, with its city and learning network; a feature names the object of its other pages, with
the view argument that holds its id:

    load_page_object("sprints.sprint", Sprint, "sprint_id", with_school=True)

so /sprints/7 reads sprint 7 and its school beside the person. They land in the session's identity
map: the view's `db.get_or_404(Sprint, 7)` and `sprint.school` then need no statement, and the
school's cache version (pagecache.versions) was read with them. Likewise a number only one page needs
(the state of the person's notification list, the sum of a network's school versions), which may use
the page's view arguments as bind parameters:

    load_page_numbers("programme.network", network_version=lambda: select(...).where(
        School.network_id == bindparam("network_id")).scalar_subquery())

read back with `memo.loaded_with("network_version")`. A POST reads its objects and numbers itself,
as before (a write may lock them first).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context, request
from sqlalchemy import ColumnElement, bindparam, event, select
from sqlalchemy.orm import Session, aliased, joinedload

from warmeveranderen import cachekeys, memo, pagecache, reads
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db

LOAD_WITH: dict[str, Callable[[], ColumnElement]] = {
    "programmes_version": pagecache.programmes_version_column,
}
_built: dict[tuple, object] = {}
_tables: dict[tuple, tuple[frozenset[str], dict[str, frozenset[str]]]] = {}
_READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class PageObject:
    """What a page is about: a row of `model` whose id is the view argument `arg`; with `with_school`,
    also the school it belongs to (`model.school_id`), for a viewer who is not one of its members."""

    model: type
    arg: str
    with_school: bool = False


PAGE_OBJECTS: dict[str, tuple[PageObject, ...]] = {}
PAGE_NUMBERS: dict[str, dict[str, Callable[[], ColumnElement]]] = {}


def load_page_object(endpoint: str, model: type, arg: str, *, with_school: bool = False) -> None:
    """Read the object of `endpoint`'s pages with the person (see the module's docstring)."""
    if arg == "user_id":  # the statement's own parameter: the person's id, never a page's
        raise ValueError("a page object's id cannot be the view argument 'user_id'")
    PAGE_OBJECTS[endpoint] = (*PAGE_OBJECTS.get(endpoint, ()), PageObject(model, arg, with_school))


def load_page_numbers(endpoint: str, **columns: Callable[[], ColumnElement]) -> None:
    """Read these numbers with the person on `endpoint`'s pages (see the module's docstring)."""
    PAGE_NUMBERS.setdefault(endpoint, {}).update(columns)


def _statement(names: tuple[str, ...], objects: tuple[PageObject, ...], endpoint: str = ""):
    """The person with their memberships and schools, an adviser's assignments, the page's objects,
    plus the registered numbers; built once per set of names and objects. (Not the schools'
    programme: no page reads it on every request, and one more object per row costs every request.)"""
    key = (names, objects, endpoint)
    if key not in _built:
        columns = {**LOAD_WITH, **PAGE_NUMBERS.get(endpoint, {})}
        membership = User.memberships.property.mapper.class_  # a layer up: through the relationship
        entities, joins = [], []
        for obj in objects:
            target = aliased(obj.model)
            entities.append(target)
            joins.append((target, target.id == bindparam(obj.arg)))
            if obj.with_school:
                school = aliased(cachekeys.school_class())
                entities.append(school)
                joins.append((school, school.id == target.school_id))
            if obj.model is cachekeys.school_class():
                # Its city and learning network, which the school's pages name in their header.
                for name in ("city", "network"):
                    place = aliased(getattr(obj.model, name).property.mapper.class_)
                    entities.append(place)
                    joins.append((place, place.id == getattr(target, f"{name}_id")))
        # What the request read outside any part (reads.py): the person, their schools, the page's objects;
        # a number counts only for the part that uses it (memo.loaded_with).
        tables = {User.__table__.name, membership.__table__.name, cachekeys.school_class().__table__.name,
                  User.adviser_assignments.property.mapper.local_table.name,
                  *(entity.__table__.name for entity in entities)}
        _tables[key] = (frozenset(tables), {name: frozenset(reads.tables_in(str(columns[name]()))) for name in names})
        statement = select(User, *entities, *(columns[name]().label(f"wv_{name}") for name in names))
        statement = statement.select_from(User)
        for target, on in joins:
            statement = statement.outerjoin(target, on)
        _built[key] = (
            statement.where(User.id == bindparam("user_id"))
            .options(joinedload(User.memberships).joinedload(membership.school),
                     # An adviser's assignments decide what they may see (a handful; none for most).
                     joinedload(User.adviser_assignments))
        )
    return _built[key]


def _page() -> tuple[str, tuple[PageObject, ...], dict[str, int]]:
    """This request's endpoint when it reads something with the person, the objects its page is about
    and its view arguments (a GET of a matched URL only)."""
    if not has_request_context() or request.method not in _READS or request.view_args is None:
        return "", (), {}
    endpoint, args = request.endpoint or "", request.view_args
    objects = PAGE_OBJECTS.get(endpoint, ())
    if "school_id" in args:
        objects = (PageObject(cachekeys.school_class(), "school_id"), *objects)
    objects = tuple(obj for obj in objects if isinstance(args.get(obj.arg), int))
    ids = {name: value for name, value in args.items() if isinstance(value, int)}
    return (endpoint if endpoint in PAGE_NUMBERS else ""), objects, ids


def session_login(user_id: str) -> tuple[int, str, int] | None:
    """(id, session token, session version) from a session's 'id:token:version', or None when it is
    not one (also read by fastpath.py before the person is loaded)."""
    uid, _sep, rest = str(user_id).partition(":")
    token, _sep, version = rest.rpartition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    return int(uid), token, int(version)


def load_user(user_id: str) -> User | None:
    """Sessions carry 'id:token:version'; a new password or a logout ends older sessions."""
    login = session_login(user_id)
    if login is None:
        return None
    uid, token, version = login
    endpoint, objects, ids = _page()
    names = tuple(sorted(LOAD_WITH)) + tuple(sorted(PAGE_NUMBERS.get(endpoint, ())))
    statement = _statement(names, objects, endpoint)
    with reads.recording():
        row = db.session.execute(statement, {**ids, "user_id": uid}).unique().first()
    entity_tables, number_tables = _tables[(names, objects, endpoint)]
    reads.used(entity_tables)
    if row is None:
        return None
    user = row[0]
    if not secrets.compare_digest(user.session_token, token) or user.session_version != version:
        return None
    memo.keep_loaded(user.id, dict(zip(names, row[len(row) - len(names):], strict=True)), number_tables)
    # The session's identity map holds objects weakly: the page's objects stay there for this request.
    g.wv_page_objects = row[1:len(row) - len(names)]
    return user


# Any flush may change what was read with the person (a notification marked read, say).
event.listen(Session, "after_flush", memo.forget_loaded)
