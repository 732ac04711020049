"""Who may do what in a school's idea box.

- Everyone who may see the school (its people, its advisers, the coordinator) reads the ideas,
  their supporters, comments and answers; members of other schools see nothing.
- Every member of the school (forum members of every group, flywheel, director, board) submits
  ideas and supports them; advisers and the coordinator only read and comment.
- The flywheel gives the public answer.
- Every member of the school follows any initiative of the school.
"""

from __future__ import annotations

from warmeveranderen.domain import FLYWHEEL
from warmeveranderen.permissions import can_view_school, has_role, permission


@permission
def can_view_ideas(user, school) -> bool:
    return can_view_school(user, school)


@permission
def can_view_activity(user, school) -> bool:
    """The school's activity of the week: everyone who may see the school."""
    return can_view_school(user, school)


@permission
def can_submit_idea(user, school) -> bool:
    """Every member of the school, whatever their role."""
    return has_role(user, school)


@permission
def can_support_idea(user, idea) -> bool:
    return has_role(user, idea.school)


@permission
def can_comment_on_idea(user, idea) -> bool:
    return can_view_ideas(user, idea.school)


@permission
def can_answer_idea(user, idea_or_school) -> bool:
    """The flywheel answers (an idea, or the ideas of a school)."""
    school = getattr(idea_or_school, "school", idea_or_school)
    return has_role(user, school, FLYWHEEL)


@permission
def can_follow_initiative(user, initiative) -> bool:
    """Every member of the initiative's school follows (and unfollows) it."""
    return has_role(user, initiative.school)
