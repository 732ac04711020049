"""Who may read and change a school's sprints, backlog and board, and the offer basket."""

from __future__ import annotations

from warmeveranderen.domain import DIRECTOR, FLYWHEEL
from warmeveranderen.permissions import (
    _authenticated,
    can_view_school,
    has_role,
    is_coordinator,
    is_flywheel_lead,
    permission,
)


@permission
def can_view_sprints(user, school) -> bool:
    """Sprints, backlog, board and charts: everyone who may see the school (forum and board read)."""
    return can_view_school(user, school)


@permission
def can_edit_sprints(user, school) -> bool:
    """The flywheel works the backlog and the sprints; the director takes part as an equal."""
    return has_role(user, school, FLYWHEEL, DIRECTOR)


@permission
def can_setup_cadence(user, school) -> bool:
    """Set up a school's sprint calendar (once): the coordinator, the director or the flywheel's lead."""
    return is_coordinator(user) or has_role(user, school, DIRECTOR) or is_flywheel_lead(user, school)


@permission
def can_manage_cadence(user, school) -> bool:
    """Move sprints and set a school's own sprint length (with a reason): the coordinator."""
    return is_coordinator(user)


@permission
def can_reopen_sprint(user, school) -> bool:
    """Reopen a sprint closed by mistake (within a week, with a reason): the coordinator or the trekker."""
    return is_coordinator(user) or is_flywheel_lead(user, school)


@permission
def can_view_basket(user) -> bool:
    """The offer basket is the programme's catalogue: everyone who takes part may browse it."""
    return _authenticated(user)


@permission
def can_manage_basket(user) -> bool:
    return is_coordinator(user)


@permission
def can_manage_own_days(user, school) -> bool:
    """Enter a school's own days off (study days), by hand or from an .ics file: the director, the
    flywheel's lead (trekker) or the coordinator."""
    return is_coordinator(user) or has_role(user, school, DIRECTOR) or is_flywheel_lead(user, school)


@permission
def can_manage_programme_days(user) -> bool:
    """Programme-wide days off (a network day) and the overview of awkward sprints: the coordinator."""
    return is_coordinator(user)
