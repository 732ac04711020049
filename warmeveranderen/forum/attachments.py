"""A forum session's minutes carry attachments (the presentation shown, a photo of the flip-over, ...)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.extensions import db
from warmeveranderen.files.registry import Parent, attachment_parent
from warmeveranderen.formats import format_day_long
from warmeveranderen.forum.models import ForumSession
from warmeveranderen.forum.permissions import can_manage_forum, can_view_forum


@attachment_parent("forum_minutes", model=ForumSession)
def minutes_parent(session_id: int) -> Parent | None:
    """Everyone who may see the forum downloads; the flywheel and the director (who write the minutes) add."""
    forum_session = db.session.get(ForumSession, session_id)
    if forum_session is None:
        return None
    school = forum_session.school
    title = _("Verslag van de bijeenkomst van %(d)s", d=format_day_long(forum_session.starts_at))
    return Parent(school=school, title=title,
                  link=lambda: url_for("forum.session", school_id=school.id, session_id=forum_session.id),
                  can_view=lambda user: can_view_forum(user, school),
                  can_edit=lambda user: can_manage_forum(user, school),
                  label=title)
