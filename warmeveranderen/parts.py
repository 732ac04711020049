"""Parts: what a feature contributes to a page that another feature owns, without that page
knowing the feature. Each kind is declared with its decorator where it is written and added when
the feature's `init_app` calls `plugins.register(...)`.

On the home pages:
- `@next_step`: `fn(user, school) -> list[Step]`; the home pages show every provider's steps, most
  urgent first.
- `@school_panel(template, order)`: `fn(user, school) -> dict | None`; the school's home includes
  the template with that context (None hides the panel, e.g. for people who may not see it).
- `@adviser_todo`: `fn(user, schools) -> list[Todo]`, what the adviser still has to do across all
  the schools they coach. Called once with all those schools: a fixed number of queries.

On the follow-up pages (tracking):
- `@report_section(template, order)`: `fn(user, schools, school_year) -> dict | None`, a section of the
  programme report (page, print and PDF), e.g. the surveys' pre → post results.
- `@progress_section(template, order)`: `fn(user, school) -> dict | None`, a section of the school's
  progress page; the template gets the dict as `section` and `school`.
- `@network_section(template, order)`: the same for a learning network's page.
- `@stall_check`: `fn(schools) -> dict[school_id, list[str]]`, Dutch reasons why schools stall;
  called once per programme page with that page's schools (a fixed number of queries).
- `@indicator_fact(number)`: `fn(school) -> str | None`, a fact the app knows that bears on an
  indicator, shown next to the rating form as a suggestion. The adviser decides.

Between features (issue 18), in `warmeveranderen/parts_between.py`: `@advice_invitees`,
`@initiative_audience`, `@sprint_review_fact`, `@vision_anchor`.

On an initiative's page (sprints):
- `@initiative_section(template, order)`: `fn(user, initiative) -> dict | None`, a section of the
  page (the forum's advice rounds about it); the template gets the dict as `section`.
- `@basket_item_section(template, order)`: the same for an offer-basket item's info sheet (its partner).

On the school's search page (core), in `warmeveranderen/fulltext.py`:
- `@search_source(label, order)`: `fn(user, school, search, limit) -> list[SearchHit] | None`, what a
  feature finds in one school for this person (`search` is a `fulltext.Search`); None when the person
  may not see that kind of thing at all. Each source reads only its own tables, scoped to the school.
On a sprint's page and its burn-up (sprints), and on the vision's page (vision):
- `@sprint_progress(code, label)` / `@sprint_burnup(code, label)`: another way to count a sprint's
  work (`?tellen=<code>`, e.g. the action plans' tasks) next to its initiatives.
- `@vision_section(template, order)`: `fn(user, school, version) -> dict | None`, a section under the
  current vision (per ambition, the initiatives that work on it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from warmeveranderen.plugins import adds, contributes

PROVIDERS: list[Callable] = []
PANELS: list[tuple[int, str, Callable]] = []
ADVISER_TASK_PROVIDERS: list[Callable] = []
PROGRESS_SECTIONS: list[tuple[int, str, Callable]] = []
NETWORK_SECTIONS: list[tuple[int, str, Callable]] = []
INITIATIVE_SECTIONS: list[tuple[int, str, Callable]] = []
BASKET_ITEM_SECTIONS: list[tuple[int, str, Callable]] = []
REPORT_SECTIONS: list[tuple[int, str, Callable]] = []
STALL_CHECKS: list[Callable] = []
FACTS: dict[int, list[Callable]] = defaultdict(list)
# Panels and sections that show something of the viewer's own (their tasks, whether they signed):
# cached per person, the others per set of roles (warmeveranderen/pagecache.py).
PERSONAL: set[Callable] = set()


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    # 1 = do it now, 2 = soon, 3 = when you can
    urgency: int = 2


@dataclass(frozen=True)
class Todo:
    """One thing an adviser has to do in one school; `kind` groups them on the home page."""

    kind: str
    school: object
    url: str
    detail: str = ""


def _add_once(items: list, item) -> None:
    if item not in items:
        items.append(item)


def _add_ordered(items: list[tuple[int, str, Callable]], fn: Callable, template: str, order: int) -> None:
    if any(existing is fn for _o, _t, existing in items):
        return
    items.append((order, template, fn))
    items.sort(key=lambda part: part[0])


# --- the home pages -----------------------------------------------------------------------------------------


def next_step(provider: Callable) -> Callable:
    """Declare a provider of next steps."""
    return contributes("next_step")(provider)


@adds("next_step")
def add_next_step(provider: Callable) -> None:
    _add_once(PROVIDERS, provider)


def steps_for(user, school) -> list[Step]:
    """All steps for this person in this school, most urgent first. Each provider's steps are kept for
    the person under the versions of what that provider read (pagecache.value): a change of one kind
    asks again only the providers that read it."""
    from warmeveranderen import pagecache

    steps: list[Step] = []
    for provider in PROVIDERS:
        steps.extend(pagecache.value(f"steps:{provider.__module__}.{provider.__qualname__}", school,
                                     lambda p=provider: list(p(user, school)), viewer=pagecache.personal(user)))
    return sorted(steps, key=lambda s: s.urgency)


def school_panel(template: str, order: int = 50, personal: bool = False) -> Callable:
    """Declare a panel on the school's home page; `personal` when it shows something of the viewer's own
    (beyond what their roles let them see): it is then cached per person."""
    return contributes("school_panel", template=template, order=order, personal=personal)


@adds("school_panel")
def add_school_panel(fn: Callable, template: str, order: int = 50, personal: bool = False) -> None:
    _add_ordered(PANELS, fn, template, order)
    if personal:
        PERSONAL.add(fn)


def adviser_todo(provider: Callable) -> Callable:
    """Declare a provider of an adviser's to-dos across their schools."""
    return contributes("adviser_todo")(provider)


@adds("adviser_todo")
def add_adviser_todo(provider: Callable) -> None:
    _add_once(ADVISER_TASK_PROVIDERS, provider)


def todos_for(user, schools) -> list[tuple[str, list[Todo]]]:
    """The adviser's to-dos grouped by kind (in the order the kinds first appear), schools by name."""
    if not schools:
        return []
    groups: dict[str, list[Todo]] = {}
    for provider in ADVISER_TASK_PROVIDERS:
        for todo in provider(user, schools):
            groups.setdefault(todo.kind, []).append(todo)
    return [(kind, sorted(items, key=lambda t: (t.school.name, t.detail))) for kind, items in groups.items()]


# --- the follow-up pages ------------------------------------------------------------------------------------


def progress_section(template: str, order: int = 50, personal: bool = False) -> Callable:
    """Declare a section of a school's progress page (`personal` as for panels)."""
    return contributes("progress_section", template=template, order=order, personal=personal)


@adds("progress_section")
def add_progress_section(fn: Callable, template: str, order: int = 50, personal: bool = False) -> None:
    _add_ordered(PROGRESS_SECTIONS, fn, template, order)
    if personal:
        PERSONAL.add(fn)


def network_section(template: str, order: int = 50) -> Callable:
    """Declare a section of a learning network's page."""
    return contributes("network_section", template=template, order=order)


@adds("network_section")
def add_network_section(fn: Callable, template: str, order: int = 50) -> None:
    _add_ordered(NETWORK_SECTIONS, fn, template, order)


def _sections(registry, user, obj) -> list[tuple[str, dict]]:
    result = []
    for _order, template, fn in registry:
        context = fn(user, obj)
        if context is not None:
            result.append((template, context))
    return result


def rendered_sections(kind: str, user, school) -> list:
    """The panels ("panel": the school's home) or progress sections ("section") for this person as HTML,
    from the part cache: each template gets its context as `panel`/`section` and `school`. Each is a
    part of its own, kept per set of roles (a personal one per person) under the versions of the tables
    it read: a change of one kind renders again only the panels that read it."""
    from flask import render_template

    from warmeveranderen import pagecache

    def render(template, fn) -> str:
        context = fn(user, school)
        return "" if context is None else render_template(template, **{kind: context, "school": school})

    roles, result = pagecache.roles_of(user, school), []
    for _order, template, fn in PANELS if kind == "panel" else PROGRESS_SECTIONS:
        html = pagecache.part(f"{kind}:{template}", school, lambda t=template, f=fn: render(t, f),
                              viewer=pagecache.personal(user) if fn in PERSONAL else roles)
        if html:
            result.append(html)
    return result


def network_sections_for(user, network) -> list[tuple[str, dict]]:
    return _sections(NETWORK_SECTIONS, user, network)


def report_section(template: str, order: int = 50) -> Callable:
    """Declare a section of the programme report: `fn(user, schools, school_year) -> dict | None`, with
    `schools` the report's condition on School (the person's scope, city and network) and `school_year`
    the chosen school year or "" (the page, the PDF and print all show it)."""
    return contributes("report_section", template=template, order=order)


@adds("report_section")
def add_report_section(fn: Callable, template: str, order: int = 50) -> None:
    _add_ordered(REPORT_SECTIONS, fn, template, order)


def report_sections_for(user, schools, school_year: str) -> list[tuple[str, dict]]:
    found = []
    for _order, template, fn in REPORT_SECTIONS:
        section = fn(user, schools, school_year)
        if section is not None:
            found.append((template, section))
    return found


def stall_check(fn: Callable) -> Callable:
    """Declare a check that gives reasons why schools stall."""
    return contributes("stall_check")(fn)


@adds("stall_check")
def add_stall_check(fn: Callable) -> None:
    _add_once(STALL_CHECKS, fn)


def stall_flags(schools) -> dict[int, list[str]]:
    """All reasons per school id from every registered check."""
    flags: dict[int, list[str]] = defaultdict(list)
    if not schools:
        return flags
    for check in STALL_CHECKS:
        for school_id, reasons in check(schools).items():
            flags[school_id].extend(reasons)
    return flags


def indicator_fact(number: int) -> Callable:
    """Declare a fact that bears on indicator `number`."""
    return contributes("indicator_fact", number=number)


@adds("indicator_fact")
def add_indicator_fact(fn: Callable, number: int) -> None:
    _add_once(FACTS[number], fn)


def facts_for(school) -> dict[int, list[str]]:
    """Every registered fact per indicator number, leaving out those that have nothing to say."""
    result: dict[int, list[str]] = {}
    for number, providers in FACTS.items():
        texts = [text for text in (fn(school) for fn in providers) if text]
        if texts:
            result[number] = texts
    return result


# --- an initiative's page -----------------------------------------------------------------------------------


def initiative_section(template: str, order: int = 50) -> Callable:
    """Declare a section of an initiative's page."""
    return contributes("initiative_section", template=template, order=order)


@adds("initiative_section")
def add_initiative_section(fn: Callable, template: str, order: int = 50) -> None:
    _add_ordered(INITIATIVE_SECTIONS, fn, template, order)


def initiative_sections_for(user, initiative) -> list[tuple[str, dict]]:
    return _sections(INITIATIVE_SECTIONS, user, initiative)


def basket_item_section(template: str, order: int = 50) -> Callable:
    """Declare a section of an offer-basket item's info sheet (the partner who provides it)."""
    return contributes("basket_item_section", template=template, order=order)


@adds("basket_item_section")
def add_basket_item_section(fn: Callable, template: str, order: int = 50) -> None:
    _add_ordered(BASKET_ITEM_SECTIONS, fn, template, order)


def basket_item_sections_for(user, item) -> list[tuple[str, dict]]:
    return _sections(BASKET_ITEM_SECTIONS, user, item)


# --- facts one feature offers another ------------------------------------------------------------------------


JOURNEY_STARTS: list[Callable] = []


def journey_start(fn: Callable) -> Callable:
    """Declare `fn(school) -> date | None`: the day the school's journey began (its first sprint)."""
    return contributes("journey_start")(fn)


@adds("journey_start")
def add_journey_start(fn: Callable) -> None:
    _add_once(JOURNEY_STARTS, fn)


def journey_started_on(school):
    """The earliest start any feature knows of for this school's journey, or None."""
    days = [day for day in (fn(school) for fn in JOURNEY_STARTS) if day is not None]
    return min(days) if days else None


# --- a sprint's other counts, and the vision page -----------------------------------------------------------


@dataclass
class SprintCount:
    """Another way to count a sprint's work than its initiatives (the action plans' tasks): a label,
    `progress(initiative_ids) -> {id: (done, total)}` and `burnup(sprint) -> [(week, last day, done, scope)]`."""

    code: str
    label: object
    progress: Callable | None = None
    burnup: Callable | None = None


SPRINT_COUNTS: dict[str, SprintCount] = {}
VISION_SECTIONS: list[tuple[int, str, Callable]] = []


def sprint_progress(code: str, label) -> Callable:
    """Declare `fn(initiative_ids) -> {initiative id: (done, total)}`: the sprint page counts these too."""
    return contributes("sprint_progress", code=code, label=label)


@adds("sprint_progress")
def add_sprint_progress(fn: Callable, code: str, label) -> None:
    SPRINT_COUNTS.setdefault(code, SprintCount(code, label)).progress = fn


def sprint_burnup(code: str, label) -> Callable:
    """Declare `fn(sprint) -> [(week, last day, done or None, scope)]`: a burn-up counted this way."""
    return contributes("sprint_burnup", code=code, label=label)


@adds("sprint_burnup")
def add_sprint_burnup(fn: Callable, code: str, label) -> None:
    SPRINT_COUNTS.setdefault(code, SprintCount(code, label)).burnup = fn


def sprint_counts() -> dict[str, SprintCount]:
    """The other counts the sprint page and the burn-up offer next to "initiatives" (code -> count)."""
    return SPRINT_COUNTS


def vision_section(template: str, order: int = 50) -> Callable:
    """Declare `fn(user, school, version) -> dict | None`: a section under the current vision
    (per ambition, the initiatives working on it)."""
    return contributes("vision_section", template=template, order=order)


@adds("vision_section")
def add_vision_section(fn: Callable, template: str, order: int = 50) -> None:
    _add_ordered(VISION_SECTIONS, fn, template, order)


def vision_sections_for(user, school, version) -> list[tuple[str, dict]]:
    if version is None:
        return []
    result = []
    for _order, template, fn in VISION_SECTIONS:
        context = fn(user, school, version)
        if context is not None:
            result.append((template, context))
    return result
