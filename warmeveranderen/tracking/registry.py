"""Extension points that other features fill in without this feature knowing them.

- `@indicator_fact(number)`: `fn(school) -> str | None`, a fact the app knows that bears on an
  indicator (an endorsed vision for indicator 1, closed sprints for 9); shown next to the rating
  form as a suggestion. The adviser decides.
- `@progress_section(template, order)`: `fn(user, school) -> dict | None`, a section of the school's
  progress page (None hides it). The template gets the dict as `section` and `school`.
- `@network_section(template, order)`: the same for a learning network's page.
- `@stall_check`: `fn(schools) -> dict[school_id, list[str]]`, Dutch reasons why schools stall;
  called once per programme page with that page's schools, so it must use a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

FACTS: dict[int, list[Callable]] = defaultdict(list)
PROGRESS_SECTIONS: list[tuple[int, str, Callable]] = []
NETWORK_SECTIONS: list[tuple[int, str, Callable]] = []
STALL_CHECKS: list[Callable] = []


def indicator_fact(number: int) -> Callable:
    def decorator(fn: Callable) -> Callable:
        FACTS[number].append(fn)
        return fn

    return decorator


def facts_for(school) -> dict[int, list[str]]:
    """Every registered fact per indicator number, leaving out those that have nothing to say."""
    result: dict[int, list[str]] = {}
    for number, providers in FACTS.items():
        texts = [text for text in (fn(school) for fn in providers) if text]
        if texts:
            result[number] = texts
    return result


def progress_section(template: str, order: int = 50) -> Callable:
    def decorator(fn: Callable) -> Callable:
        PROGRESS_SECTIONS.append((order, template, fn))
        PROGRESS_SECTIONS.sort(key=lambda s: s[0])
        return fn

    return decorator


def network_section(template: str, order: int = 50) -> Callable:
    def decorator(fn: Callable) -> Callable:
        NETWORK_SECTIONS.append((order, template, fn))
        NETWORK_SECTIONS.sort(key=lambda s: s[0])
        return fn

    return decorator


def _sections(registry, user, obj) -> list[tuple[str, dict]]:
    result = []
    for _order, template, fn in registry:
        context = fn(user, obj)
        if context is not None:
            result.append((template, context))
    return result


def progress_sections_for(user, school) -> list[tuple[str, dict]]:
    return _sections(PROGRESS_SECTIONS, user, school)


def network_sections_for(user, network) -> list[tuple[str, dict]]:
    return _sections(NETWORK_SECTIONS, user, network)


def stall_check(fn: Callable) -> Callable:
    STALL_CHECKS.append(fn)
    return fn


def stall_flags(schools) -> dict[int, list[str]]:
    """All reasons per school id from every registered check."""
    flags: dict[int, list[str]] = defaultdict(list)
    if not schools:
        return flags
    for check in STALL_CHECKS:
        for school_id, reasons in check(schools).items():
            flags[school_id].extend(reasons)
    return flags
