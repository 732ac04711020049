"""What features contribute to the home pages, without core knowing the features.

- A next-step provider is `fn(user, school) -> list[Step]`, registered with @next_step; the home
  pages show every provider's steps, most urgent first.
- A school panel is a template plus `fn(user, school) -> dict | None` registered with
  @school_panel(template, order); the school's home includes the template with that context
  (a None context hides the panel, e.g. for people who may not see it).
- An adviser's to-do provider is `fn(user, schools) -> list[Todo]`, registered with @adviser_todo:
  what the adviser still has to do across all the schools they coach. It is called once with all
  those schools, so it must use a fixed number of queries (one aggregate query, not one per school).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PROVIDERS: list[Callable] = []
PANELS: list[tuple[int, str, Callable]] = []
ADVISER_TASK_PROVIDERS: list[Callable] = []


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    # 1 = do it now, 2 = soon, 3 = when you can
    urgency: int = 2


def next_step(provider: Callable) -> Callable:
    """Register a provider of next steps."""
    PROVIDERS.append(provider)
    return provider


def steps_for(user, school) -> list[Step]:
    """All steps for this person in this school, most urgent first."""
    steps: list[Step] = []
    for provider in PROVIDERS:
        steps.extend(provider(user, school))
    return sorted(steps, key=lambda s: s.urgency)


def school_panel(template: str, order: int = 50) -> Callable:
    """Register a panel on the school's home page."""

    def decorator(fn: Callable) -> Callable:
        PANELS.append((order, template, fn))
        PANELS.sort(key=lambda p: p[0])
        return fn

    return decorator


def panels_for(user, school) -> list[tuple[str, dict]]:
    """(template, context) of every panel this person may see on the school's home."""
    result = []
    for _order, template, fn in PANELS:
        context = fn(user, school)
        if context is not None:
            result.append((template, context))
    return result


@dataclass(frozen=True)
class Todo:
    """One thing an adviser has to do in one school; `kind` groups them on the home page."""

    kind: str
    school: object
    url: str
    detail: str = ""


def adviser_todo(provider: Callable) -> Callable:
    """Register a provider of an adviser's to-dos across their schools."""
    ADVISER_TASK_PROVIDERS.append(provider)
    return provider


def todos_for(user, schools) -> list[tuple[str, list[Todo]]]:
    """The adviser's to-dos grouped by kind (in the order the kinds first appear), schools by name."""
    if not schools:
        return []
    groups: dict[str, list[Todo]] = {}
    for provider in ADVISER_TASK_PROVIDERS:
        for todo in provider(user, schools):
            groups.setdefault(todo.kind, []).append(todo)
    return [(kind, sorted(items, key=lambda t: (t.school.name, t.detail))) for kind, items in groups.items()]
