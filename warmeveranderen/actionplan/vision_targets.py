"""What of the current vision an initiative can realise: its ambitions and its guiding principles.

The vision keeps the ambitions as one Markdown text; a list item (or, without a list, a paragraph) is
one ambition. Guiding principles are the five themes of question 5 that the vision fills in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warmeveranderen.domain import VISION_PRINCIPLE_THEMES
from warmeveranderen.vision import queries as vision_queries
from warmeveranderen.vision.content import normalise

# An ambition is kept in a link by its text, at most this long.
TARGET_MAX = 400
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass(frozen=True)
class Target:
    kind: str  # "ambition" or "principle"
    key: str  # the ambition's text, or the principle's theme code
    label: str  # what people read
    text: str = ""  # the principle's text in the vision

    @property
    def value(self) -> str:
        """The form's value for this target."""
        return f"{self.kind}:{self.key}"


def clean(text: str) -> str:
    """An ambition as it is compared and kept: single spaces, no Markdown emphasis, at most TARGET_MAX."""
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())[:TARGET_MAX]


def ambitions(text: str) -> list[str]:
    """The ambitions in the vision's ambitions text: its list items, else its paragraphs."""
    lines = (text or "").splitlines()
    items: list[str] = []
    if any(_BULLET.match(line) for line in lines):
        for line in lines:
            if _BULLET.match(line):
                items.append(_BULLET.sub("", line))
            elif line.strip() and items and line.startswith((" ", "\t")):
                items[-1] += " " + line.strip()  # a list item continued on the next line
    else:
        items = re.split(r"\n\s*\n", text or "")
    seen, result = set(), []
    for item in (clean(i) for i in items):
        if item and item not in seen:
            seen.add(item)
            result.append(item)
    return result


def targets_of(version) -> list[Target]:
    """Every ambition and filled-in guiding principle of a vision version, in the vision's order."""
    if version is None:
        return []
    content = normalise(version.content)
    found = [Target("ambition", a, a) for a in ambitions(content.get("ambitions", ""))]
    for code, label in VISION_PRINCIPLE_THEMES.items():
        text = content.get(f"principle_{code}", "")
        if text:
            found.append(Target("principle", code, str(label), text))
    return found


def current_version(school):
    """The school's current (endorsed) vision version, or None."""
    return vision_queries.current_version(school)


def current_version_once(school):
    """The same, among the school's versions read once per request (pages that only read)."""
    return vision_queries.current_version_once(school)
