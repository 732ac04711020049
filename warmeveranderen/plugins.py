"""How a feature plugs into the app, in one place.

A feature declares what it contributes where it writes it, with the decorator of the registry it
contributes to (`@school_panel(...)`, `@reminder_rule(...)`, `@permission`, `@calendar_source`, ...).
The decorator only *marks* the function: importing a module registers nothing. The feature's
`init_app(app)` (in `<feature>/feature.py`) hands its modules to `register(...)`, and `create_app`
calls every feature's `init_app` from one visible list (`warmeveranderen.FEATURES`). Like a Flask
blueprint's routes, a contribution takes effect when its feature is plugged in, not when it is read.

A registry says how to add one contribution with `@adds("kind")`; adding the same function twice
(an app is created once per test) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

MARKS = "__warmeveranderen_contributes__"
_ADDERS: dict[str, Callable[..., None]] = {}


def adds(kind: str) -> Callable[[F], F]:
    """Declare the function that adds one contribution of `kind` to its registry."""

    def decorator(adder: F) -> F:
        _ADDERS[kind] = adder
        return adder

    return decorator


def contributes(kind: str, **options: Any) -> Callable[[F], F]:
    """Mark `fn` as a contribution of `kind` (with the registry's options); `register` adds it."""

    def decorator(fn: F) -> F:
        marks = fn.__dict__.setdefault(MARKS, [])
        if (kind, options) not in marks:
            marks.append((kind, options))
        return fn

    return decorator


def contributions_of(module: ModuleType) -> list[Callable]:
    """The marked functions defined in `module` itself (not those it imports), in source order."""
    return [
        value for value in vars(module).values()
        if callable(value) and MARKS in getattr(value, "__dict__", {}) and getattr(value, "__module__", None) == module.__name__
    ]


def register(*targets: ModuleType | Callable) -> None:
    """Add every contribution marked in these modules (or these functions) to its registry."""
    for target in targets:
        functions = contributions_of(target) if isinstance(target, ModuleType) else [target]
        for fn in functions:
            for kind, options in fn.__dict__.get(MARKS, []):
                try:
                    adder = _ADDERS[kind]
                except KeyError:
                    raise LookupError(f"no registry adds contributions of kind {kind!r}") from None
                adder(fn, **options)
