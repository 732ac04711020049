"""The programme pages' filter choices (warm cities, learning networks, advisers), and the short-lived
per-process cache of programme-wide figures they are read through (tracking's report uses it too).

At 5,000 schools the report aggregates hundreds of thousands of rows and the filters list ~2,000
choices: such figures are kept per process for REPORT_CACHE_SECONDS. Any flush in this process that
touches the models they are computed from clears them at once, so a coordinator who records something
sees it on the next request; another worker process may show the previous figures for at most
REPORT_CACHE_SECONDS. A feature whose models feed cached figures adds them with `clear_when_changed`.

A refresh does not land on a reader's request: for REPORT_CACHE_STALE_SECONDS after the figures
expire, a request gets the previous ones while one background thread of the process computes them
anew (so under steady use they are recomputed about every REPORT_CACHE_SECONDS, off the request).
Only the first request after a start, a clear or a long quiet spell computes them itself.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import event, func, inspect
from sqlalchemy.orm import Session

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School, WarmCity

log = logging.getLogger(__name__)

_CLEARED_BY: set[type] = {School, LearningNetwork, WarmCity, User}
# Of these models only a change to these attributes counts: a person's logout or new password (their
# session version) is no change to the programme's figures, and should not make the next reader wait.
_CLEARED_BY_ONLY: dict[type, frozenset[str]] = {User: frozenset({"name", "is_adviser", "is_coordinator", "active"})}
_cache: dict[str, tuple[float, object]] = {}
_cache_lock = threading.Lock()
_refreshing: dict[str, threading.Thread] = {}  # key -> the background thread recomputing it
_survivors: set[str] = set()  # keys whose value a clear makes stale instead of dropping it
_generation = 0  # raised by every clear: a refresh that started before it does not store its outdated value


def programme_totals(key: str, compute: Callable[[], object], *, survives_clear: bool = False):
    """compute() for the whole programme, reused for REPORT_CACHE_SECONDS (0 turns reuse off); for
    REPORT_CACHE_STALE_SECONDS after that, the previous value while a background thread recomputes it.

    compute() must return plain data (no ORM objects: they belong to the request's session).
    survives_clear: a change does not drop this value but makes it stale (the next reader gets it while
    it is recomputed), for figures that may lag a change by a few seconds and take long to compute."""
    config = current_app.config
    seconds = config.get("REPORT_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    now = time.monotonic()
    with _cache_lock:
        if survives_clear:
            _survivors.add(key)
        hit = _cache.get(key)
        generation = _generation
    if hit is not None and hit[0] is None:  # made stale by a change
        _refresh_in_background(key, compute)
        return hit[1]
    if hit is not None:
        age = now - hit[0]
        if age < seconds:
            return hit[1]
        if age < seconds + config.get("REPORT_CACHE_STALE_SECONDS", 0):
            _refresh_in_background(key, compute)
            return hit[1]
    value = compute()
    _store(key, now, value, generation)
    return value


_rendered: dict[tuple, tuple[object, str]] = {}  # (name, id of the figures, language, extra) -> (figures, HTML)
_RENDERED_KEPT = 32


def rendered_from(name: str, figures, render: Callable[[], str], extra=()) -> str:
    """HTML rendered from figures of `programme_totals`, kept while those very figures are in use: the
    report's 1,000 rows of sessions per network are rendered once per computation of the figures and
    language, not on every request. New figures (recomputed, or cleared by a change) are another object,
    so their rows are rendered anew; the entry holds the figures, so their id is never another's. Without
    reuse (REPORT_CACHE_SECONDS = 0) every call renders."""
    if not current_app.config.get("REPORT_CACHE_SECONDS", 0):
        return render()
    key = (name, id(figures), str(get_locale()), extra)
    with _cache_lock:
        hit = _rendered.get(key)
    if hit is not None and hit[0] is figures:
        return hit[1]
    html = render()
    with _cache_lock:
        _rendered[key] = (figures, html)
        while len(_rendered) > _RENDERED_KEPT:  # the oldest first (dicts keep their order)
            _rendered.pop(next(iter(_rendered)))
    return html


def _store(key: str, at: float, value, generation: int) -> None:
    with _cache_lock:
        if generation == _generation:
            _cache[key] = (at, value)


def _refresh_in_background(key: str, compute: Callable[[], object]) -> None:
    """One thread per key at a time recomputes the value in its own app context (own session) and
    in the reader's language."""
    app = current_app._get_current_object()
    locale = str(get_locale() or "nl_BE")
    with _cache_lock:
        if key in _refreshing:
            return
        generation = _generation

        def run():
            try:
                with app.app_context(), force_locale(locale):
                    started = time.monotonic()
                    _store(key, started, compute(), generation)
            except Exception:  # the stale value stays; the next expired read tries again
                log.exception("refreshing the programme figures %s failed", key)
            finally:
                with _cache_lock:
                    _refreshing.pop(key, None)

        thread = threading.Thread(target=run, name=f"programme-totals:{key}", daemon=True)
        _refreshing[key] = thread
    thread.start()


def wait_for_refreshes(timeout: float = 30) -> None:
    """Until the background refreshes running now are done (tests, and a clean shutdown)."""
    with _cache_lock:
        threads = list(_refreshing.values())
    for thread in threads:
        thread.join(timeout)


def condition_key(condition) -> str:
    """A condition on School as a cache key: its SQL with the values in it (hashed when long)."""
    sql = str(condition.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    return sql if len(sql) <= 200 else hashlib.sha1(sql.encode()).hexdigest()


def clear_programme_totals() -> None:
    global _generation
    with _cache_lock:
        kept = {key: (None, hit[1]) for key, hit in _cache.items() if key in _survivors}
        _cache.clear()
        _cache.update(kept)
        _generation += 1


def clear_when_changed(*models: type) -> None:
    """A change to any of these models (in this process) clears the cached figures."""
    _CLEARED_BY.update(models)


def _changes_figures(obj, dirty: bool) -> bool:
    if not isinstance(obj, tuple(_CLEARED_BY)):
        return False
    only = _CLEARED_BY_ONLY.get(type(obj))
    if not dirty or only is None:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in only)


@event.listens_for(Session, "after_flush")
def _clear_on_change(session, _flush_context) -> None:
    if _cache and (any(_changes_figures(obj, False) for obj in (*session.new, *session.deleted))
                   or any(_changes_figures(obj, True) for obj in session.dirty)):
        clear_programme_totals()


# Above this many learning networks the network filter lists only those of the chosen warm city.
NETWORK_OPTIONS_LIMIT = 150


def filter_options(user: User, city_id: int | None = None, network_id: int | None = None) -> dict:
    """The choices of the programme pages' filters (advisers only for the coordinator).

    Read through the programme totals cache: at 5,000 schools there are ~2,000 choices.
    With many networks, only the chosen city's networks are listed ("networks_limited")."""

    def cities():
        return [tuple(r) for r in db.session.execute(db.select(WarmCity.id, WarmCity.name).order_by(WarmCity.name))]

    def networks(city):
        query = db.select(LearningNetwork.id, LearningNetwork.name).order_by(LearningNetwork.name)
        if city is not None:
            query = query.where(LearningNetwork.id.in_(
                db.select(School.network_id).where(School.city_id == city, School.network_id.is_not(None))
            ))
        return [tuple(r) for r in db.session.execute(query)]

    def network_count():
        return db.session.scalar(db.select(func.count(LearningNetwork.id)))

    def advisers():
        return [tuple(r) for r in db.session.execute(
            db.select(User.id, User.name).where(User.is_adviser.is_(True)).order_by(User.name)
        )]

    limited = programme_totals("filter:network_count", network_count) > NETWORK_OPTIONS_LIMIT
    if limited:
        network_options = programme_totals(f"filter:networks:{city_id}", lambda: networks(city_id)) if city_id else []
        if network_id and all(i != network_id for i, _name in network_options):
            # A network chosen elsewhere (a link) stays visible as the current choice.
            chosen = db.session.get(LearningNetwork, network_id)
            network_options = [(chosen.id, chosen.name), *network_options] if chosen else network_options
    else:
        network_options = programme_totals("filter:networks", lambda: networks(None))
    return {
        "cities": programme_totals("filter:cities", cities),
        "networks": network_options,
        "networks_limited": limited,
        "advisers": programme_totals("filter:advisers", advisers) if user.is_coordinator else [],
    }
