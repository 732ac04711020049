"""Render once, serve many (issue 24): parts of school pages cached by the school's version.

Every school and the programme carry a version number (`schools.cache_version`,
`programmes.cache_version`). The one unit of work bumps them when it commits: whatever the
request (or job) added, changed or removed is traced to its school (a `school_id` column, or up
its parents: an advice to its round, a checklist item to its task); what belongs to no school (a
person's name, a city, an indicator's wording) or a bulk statement bumps the programme's. A
rendered part is stored under

    (part, school, school version, programme version, the viewer's roles, locale, the minute)

so a change by anyone shows on the next request (its commit made a new version), a viewer only
ever gets a part rendered for the same roles, and what depends on the clock (an advice round that
closes at 17:00, "nog 3 dagen") is at most a minute old. The minute is also the part's lifetime;
older versions simply expire.

    html = pagecache.part("school-home", school, lambda: render_template(...))

Personal bits stay outside: the layout (the person's name, the unread badge, flashed messages)
is rendered per request, and a CSRF token rendered into a part is stored as a placeholder and
put back per request. A part that shows something of the viewer's own (their next steps, what
they follow) uses `viewer=personal(user)`.

The cache is Flask-Caching: in-process by default (each web process has its own), Redis with
CACHE_REDIS_URL so that several web servers share it. PART_CACHE_SECONDS = 0 switches it off.
Reading the version is one query per request, made before the part's data is read: a part
cached under a version never holds older data than that version. (The few rows a view reads to
check access before it asks for the version, e.g. the sprint of /sprints/<id>, could in theory be
a commit older than the version; such a part is replaced at the latest when its minute is over.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from flask import Flask, current_app, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.orm import ORMExecuteState, RelationshipDirection, Session

from warmeveranderen.extensions import cache, db
from warmeveranderen.timeutil import utcnow

CSRF_PLACEHOLDER = "wv-part-csrf-0b6e51d2"
SKIP = "wv_cache_version"  # an execution option: the version bump itself

# Tables whose rows no cached part shows: personal marks, logs and housekeeping.
UNCACHED_TABLES = frozenset({
    "notifications", "notification_preferences", "notification_settings", "login_attempts", "reminder_log",
    "scheduler_heartbeats", "api_tokens", "webhook_deliveries", "programme_audit", "sso_identities",
    "account_erasures",
})
# A person's columns that no part shows (their sessions, password, language: the locale is in the key).
USER_HOUSEKEEPING = frozenset({"session_token", "session_version", "password_hash", "locale", "uses_sso"})

TOUCHED_SCHOOLS = "wv_touched_schools"
TOUCHED_PROGRAMME = "wv_touched_programme"


# --- versions ---------------------------------------------------------------------------------


def _parent(session: Session, obj, relationship):
    """The object a many-to-one relationship points at, from the loaded value or its foreign key."""
    state = inspect(obj)
    if relationship.key in state.dict:
        return state.dict[relationship.key]
    mapper = state.mapper
    ident = []
    for local, _remote in relationship.local_remote_pairs:
        try:
            key = mapper.get_property_by_column(local).key
        except Exception:
            return None
        value = getattr(obj, key, None)
        if value is None:
            return None
        ident.append(value)
    with session.no_autoflush:
        return session.get(relationship.mapper.class_, ident[0] if len(ident) == 1 else tuple(ident))


def schools_of(session: Session, obj, depth: int = 0) -> set[int] | None:
    """The schools an object belongs to, or None when it belongs to none (the programme)."""
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table.name
    if table == "schools":
        return {obj.id} if obj.id is not None else None
    if "school_id" in mapper.columns:
        history = state.attrs.school_id.history
        # The column's value (read again if the object expired at an earlier commit), and what it was
        # before a change in this unit of work (moved from one school to another: both change).
        found = {value for value in (getattr(obj, "school_id", None), *history.deleted) if value is not None}
        if found:
            return found
        # Not flushed yet: the school was given as an object (`Initiative(school=school)`); found below.
    if depth >= 4:
        return None
    for relationship in mapper.relationships:
        if relationship.direction is not RelationshipDirection.MANYTOONE:
            continue
        target = relationship.mapper.local_table.name
        if target in ("users", "programmes"):
            continue  # the author of an advice belongs to many schools: look for the thing itself
        parent = _parent(session, obj, relationship)
        if parent is not None:
            found = schools_of(session, parent, depth + 1)
            if found:
                return found
    return None


def _user_change_matters(obj) -> bool:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in USER_HOUSEKEEPING:
            continue
        if state.attrs[attr.key].history.has_changes():
            return True
    return False


def _note(session: Session, obj) -> None:
    mapper = inspect(obj).mapper
    table = mapper.local_table.name
    if table in UNCACHED_TABLES:
        return
    if table == "users" and obj not in session.new and obj not in session.deleted and not _user_change_matters(obj):
        return
    found = schools_of(session, obj)
    if table == "schools":
        session.info[TOUCHED_PROGRAMME] = True  # a school's name or place shows in lists of schools
    if found:
        session.info.setdefault(TOUCHED_SCHOOLS, set()).update(found)
    else:
        session.info[TOUCHED_PROGRAMME] = True


def _before_flush(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.deleted):
        _note(session, obj)
    for obj in list(session.dirty):
        if session.is_modified(obj, include_collections=False):
            _note(session, obj)


def _on_execute(state: ORMExecuteState) -> None:
    """A bulk INSERT, UPDATE or DELETE through the session: traced no further than its table."""
    if state.execution_options.get(SKIP) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in UNCACHED_TABLES:
        return
    state.session.info[TOUCHED_PROGRAMME] = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    schools = session.info.pop(TOUCHED_SCHOOLS, None)
    programme = session.info.pop(TOUCHED_PROGRAMME, None)
    # Last statements of the transaction, in id order: the row locks they take are held only
    # while the transaction commits, and two units of work take them in the same order.
    if schools:
        session.execute(text("UPDATE schools SET cache_version = cache_version + 1 WHERE id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)), {"ids": sorted(schools)},
                        execution_options={SKIP: True})
    if programme:
        session.execute(text("UPDATE programmes SET cache_version = cache_version + 1"),
                        execution_options={SKIP: True})


def _forget(session: Session, *_args) -> None:
    session.info.pop(TOUCHED_SCHOOLS, None)
    session.info.pop(TOUCHED_PROGRAMME, None)


_VERSIONS = text("SELECT s.cache_version, p.cache_version FROM schools s JOIN programmes p ON p.id = s.programme_id "
                 "WHERE s.id = :id")


def versions(school_id: int) -> tuple[int, int]:
    """(school version, programme version), read once per request."""
    memo = g.setdefault("wv_versions", {}) if has_request_context() else {}
    if school_id not in memo:
        row = db.session.execute(_VERSIONS, {"id": school_id}).first()
        memo[school_id] = (row[0], row[1]) if row else (-1, -1)
    return memo[school_id]


# --- the viewer -------------------------------------------------------------------------------

def roles_of(user, school) -> str:
    """The viewer's key for a part that only depends on what the viewer may see: their roles in the
    school (and whether they lead the flywheel), coordinator, adviser and whether they advise this
    school or its learning network. A part whose content depends on more than that (the person's learning networks, tasks or
    signature) is personal."""
    from warmeveranderen.permissions import advises_school, is_flywheel_lead

    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    roles = ",".join(sorted(user.roles_in(school)))
    flags = ("C" if user.is_coordinator else "") + ("A" if user.is_adviser else "")
    flags += ("a" if advises_school(user, school) else "") + ("L" if is_flywheel_lead(user, school) else "")
    # Whether they advise the school's network (advises_network, by id: no need to load the network).
    flags += "n" if user.is_adviser and school.network_id is not None and any(
        a.network_id == school.network_id for a in user.adviser_assignments) else ""
    return f"{roles}|{flags}"


def personal(user) -> str:
    """The viewer's key for a part that shows something of their own."""
    return f"u{user.id}"


# --- parts ------------------------------------------------------------------------------------


def enabled() -> bool:
    return bool(current_app.config.get("PART_CACHE_SECONDS")) and has_request_context()


_NETWORK_VERSIONS = text("SELECT COALESCE(SUM(s.cache_version), 0), MAX(p.cache_version) FROM learning_networks n "
                         "JOIN programmes p ON p.id = n.programme_id LEFT JOIN schools s ON s.network_id = n.id "
                         "WHERE n.id = :id")


def network_versions(network_id: int) -> tuple[int, int]:
    """A learning network's page shows its schools: (the sum of their versions, the programme's). Every
    change of one of its schools raises the sum; the network itself, a school joining or leaving it
    and everything that belongs to no school raise the programme's."""
    memo = g.setdefault("wv_versions", {}) if has_request_context() else {}
    key = ("network", network_id)
    if key not in memo:
        row = db.session.execute(_NETWORK_VERSIONS, {"id": network_id}).first()
        memo[key] = (row[0], row[1]) if row and row[1] is not None else (-1, -1)
    return memo[key]


def _key(name: str, school_id, viewer: str, extra: Hashable) -> str:
    bases = g.setdefault("wv_key_bases", {})
    base = bases.get(school_id)
    if base is None:  # once per request and school: its versions, the language and the minute
        memo = g.get("wv_versions") or {}
        school_version, programme_version = memo[school_id] if school_id in memo else versions(school_id)
        base = bases[school_id] = (f"{school_id}|{school_version}|{programme_version}|{get_locale()}|"
                                   f"{utcnow():%Y%m%d%H%M}")
    return _hashed(f"{name}|{base}|{viewer}|{extra!r}")


def _hashed(raw: str) -> str:
    return "part:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _kept(html: str) -> str:
    """HTML as it is kept: the CSRF token of the request that rendered it as the placeholder."""
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return html.replace(token, CSRF_PLACEHOLDER) if token else html


def _served(html: str) -> str:
    """Kept HTML as it is served: the placeholder as this request's own CSRF token."""
    return html.replace(CSRF_PLACEHOLDER, generate_csrf()) if CSRF_PLACEHOLDER in html else html


def _cached(key: str, render: Callable[[], str]) -> tuple[Markup, bool]:
    """(the HTML kept under `key`, or rendered now and kept; whether it came from the cache)."""
    stored = cache.get(key)
    hit = stored is not None
    if not hit:
        stored = _kept(str(render()))
        cache.set(key, stored, timeout=current_app.config["PART_CACHE_SECONDS"])
    return Markup(_served(stored)), hit


def scope_of(obj):
    """What a part's versions are of: a school (its id), or a learning network ("network", id)."""
    if getattr(obj, "__tablename__", None) == "learning_networks":
        return ("network", obj.id)
    return obj.id if hasattr(obj, "id") else obj


def part(name: str, school, render: Callable[[], str], *, viewer: str, extra: Hashable = ()) -> Markup:
    """The part `name` of `school`'s page as HTML: from the cache, or rendered now and kept."""
    if not enabled():
        return Markup(render())
    html, hit = _cached(_key(name, scope_of(school), viewer, extra), render)
    g.setdefault("wv_parts", []).append((name, hit))
    return html


# --- whole pages: everything a page puts into the layout ------------------------------------------

# The blocks a page fills in base.html. While a page is rendered to be kept, base.html marks where
# each block's output begins and ends (`page_block_mark`); characters of Unicode's private use area
# that no text of the app contains, removed again before the page is sent.
PAGE_BLOCKS = ("title", "head", "breadcrumbs", "content", "scripts")
_OPEN, _CLOSE = "\ue000", "\ue001"


def block_mark(name: str, end: bool = False) -> str:
    """base.html's marker around a page block, only while a page is rendered to be kept."""
    if not (has_request_context() and g.get("wv_capture")):
        return ""
    return f"{_CLOSE if end else _OPEN}{name}{_CLOSE if end else _OPEN}"


def _split(html: str) -> tuple[dict[str, str], str]:
    blocks = {}
    for name in PAGE_BLOCKS:
        opening, closing = f"{_OPEN}{name}{_OPEN}", f"{_CLOSE}{name}{_CLOSE}"
        start = html.find(opening)
        if start < 0:
            continue
        end = html.find(closing, start)
        blocks[name] = html[start + len(opening):end]
        html = html[:start] + blocks[name] + html[end + len(closing):]
    return blocks, html


def page(name: str, school, template: str, context: Callable[[], dict], *, viewer: str, extra: Hashable = ()) -> str:
    """A whole page of `school`: the page's own blocks (title, breadcrumbs, content, ...) from the
    cache inside a freshly rendered layout (the person's menu, unread count and messages), or the page
    rendered now from `context()` (the view's reading of the data), its blocks kept for the next time."""
    if not enabled():
        return render_template(template, **context())
    key = _key(name, scope_of(school), viewer, (extra, template, request.full_path))
    stored = cache.get(key)
    if stored is None:
        g.wv_capture = True
        try:
            html = render_template(template, **context())
        finally:
            g.wv_capture = False
        blocks, html = _split(html)
        cache.set(key, {block: _kept(text) for block, text in blocks.items()},
                  timeout=current_app.config["PART_CACHE_SECONDS"])
        g.setdefault("wv_parts", []).append((name, False))
        return html
    g.setdefault("wv_parts", []).append((name, True))
    return render_template("_cached_page.html", blocks={block: Markup(_served(text)) for block, text in stored.items()})


def personal_nav(unread: int) -> Markup:
    """The logged-in person's menu (templates/_nav.html). On a school page, which has read the
    versions, it is kept per person, their roles and schools, the programme's version, the active
    school, the unread count and language; elsewhere it is rendered as is."""
    known = g.get("wv_versions") if has_request_context() else None
    if not known or not enabled():
        return Markup(render_template("_nav.html", unread=unread))
    user = current_user
    programme_version = next(iter(known.values()))[1]
    memberships = tuple(sorted((m.school_id, m.role, m.is_lead) for m in user.memberships))
    key = _hashed(f"nav|{user.id}|{user.is_coordinator}|{user.is_adviser}|{memberships}|{programme_version}|"
                  f"{session.get('school_id')}|{unread}|{get_locale()}|{utcnow():%Y%m%d%H%M}")
    return _cached(key, lambda: render_template("_nav.html", unread=unread))[0]


def _header(response):
    """X-Part-Cache: which parts came from the cache (the benchmark and the tests read it)."""
    if not (current_app.config.get("COUNT_QUERIES") or current_app.testing):
        return response
    parts = g.get("wv_parts")
    if parts:
        response.headers["X-Part-Cache"] = ", ".join(f"{name}={'hit' if hit else 'miss'}" for name, hit in parts)
    return response


def init_app(app: Flask) -> None:
    if app.config.get("CACHE_REDIS_URL"):
        app.config.setdefault("CACHE_TYPE", "RedisCache")
    app.config.setdefault("CACHE_TYPE", "SimpleCache")
    app.config.setdefault("CACHE_KEY_PREFIX", "wv:")
    app.config.setdefault("CACHE_THRESHOLD", 5000)
    cache.init_app(app)
    app.jinja_env.globals["page_block_mark"] = block_mark
    app.jinja_env.globals["personal_nav"] = personal_nav
    app.after_request(_header)
    for name, listener in (("before_flush", _before_flush), ("do_orm_execute", _on_execute),
                           ("before_commit", _before_commit), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
