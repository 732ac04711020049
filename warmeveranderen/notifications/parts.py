"""What notifications add to other features' pages: the school's calendar download on its home."""

from __future__ import annotations

from warmeveranderen.parts import school_panel
from warmeveranderen.permissions import can_view_school


@school_panel("notifications/_school_calendar_panel.html", order=90)
def school_calendar_panel(user, school):
    """The school's calendar download, for everyone who may see the school."""
    return {} if can_view_school(user, school) else None
