"""Parts between features (issue 18): people and facts one feature offers another, without either
importing the other. Registered like every part (`warmeveranderen/parts.py`), by the feature's
`init_app` through `plugins.register`.

- `@advice_invitees`: people asked for advice on a subject besides the forum (the author of the idea
  behind an initiative), each with why.
- `@initiative_audience`: who hears what became of an initiative (who advised, supported, follows).
- `@sprint_review_fact`: lines of the sprint review the school hears when a sprint closes.
- `@vision_anchor`: the parts of the school's current vision an idea or initiative can serve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from warmeveranderen.parts import _add_once
from warmeveranderen.plugins import adds, contributes

ADVICE_INVITEES: list[Callable] = []
INITIATIVE_AUDIENCES: list[Callable] = []
SPRINT_REVIEW_FACTS: list[Callable] = []
VISION_ANCHORS: list[Callable] = []


def advice_invitees(fn: Callable) -> Callable:
    """Declare `fn(subject_kind, subject) -> list[tuple[User, str]]`: people to ask for advice on a subject
    besides the forum (the author of the idea behind an initiative), each with why (Dutch, one line)."""
    return contributes("advice_invitees")(fn)


@adds("advice_invitees")
def add_advice_invitees(fn: Callable) -> None:
    _add_once(ADVICE_INVITEES, fn)


def invitees_for(subject_kind: str, subject) -> list[tuple[object, str]]:
    """Everyone the features want asked about this subject, each person once (the first reason wins)."""
    found: dict[int, tuple[object, str]] = {}
    for fn in ADVICE_INVITEES:
        for user, reason in fn(subject_kind, subject):
            found.setdefault(user.id, (user, reason))
    return list(found.values())


def initiative_audience(fn: Callable) -> Callable:
    """Declare `fn(initiative_ids) -> dict[initiative_id, set[user_id]]`: who wants to hear what became of
    these initiatives (who advised on them, supported the idea behind them, follows them)."""
    return contributes("initiative_audience")(fn)


@adds("initiative_audience")
def add_initiative_audience(fn: Callable) -> None:
    _add_once(INITIATIVE_AUDIENCES, fn)


def audiences_of(initiative_ids) -> dict[int, set[int]]:
    """The union of every feature's audience per initiative (one query per feature, for all of them)."""
    ids = set(initiative_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    for fn in INITIATIVE_AUDIENCES:
        for initiative_id, user_ids in fn(ids).items():
            found[initiative_id] |= set(user_ids)
    return found


def sprint_review_fact(fn: Callable) -> Callable:
    """Declare `fn(sprint) -> list[str]`: lines for the sprint review the school hears when a sprint closes
    (the forum: what it decided during the sprint), rendered in the current locale."""
    return contributes("sprint_review_fact")(fn)


@adds("sprint_review_fact")
def add_sprint_review_fact(fn: Callable) -> None:
    _add_once(SPRINT_REVIEW_FACTS, fn)


def sprint_review_facts(sprint) -> list[str]:
    return [line for fn in SPRINT_REVIEW_FACTS for line in fn(sprint)]


def vision_anchor(fn: Callable) -> Callable:
    """Declare `fn(school) -> list[tuple[str, str]]`: (key, label) of the parts of the school's current
    vision an idea or initiative can serve (its ambitions and guiding principles)."""
    return contributes("vision_anchor")(fn)


@adds("vision_anchor")
def add_vision_anchor(fn: Callable) -> None:
    _add_once(VISION_ANCHORS, fn)


def vision_anchors(school) -> list[tuple[str, str]]:
    return [choice for fn in VISION_ANCHORS for choice in fn(school)]
