"""Render once, serve many (issue 24): parts of school pages cached by the versions of what they read.

Every school and the programme carry a version number (`schools.cache_version`,
`programmes.cache_version`), and every school a version per table (`school_table_versions`: how often
its advice, its ideas, its tasks ... changed). The one unit of work raises them when it commits
(cacheversions.py traces every change to its school and table, or to the programme). A whole page is
stored under

    (page, school, school version, programmes' version, the viewer, locale, the minute)

and a part of a school's page (a panel, a section, a feature's next steps) under

    (part, school, programmes' version, the viewer's roles, locale, the minute,
     the versions of the tables the part read when it was rendered)

(reads.py notes those tables: the statements the part sent, the relationships it followed, the objects
it got by their key and the values kept for the request that it used). So a change by anyone shows on
the next request, and renders again only the parts that read the kind of thing that changed; a viewer
only ever gets a part rendered for the same roles; what depends on the clock (an advice round that
closes at 17:00, "nog 3 dagen") is at most a minute old. The minute is also the part's lifetime;
older versions simply expire.

    html = pagecache.part("school-home", school, lambda: render_template(...))

Personal bits stay outside: the layout (the person's name, the unread badge, flashed messages)
is rendered per request, and a CSRF token rendered into a part is stored as a placeholder and
put back per request. A part that shows something of the viewer's own (their next steps, what
they follow) uses `viewer=personal(user)`.

The cache is Flask-Caching: in-process by default (each web process has its own), Redis with
CACHE_REDIS_URL so that several web servers share it. PART_CACHE_SECONDS = 0 switches it off.
The versions are read before the part's data is read, so a part cached under a version never holds
older data than that version. On a page they come with the person (accounts/loading.py: the first
statement of the request): the person's own schools, and the school a GET's URL names, directly
(/scholen/<id>/...) or through its object (the sprint of /sprints/<id>, read in that same statement).
Elsewhere they are one query, made when the page first asks; a school's table versions are one
query when its first part is looked up. (A row such a view read before that could in theory be a
commit older than the version; such a part is replaced when its minute ends.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from cachelib import SimpleCache
from flask import Flask, current_app, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from warmeveranderen import cachekeys, cacheversions, memo, reads
from warmeveranderen.config import code_fingerprint
from warmeveranderen.extensions import cache, db
from warmeveranderen.timeutil import utcnow

# The versions and the viewer's key (cachekeys.py), under the names the views use (pagecache.versions, ...).
versions, table_versions, programme_wide, PROGRAMME_WIDE = (cachekeys.versions, cachekeys.table_versions,
                                                            cachekeys.programme_wide, cachekeys.PROGRAMME_WIDE)
person_versions, person_versions_column = cachekeys.person_versions, cachekeys.person_versions_column
keep_versions, programmes_version_column = cachekeys.keep_versions, cachekeys.programmes_version_column
network_version_column, replayable = cachekeys.network_version_column, cachekeys.replayable
roles_of, personal = cachekeys.roles_of, cachekeys.personal

CSRF_PLACEHOLDER = "wv-part-csrf-0b6e51d2"
# --- parts ------------------------------------------------------------------------------------


def enabled() -> bool:
    """Whether parts are kept and served now: in a request, with the cache on, and not after this request
    changed data it has not committed yet (the versions go up at the commit: until then a kept part
    would not show the change)."""
    return (bool(current_app.config.get("PART_CACHE_SECONDS")) and has_request_context()
            and not cacheversions.pending(db.session()))


def _key(name: str, school_id, viewer: str, extra: Hashable) -> str:
    bases = cachekeys.on_request("key_bases")
    base = bases.get(school_id)
    if base is None:  # once per request and school: its versions, the language and the minute
        known = cachekeys.on_request("versions")
        school_version, programme_version = known[school_id] if school_id in known else versions(school_id)
        base = bases[school_id] = (f"{school_id}|{school_version}|{programme_version}|{get_locale()}|"
                                   f"{utcnow():%Y%m%d%H%M}")
    return _hashed(f"{name}|{base}|{viewer}|{extra!r}")


def _hashed(raw: str) -> str:
    """A key of the store, for this release only (RELEASE, config.py): a part the previous release
    kept in Redis is never served after a deploy."""
    raw = f"{current_app.config['WV_RELEASE']}|{raw}"
    return "part:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _kept(html: str) -> str:
    """HTML as it is kept: the CSRF token of the request that rendered it as the placeholder."""
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return html.replace(token, CSRF_PLACEHOLDER) if token else html


def _served(html: str) -> str:
    """Kept HTML as it is served: the placeholder as this request's own CSRF token."""
    return html.replace(CSRF_PLACEHOLDER, generate_csrf()) if CSRF_PLACEHOLDER in html else html


def _get(key: str):
    """What is kept under `key`: with Redis, this process's own copy first. A key names its content
    (the versions, the viewer, the language and the minute are in it), so a copy is never stale:
    after a change the page asks for another key. The copy saves a Redis round trip per part."""
    local = current_app.extensions.get("wv_local_parts")
    stored = local.get(key) if local is not None else None
    if stored is None:
        stored = cache.get(key)
        if stored is not None and local is not None:
            local.set(key, stored)
    return stored


def _set(key: str, value) -> None:
    cache.set(key, value, timeout=current_app.config["PART_CACHE_SECONDS"])
    local = current_app.extensions.get("wv_local_parts")
    if local is not None:
        local.set(key, value)


def clear() -> None:
    """Forget every kept part (after restoring a backup, ids and versions come back)."""
    cache.clear()
    local = current_app.extensions.get("wv_local_parts")
    if local is not None:
        local.clear()


def _cached(key: str, render: Callable[[], str]) -> tuple[Markup, bool]:
    """(the HTML kept under `key`, or rendered now and kept; whether it came from the cache)."""
    stored = _get(key)
    hit = stored is not None
    if not hit:
        stored = _kept(str(render()))
        _set(key, stored)
    return Markup(_served(stored)), hit


def unchanging(name: str, extra: Hashable, render: Callable[[], str]) -> Markup:
    """A part that depends only on the code, the language and `extra`: an empty form with fixed choices
    (the programme's invite form). Its CSRF token is put back per request like any part's."""
    if not enabled():
        return Markup(render())
    html, hit = _cached(_hashed(f"unchanging|{name}|{get_locale()}|{extra!r}"), render)
    g.setdefault("wv_parts", []).append((name, hit))
    return html


def scope_of(obj):
    """What a part's versions are of: a school (its id), or a learning network ("network", id)."""
    if getattr(obj, "__tablename__", None) == "learning_networks":
        return ("network", obj.id)
    return obj.id if hasattr(obj, "id") else obj


def part(name: str, school, render: Callable[[], str], *, viewer: str, extra: Hashable = ()) -> Markup:
    """The part `name` of `school`'s page as HTML: from the cache, or rendered now and kept. A school's
    part is kept under the versions of the tables it read (`_by_tables`); a network's or a person's
    under their versions."""
    if not enabled():
        return Markup(render())
    scope = scope_of(school)
    if isinstance(scope, int):
        stored, hit = _by_tables(name, scope, viewer, extra, lambda: _kept(str(render())))
        html = Markup(_served(stored))
    else:
        html, hit = _cached(_key(name, scope, viewer, extra), render)
    g.setdefault("wv_parts", []).append((name, hit))
    return html


def value(name: str, school, compute: Callable[[], object], *, viewer: str, extra: Hashable = ()):
    """A value of `school`'s page (a feature's next steps for a person: plain data that pickles), kept
    like a part, under the versions of the tables computing it read. Outside a request, with the cache
    switched off or for another scope than a school: simply computed."""
    if not enabled() or not isinstance(scope_of(school), int):
        return compute()
    kept, _hit = _by_tables(f"value:{name}", school.id, viewer, extra, compute)
    return kept


def _by_tables(name: str, school_id: int, viewer: str, extra: Hashable, compute: Callable[[], object]):
    """(what is kept for this part, whether it came from the cache). Two entries: under the part's name,
    the programmes' version, viewer, language and minute, the tables it read when it was last rendered;
    under those plus the tables' versions, what it rendered. A change of a table the part did not read
    leaves it as it was; one it read (or a change of the programme, or the next minute) renders it again,
    and the tables it reads then are noted again."""
    programme_version = versions(school_id)[1]
    head = f"{name}|{school_id}|{programme_version}|{get_locale()}|{utcnow():%Y%m%d%H%M}|{viewer}|{extra!r}"
    noted, current = _hashed(f"reads|{head}"), table_versions(school_id)
    depends = _get(noted)
    if depends is not None:
        kept = _get(_hashed(f"{head}|{[(t, current.get(t, 0)) for t in depends]!r}"))
        if kept is not None:
            reads.used(depends, outside=False)
            return kept, True
    with reads.recording() as tables:
        kept = compute()
    depends = tuple(sorted(tables | reads.outside()))
    _set(noted, depends)
    _set(_hashed(f"{head}|{[(t, current.get(t, 0)) for t in depends]!r}"), kept)
    return kept, False


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
    stored = _get(key)
    if stored is None:
        g.wv_capture = True
        try:
            html = render_template(template, **context())
        finally:
            g.wv_capture = False
        blocks, html = _split(html)
        _set(key, {block: _kept(text) for block, text in blocks.items()})
        g.wv_whole = _layout_key() is not None  # rendered without a message: may be kept whole (fastpath.py)
        g.setdefault("wv_parts", []).append((name, False))
        return html
    g.setdefault("wv_parts", []).append((name, True))
    layout = _layout_key()
    g.wv_whole = layout is not None  # such a page's response may be kept whole (fastpath.py)
    if layout is None:  # a message to show (or no kept menu): the layout is rendered around the blocks
        return render_template("_cached_page.html", blocks={block: Markup(_served(text)) for block, text in stored.items()})
    # The layout around these blocks is the same for every request of this person with this menu, on
    # this address (the footer's language switch returns to it): kept whole, so that a warm page is
    # one look-up and its CSRF token put back, without rendering base.html.
    return str(_cached(_hashed(f"whole|{key}|{layout}"), lambda: render_template(
        "_cached_page.html", blocks={block: Markup(text) for block, text in stored.items()}))[0])


def _layout_key() -> str | None:
    """What the layout around a page shows besides the page's blocks: the person's menu (its key), or
    None when it must be rendered on this request (a flashed message waits, or no kept menu)."""
    if session.get("_flashes") or not current_user.is_authenticated:
        return None
    # The bell's count as base.html reads it: a global a feature sets (notifications), 0 without it.
    unread = current_app.jinja_env.globals.get("unread_notifications")
    return _nav_key(unread() if unread else 0)


def _nav_key(unread: int) -> str | None:
    programme_version = memo.loaded_with("programmes_version", getattr(current_user, "id", None))
    if programme_version is None or not enabled():
        return None
    user = current_user
    memberships = tuple(sorted((m.school_id, m.role, m.is_lead) for m in user.memberships))
    return _hashed(f"nav|{user.id}|{user.is_coordinator}|{user.is_adviser}|{memberships}|{programme_version}|"
                   f"{session.get('school_id')}|{unread}|{get_locale()}|{utcnow():%Y%m%d%H%M}")


# What fastpath.py keeps its responses with: the same store, keys and CSRF placeholder as the parts.
hashed, stored, store, kept, served = _hashed, _get, _set, _kept, _served


def personal_nav(unread: int) -> Markup:
    """The logged-in person's menu (templates/_nav.html), kept per person, their roles and schools,
    the programmes' version (their schools' names), the active school, the unread count and language."""
    key = _nav_key(unread)
    if key is None:
        return Markup(render_template("_nav.html", unread=unread))
    return _cached(key, lambda: render_template("_nav.html", unread=unread))[0]


def _header(response):
    """X-Part-Cache: which parts came from the cache (the benchmark and the tests read it)."""
    if not (current_app.config.get("COUNT_QUERIES") or current_app.testing):
        return response
    parts = g.get("wv_parts")
    if parts:
        response.headers["X-Part-Cache"] = ", ".join(f"{name}={'hit' if hit else 'miss'}" for name, hit in parts)
    if g.get("wv_fast"):  # served whole before the view (fastpath.py)
        response.headers["X-Fast-Path"] = "hit"
    return response


def init_app(app: Flask) -> None:
    if app.config.get("CACHE_REDIS_URL"):
        app.config.setdefault("CACHE_TYPE", "RedisCache")
    app.config.setdefault("CACHE_TYPE", "SimpleCache")
    app.config.setdefault("CACHE_KEY_PREFIX", "wv:")
    app.config["WV_RELEASE"] = app.config.get("RELEASE") or code_fingerprint()
    app.config.setdefault("CACHE_THRESHOLD", 5000)
    cache.init_app(app)
    if app.config["CACHE_TYPE"] == "RedisCache":
        # This process's copies of what it read from Redis (see `_get`), for at most the parts' lifetime.
        app.extensions["wv_local_parts"] = SimpleCache(threshold=app.config["CACHE_THRESHOLD"],
                                                       default_timeout=app.config["PART_CACHE_SECONDS"] or 60)
    reads.init_app(app, db.Model)
    app.jinja_env.globals["page_block_mark"] = block_mark
    app.jinja_env.globals["personal_nav"] = personal_nav
    app.after_request(_header)
    for name, listener in (("before_flush", cacheversions.before_flush), ("do_orm_execute", cacheversions.on_execute),
                           ("before_commit", cacheversions.before_commit), ("after_rollback", cacheversions.forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
