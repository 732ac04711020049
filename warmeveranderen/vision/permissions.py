"""Who may read, write, score, endorse and share a school's vision."""

from __future__ import annotations

from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.permissions import (
    _authenticated,
    advises_school,
    can_view_school,
    has_role,
    is_coordinator,
    permission,
)


@permission
def can_read_vision(user, school) -> bool:
    """The current vision and the published versions: everyone who may see the school."""
    return can_view_school(user, school)


@permission
def can_read_current_vision(user, school, vision=None) -> bool:
    """The school's people, or the people of the other schools in its network when it shares its vision."""
    if can_read_vision(user, school):
        return True
    if vision is None or not vision.shared_with_network or school.network_id is None or not _authenticated(user):
        return False
    if any(m.school.network_id == school.network_id for m in user.memberships):
        return True
    return user.is_adviser and any(
        a.network_id == school.network_id or (a.school is not None and a.school.network_id == school.network_id)
        for a in user.adviser_assignments
    )


@permission
def can_edit_vision(user, school) -> bool:
    """The working draft is written by the flywheel, and published by it."""
    return has_role(user, school, FLYWHEEL)


@permission
def can_view_vision_draft(user, school) -> bool:
    """The flywheel writes it; the adviser follows and comments; the coordinator may look."""
    return can_edit_vision(user, school) or advises_school(user, school) or is_coordinator(user)


@permission
def can_comment_vision(user, school) -> bool:
    return can_edit_vision(user, school) or advises_school(user, school)


@permission
def can_score_amore(user, school) -> bool:
    """The AMORE check is done by the flywheel and the forum."""
    return has_role(user, school, FLYWHEEL, FORUM)


@permission
def can_endorse_vision(user, school) -> bool:
    """The flywheel records which stakeholder groups endorsed a version."""
    return has_role(user, school, FLYWHEEL)


@permission
def can_share_vision(user, school) -> bool:
    """Sharing with the learning network is the school's choice: its flywheel or its director."""
    return has_role(user, school, FLYWHEEL, DIRECTOR)
