"""Who may do what with a school's intake agreement.

Reading (decided for the programme, also in the README):
- The coordinator, the school's adviser, its directors and its board members read everything:
  every version with the investment figures, the signatures and the audit trail. They are the
  parties to the agreement (the adviser coaches the school through it).
- Flywheel and forum members see the agreement's state and its strategic intention only, UNLESS
  a director has shared the agreement with the school (an audited flag); then they read all of it,
  figures included, and may print it. They never read the audit trail.
- Nobody else sees anything (as for every page of a school).

Acting:
- Opening an intake: the coordinator or the school's adviser.
- Editing a draft, withdrawing a version from signature, discarding a draft, starting an
  amendment: the coordinator, the school's adviser and its directors.
- Marking a draft ready for signature: the school's directors or the coordinator (the adviser
  prepares; the school decides that its text is ready).
- Signing: only a required signatory of that version, in their role (checked in the services);
  the route is open to directors, board members and coordinators.
- Ending an active agreement: any party: a director, a board member or the coordinator.
- Sharing with the school: the school's directors.
- The programme terms and the overview of every school's agreement: the coordinator.
"""

from __future__ import annotations

from warmeveranderen.domain import BOARD, DIRECTOR
from warmeveranderen.permissions import advises_school, has_role, is_coordinator, permission


@permission
def can_read_agreement(user, school, agreement=None) -> bool:
    """All of the agreement: every version, the figures and the signatures."""
    if is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, BOARD):
        return True
    return agreement is not None and agreement.shared_with_school and has_role(user, school)


@permission
def can_see_agreement_summary(user, school) -> bool:
    """The agreement's state and strategic intention: everyone who may see the school."""
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school)


@permission
def can_read_intake_audit(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, BOARD)


@permission
def can_open_intake(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school)


@permission
def can_edit_intake(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR)


@permission
def can_mark_intake_ready(user, school) -> bool:
    return is_coordinator(user) or has_role(user, school, DIRECTOR)


@permission
def can_sign_intake(user, school) -> bool:
    """May reach the signing form; whether this person is a signatory of the version is the service's rule."""
    return is_coordinator(user) or has_role(user, school, DIRECTOR, BOARD)


@permission
def can_end_intake(user, school) -> bool:
    return is_coordinator(user) or has_role(user, school, DIRECTOR, BOARD)


@permission
def can_share_intake(user, school) -> bool:
    return has_role(user, school, DIRECTOR)


@permission
def can_manage_terms(user) -> bool:
    return is_coordinator(user)


@permission
def can_view_intake_overview(user) -> bool:
    return is_coordinator(user)
