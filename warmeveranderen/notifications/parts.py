"""What notifications add to pages they do not own: the bell's count in the header of every page,
and the school's calendar download on its home."""

from __future__ import annotations

from flask_login import current_user

from warmeveranderen.notifications.services import unread_count
from warmeveranderen.parts import school_panel
from warmeveranderen.permissions import can_view_school


def unread_notifications() -> int:
    """The count on the bell in the header (one query per page); a Jinja global set by `init_app`."""
    if not current_user.is_authenticated:
        return 0
    return unread_count(current_user)


@school_panel("notifications/_school_calendar_panel.html", order=90)
def school_calendar_panel(user, school):
    """The school's calendar download, for everyone who may see the school."""
    return {} if can_view_school(user, school) else None
