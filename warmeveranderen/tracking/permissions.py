"""Who may see and do what in the advisers' follow-up."""

from __future__ import annotations

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL
from warmeveranderen.permissions import (
    advises_network,
    advises_school,
    can_view_school,
    has_role,
    is_coordinator,
    permission,
)


def _adviser_of_network(user, network) -> bool:
    """Assigned to the network, or to one of its schools."""
    if advises_network(user, network):
        return True
    return bool(user.is_authenticated and user.is_adviser) and any(
        a.school is not None and a.school.network_id == network.id for a in user.adviser_assignments
    )


@permission
def can_view_progress(user, school) -> bool:
    """The school's progress page: everyone who may see the school (details depend on the section)."""
    return can_view_school(user, school)


@permission
def can_view_indicator_history(user, school) -> bool:
    """Ratings with remarks and evidence: the adviser team, the coordinator, leadership and flywheel."""
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, BOARD, FLYWHEEL)


@permission
def can_rate_indicators(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school)


@permission
def can_edit_indicators(user) -> bool:
    return is_coordinator(user)


@permission
def can_log_school_session(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school)


@permission
def can_log_network_session(user, network) -> bool:
    return is_coordinator(user) or _adviser_of_network(user, network)


@permission
def can_view_session(user, session) -> bool:
    """A session's date, advisers and summary: its school (or the network's schools) and the adviser team."""
    if session.is_collective:
        if is_coordinator(user) or _adviser_of_network(user, session.network):
            return True
        return user.is_authenticated and any(m.school.network_id == session.network_id for m in user.memberships)
    return can_view_school(user, session.school)


@permission
def can_read_session_notes(user, session) -> bool:
    """The notes: the adviser team and the coordinator only (never the school)."""
    if session.is_collective:
        return can_log_network_session(user, session.network)
    return can_log_school_session(user, session.school)


@permission
def can_edit_session(user, session) -> bool:
    return can_read_session_notes(user, session)


@permission
def can_manage_milestones(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR)


@permission
def can_view_wellbeing(user, school) -> bool:
    return can_view_school(user, school)


@permission
def can_enter_wellbeing(user, school) -> bool:
    """The school's director or flywheel (and the coordinator)."""
    return is_coordinator(user) or has_role(user, school, DIRECTOR, FLYWHEEL)


@permission
def can_import_data(user) -> bool:
    """Structure and session imports: the coordinator."""
    return is_coordinator(user)


@permission
def can_export_data(user) -> bool:
    """Per-row exports of the programme's sessions (notes included): the coordinator, who imports them."""
    return is_coordinator(user)
