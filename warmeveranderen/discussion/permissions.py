"""Who may read, write and change comments on an initiative.

- Everyone who may see the school's sprints reads the discussion and takes part in it (its people,
  its advisers, the coordinator); another school sees nothing.
- The author edits or deletes a comment within EDIT_WINDOW (15 minutes); after that it stays as it is.
  The director and the coordinator may remove a comment at any time (moderation).
- "Gelezen door" is shown to the comment's author and the flywheel.
"""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.domain import DIRECTOR, FLYWHEEL
from warmeveranderen.permissions import _authenticated, has_role, is_coordinator, permission
from warmeveranderen.sprints.permissions import can_view_sprints
from warmeveranderen.timeutil import utcnow

EDIT_WINDOW = timedelta(minutes=15)



@permission
def can_view_discussion(user, initiative) -> bool:
    return can_view_sprints(user, initiative.school)


@permission
def can_comment(user, initiative) -> bool:
    return can_view_discussion(user, initiative)


def within_edit_window(comment, now=None) -> bool:
    return ((now or utcnow()) - comment.created_at) <= EDIT_WINDOW


@permission
def can_edit_comment(user, comment) -> bool:
    return (_authenticated(user) and comment.author_id == user.id and can_view_discussion(user, comment.initiative)
            and within_edit_window(comment))


@permission
def can_delete_comment(user, comment) -> bool:
    if not can_view_discussion(user, comment.initiative):
        return False
    return can_edit_comment(user, comment) or is_coordinator(user) or has_role(user, comment.school, DIRECTOR)


@permission
def can_see_readers(user, comment) -> bool:
    return _authenticated(user) and (comment.author_id == user.id or has_role(user, comment.school, FLYWHEEL))
