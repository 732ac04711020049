"""Read something once per request: the school's home asks several features' panels and next steps,
and many of them need the same current sprint, agreement or open rounds.

    current_sprint_once = per_request(current_sprint)

The cache lives on the request itself (its WSGI environ), not on `g`: an app context can outlive
many requests (commands, tests), and a stale value would show stale steps. Outside a request the
function is simply called. The tables it read are kept with the value: a cached part that uses it
depends on them (reads.py). Use it for reads on pages that only read; a view that changes data and
then reads it again in the same request must call the plain function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask import has_request_context, request

from warmeveranderen import reads

T = TypeVar("T")

ENVIRON_KEY = "warmeveranderen.memo"


def _key_part(value):
    """ORM objects by class and id (the same row loaded twice is one key); anything else as is."""
    ident = getattr(value, "id", None)
    if ident is not None and hasattr(value, "__table__"):
        return (type(value).__name__, ident)
    return value


def per_request(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` with its result kept for the rest of the request, per positional arguments."""

    @functools.wraps(fn)
    def wrapper(*args):
        if not has_request_context():
            return fn(*args)
        cache = request.environ.setdefault(ENVIRON_KEY, {})
        key = (fn.__module__, fn.__qualname__, *map(_key_part, args))
        if key not in cache:
            with reads.recording() as tables:  # what it read counts for every part that uses it
                value = fn(*args)
            cache[key] = (value, frozenset(tables))
        reads.used(cache[key][1])
        return cache[key][0]

    wrapper.uncached = fn
    return wrapper


# --- numbers read with the logged-in person (accounts/loading.py) ---------------------------------

LOADED_KEY = "warmeveranderen.loaded_with"
LOADED_TABLES_KEY = "warmeveranderen.loaded_tables"


def keep_loaded(user_id: int, values: dict, tables: dict | None = None) -> None:
    """What the person's one statement read beside them (the bell's count, the programmes' version), and
    per number the tables it read (a cached part that uses the number depends on them: reads.py)."""
    if has_request_context():
        request.environ[LOADED_KEY] = (user_id, values)
        request.environ[LOADED_TABLES_KEY] = tables or {}


def loaded_with(name: str, user_id: int | None = None):
    """A number read with the person in this request (with `user_id`: only if it is that person);
    None when it was not (no one logged in, outside a request) or when the request has changed
    data since (see `forget_loaded`)."""
    if not has_request_context():
        return None
    loaded_for, values = request.environ.get(LOADED_KEY, (None, {}))
    if user_id is not None and user_id != loaded_for:
        return None
    if name in values:
        reads.used(request.environ.get(LOADED_TABLES_KEY, {}).get(name, ()))
    return values.get(name)


def loaded_for(name: str, **view_args):
    """A number a page reads with the person (accounts/loading.py: load_page_numbers), when this request's
    address names these view arguments (`school_id=school.id`: the page is that school's); else None."""
    if not has_request_context() or any((request.view_args or {}).get(k) != v for k, v in view_args.items()):
        return None
    return loaded_with(name)


def forget_loaded(*_args) -> None:
    """The request changed data (a flush): numbers read with the person may be out of date."""
    if has_request_context():
        request.environ.pop(LOADED_KEY, None)
