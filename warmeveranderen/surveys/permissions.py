"""Who may do what with surveys.

- The coordinator edits the programme's templates.
- The director and the flywheel open a school's surveys, send links, add the school's own
  questions and close a survey; they alone read the open answers (with a warning to remove names).
- The results (aggregates, and only from the minimum group size on) are for the school's
  leadership: director, board and flywheel, its advisers and the coordinator.
- Answering needs no account: the link itself is the permission (views marked @public).
"""

from __future__ import annotations

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL
from warmeveranderen.permissions import advises_school, has_role, is_coordinator, permission


@permission
def can_edit_survey_templates(user) -> bool:
    return is_coordinator(user)


@permission
def can_view_survey_results(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, BOARD, FLYWHEEL)


@permission
def can_manage_surveys(user, school) -> bool:
    return has_role(user, school, DIRECTOR, FLYWHEEL)


@permission
def can_read_open_answers(user, school) -> bool:
    """Open answers may hold names: only the director and the flywheel read them."""
    return has_role(user, school, DIRECTOR, FLYWHEEL)


@permission
def can_enter_observations(user, school) -> bool:
    """The director, the flywheel and the school's advisers observe classes."""
    return has_role(user, school, DIRECTOR, FLYWHEEL) or advises_school(user, school)
