"""A warm page served again without building the person (issue 24).

A page kept whole (pagecache.page: its blocks and the layout around them) is a function of what its
keys hold: the person's session, their roles and schools, the page's address, the versions of what
it shows, the language and the minute. Building the person as ORM objects, then the view and its
keys, cost about two thirds of such a request. So the page's response is kept too, under its state:

    the session as it came in and the address; the person's session token and version, whether they
    are active, their language, coordinator and adviser; every role they hold in every school and
    every adviser assignment, each spelled out; the numbers read with every person (the unread count,
    the programmes' version); the versions of the scopes the page read; the minute.

The next request for that address reads this state in one Core statement before the view runs (the
scopes to read are the page's recipe, kept per session and address). When a response is kept under
it, that response is sent, with the request's own CSRF token put back. Anything else, including any
doubt, goes the normal way: the login (which checks the session as before), the view and its
permission checks.

A response is kept only when a replay could not differ from it: a GET that ended in 200 with the
layout kept whole (no message waiting), without touching the session and without headers of its
own. Its state is the one this request read at its start, with the person, before the page's data:
a kept response is never older than the versions in its key (the part cache's own rule).

Scopes of a school (its id) are understood, and the scopes ("name", id) features register as
replayable (cachekeys.REPLAYABLE: an adviser's own schools, a learning network's schools, the person's
notification list); a page with another scope is not replayed and renders as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Iterable

from flask import Flask, Response, current_app, g, request, session
from flask_login.utils import _create_identifier
from sqlalchemy import String, bindparam, case, cast, func, inspect, literal_column, select
from sqlalchemy.sql.functions import coalesce

from warmeveranderen import cachekeys, memo, pagecache
from warmeveranderen.accounts.loading import session_login
from warmeveranderen.extensions import db

_KEPT_HEADERS = frozenset({"Content-Type", "Content-Length"})
_statements: dict[tuple, object] = {}


def _classes():
    from warmeveranderen.accounts.models import User

    membership = User.memberships.property.mapper.class_
    return (User, membership, User.adviser_assignments.property.mapper.class_,
            membership.school.property.mapper.class_)


def _numbers() -> list[str]:
    from warmeveranderen.accounts.loading import LOAD_WITH

    return sorted(LOAD_WITH)


def _literal(text: str):
    """A constant written into the statement's text: a bound constant would be rendered anew on
    every execution (SQLAlchemy renders the separator of a string aggregate as a literal)."""
    return literal_column("'" + text + "'", String)


def _text(column):
    return coalesce(cast(column, String), _literal(""))


def _joined(expression):
    """The values of `expression` over the rows, joined with ';' (in no particular order)."""
    aggregate = func.string_agg if db.engine.dialect.name == "postgresql" else func.group_concat
    return aggregate(expression, _literal(";"))


def _statement(kinds: tuple[str, ...]):
    """The person's row, their roles and assignments spelled out, the numbers every page reads with
    the person, and one column per scope: built once per kind of scope list."""
    from warmeveranderen.accounts.loading import LOAD_WITH

    key = (db.engine.dialect.name, kinds)
    if key not in _statements:
        user, membership, assignment, school = _classes()
        colon = _literal(":")
        roles = (select(_joined(_text(membership.school_id) + colon + membership.role + colon
                                + case((membership.is_lead, _literal("1")), else_=_literal("0"))
                                + colon + _text(membership.stakeholder_group)))
                 .where(membership.user_id == user.id).scalar_subquery())
        assigned = (select(_joined(_text(assignment.school_id) + colon + _text(assignment.network_id)))
                    .where(assignment.adviser_id == user.id).scalar_subquery())
        scopes = [select(school.cache_version).where(school.id == bindparam(f"scope{n}")).scalar_subquery()
                  if kind == "school" else cachekeys.REPLAYABLE[kind][0](f"scope{n}")
                  for n, kind in enumerate(kinds)]
        _statements[key] = select(user.session_token, user.session_version, user.active, user.locale,
                                  user.is_coordinator, user.is_adviser, roles, assigned,
                                  *(LOAD_WITH[name]() for name in _numbers()), *scopes
                                  ).where(user.id == bindparam("user_id"))
    return _statements[key]


def _state_key(recipe_key: str, scopes: tuple, person: tuple, roles: Iterable[str], assigned: Iterable[str],
               rest: tuple) -> str:
    """The key of a response: the same whether its values come from the statement or from the request
    that rendered it (the roles and assignments in any order). It names the scopes whose versions it
    holds, so a recipe replaced in between can never pair one scope's version with another's page."""
    return pagecache.hashed(f"fast|{recipe_key}|{scopes!r}|{person!r}|{sorted(roles)!r}|{sorted(assigned)!r}|"
                            f"{rest!r}|{pagecache.utcnow():%Y%m%d%H%M}")


def _kind(scope: Hashable, uid: int) -> str | None:
    """'school', the name of a replayable scope ("name", id) or None (a scope that is not replayed)."""
    if isinstance(scope, int) and not isinstance(scope, bool):
        return "school"
    if (isinstance(scope, tuple) and len(scope) == 2 and scope[0] in cachekeys.REPLAYABLE
            and isinstance(scope[1], int) and not isinstance(scope[1], bool)):
        own = cachekeys.REPLAYABLE[scope[0]][1]
        return scope[0] if not own or scope[1] == uid else None
    return None


def _params(scopes: tuple, kinds: tuple) -> dict[str, int]:
    """The id each scope's column is read for (an own scope's column reads the person's own)."""
    pairs = enumerate(zip(scopes, kinds, strict=True))
    return {f"scope{n}": scope if kind == "school" else scope[1] for n, (scope, kind) in pairs
            if kind == "school" or not cachekeys.REPLAYABLE[kind][1]}


def _recipe_key() -> str:
    """The session as it came in (the person's login, their active school, language, CSRF secret) and
    the address: what decides which scopes the page reads."""
    return pagecache.hashed(f"recipe|{sorted(session.items())!r}|{request.full_path}")


def _person_id() -> int | None:
    """The person's id when this request may be served from or kept as a response, else None."""
    if (request.method != "GET" or not pagecache.enabled() or request.endpoint in (None, "static")
            or "_flashes" in session or "_user_id" not in session):
        return None
    # Flask-Login's "strong" session protection: a session from another address or browser is
    # dealt with by the login, as before.
    if current_app.login_manager.session_protection and session.get("_id") != _create_identifier():
        return None
    login = session_login(session["_user_id"])
    return None if login is None else login[0]


def serve():
    """before_request: the kept response for this person, address and state, or None to go on."""
    uid = _person_id()
    if uid is None:
        return None
    recipe_key = _recipe_key()
    scopes = pagecache.stored(recipe_key)
    if scopes is None:
        return None
    kinds = tuple(_kind(scope, uid) for scope in scopes)
    if None in kinds:
        return None
    params = {"user_id": uid, **_params(tuple(scopes), kinds)}
    row = db.session.connection().execute(_statement(kinds), params).first()
    if row is None:
        return None
    # As the login reads the session (accounts/loading.py).
    _uid, token, version = session_login(session["_user_id"])
    if not secrets.compare_digest(row[0] or "", token) or row[1] != version:
        return None  # an ended session: the login says so
    roles, assigned = (value.split(";") if value else [] for value in row[6:8])
    stored = pagecache.stored(_state_key(recipe_key, tuple(scopes), tuple(row[:6]), roles, assigned, tuple(row[8:])))
    if stored is None:
        return None
    parts, html = stored
    # The page's parts all came from the cache (the X-Part-Cache header the tests and benchmark read).
    g.setdefault("wv_parts", []).extend((name, True) for name in parts)
    g.wv_fast = True
    return Response(pagecache.served(html), content_type="text/html; charset=utf-8")


def record(response):
    """after_request (the first to run): keep the page's recipe, and the response under the state this
    request read at its start, when a replay could not differ from it."""
    if (not g.get("wv_whole") or response.status_code != 200 or session.modified or response.direct_passthrough
            or response.mimetype != "text/html" or set(response.headers.keys()) - _KEPT_HEADERS):
        return response
    uid = _person_id()
    user = g.get("_login_user")
    versions = cachekeys.on_request("versions")
    scopes = tuple(versions)
    if uid is None or getattr(user, "id", None) != uid or not scopes or any(_kind(s, uid) is None for s in scopes):
        return response
    # The person as the login read them at the start of the request (never read again here).
    loaded = inspect(user).dict
    columns = ("session_token", "session_version", "active", "locale", "is_coordinator", "is_adviser")
    numbers = tuple(memo.loaded_with(name, uid) for name in _numbers())
    if any(name not in loaded for name in (*columns, "memberships", "adviser_assignments")) or None in numbers:
        return response
    roles = [f"{m.school_id}:{m.role}:{'1' if m.is_lead else '0'}:{m.stakeholder_group or ''}"
             for m in loaded["memberships"]]
    assigned = [f"{a.school_id or ''}:{a.network_id or ''}" for a in loaded["adviser_assignments"]]
    recipe_key = _recipe_key()
    if pagecache.stored(recipe_key) != scopes:
        pagecache.store(recipe_key, scopes)
    key = _state_key(recipe_key, scopes, tuple(loaded[c] for c in columns), roles, assigned,
                     (*numbers, *(versions[scope][0] for scope in scopes)))
    parts = tuple(dict.fromkeys(name for name, _hit in g.get("wv_parts") or ()))
    pagecache.store(key, (parts, pagecache.kept(response.get_data(as_text=True))))
    return response


def init_app(app: Flask) -> None:
    """Serve before the login loads the person; keep after everything else has finished the response
    (after_request functions run last-registered first, so this is registered last)."""
    funcs = app.before_request_funcs.setdefault(None, [])
    from warmeveranderen.security import require_login

    funcs.insert(funcs.index(require_login) if require_login in funcs else len(funcs), serve)
    app.after_request_funcs.setdefault(None, []).append(record)
