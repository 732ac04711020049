"""What an idea (or an initiative) can say it serves: the ambitions and guiding principles of the school's
current (endorsed) vision, offered to other features through the `@vision_anchor` part (issue 18)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from warmeveranderen.domain import VISION_PRINCIPLE_THEMES
from warmeveranderen.markdown import excerpt
from warmeveranderen.parts_between import vision_anchor
from warmeveranderen.vision import queries
from warmeveranderen.vision.content import normalise

# A line of a Markdown list: "- …", "* …", "1. …".
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.+)$")
LABEL_MAX = 150


def ambitions_of(text: str) -> list[str]:
    """The ambitions as the flywheel listed them (one per list item), or the whole text as one."""
    items = [m.group(1).strip() for m in (LIST_ITEM.match(line) for line in text.splitlines()) if m]
    return items or ([text] if text.strip() else [])


@vision_anchor
def current_vision_parts(school) -> list[tuple[str, str]]:
    """(key, label): "ambition:N" per ambition, "principle:<theme>" per guiding principle the vision fills in."""
    version = queries.current_version(school)
    if version is None:
        return []
    content = normalise(version.content)
    found = [(f"ambition:{n}", _("Ambitie: %(text)s", text=excerpt(item, LABEL_MAX)))
             for n, item in enumerate(ambitions_of(content["ambitions"]), start=1)]
    found += [(f"principle:{code}", _("Leidend principe: %(theme)s", theme=str(label)))
              for code, label in VISION_PRINCIPLE_THEMES.items() if content.get(f"principle_{code}")]
    return found
