"""Word-level differences between two texts, rendered as escaped HTML with <ins>/<del> (CSS classes, no styles)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from warmeveranderen.markdown import plain_text
from warmeveranderen.vision.content import PARTS, Part, normalise, part_text

# Words, runs of whitespace and single punctuation marks: a change of one word marks only that word.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class PartDiff:
    part: Part
    old: str
    new: str
    html: Markup | None  # None when the part did not change

    @property
    def changed(self) -> bool:
        return self.html is not None


def inline_diff(old: str, new: str) -> Markup:
    """The new text with deletions and insertions marked; every piece of text is escaped."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces: list[Markup] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Markup('<del class="diff-del">%s</del>') % "".join(a[i1:i2]))
        if op in ("insert", "replace"):
            pieces.append(Markup('<ins class="diff-ins">%s</ins>') % "".join(b[j1:j2]))
    return Markup("").join(pieces)


def compare(old_content: dict, new_content: dict) -> list[PartDiff]:
    """Every part of the vision with its difference (None for unchanged parts)."""
    old_content, new_content = normalise(old_content), normalise(new_content)
    result = []
    for part in PARTS:
        # Compared as people read them: "**vet**" shows as its words, not as the asterisks.
        old, new = plain_text(part_text(old_content, part)), plain_text(part_text(new_content, part))
        result.append(PartDiff(part, old, new, None if old == new else inline_diff(old, new)))
    return result
