"""Who sees and does what on the learning networks' platform.

- The platform (questions, library) is for the schools' staff — directors, board members, flywheel
  members — their advisers and the coordinator. Forum members (parents, pupils) are not part of it.
- Something shared with a learning network is seen by the staff of that network's schools, the advisers
  of the network or of one of its schools, and the coordinator; something shared with the programme by
  everyone on the platform. Nothing of a school's own pages is shown through it.
- Asking, answering and sharing: flywheel members, directors, advisers and the coordinator. Board
  members read. The asker marks the most helpful answer.
- Self-scans belong to the school: everyone who may see the school reads them; the flywheel and the
  director fill them in; who works the backlog turns a gap into an initiative.
- The expertise network is the programme's inventory: everyone logged in reads it, the coordinator keeps it.
- A star case is written by its school's director and flywheel with their adviser (or the coordinator);
  the coordinator publishes it to the programme, and then everyone on the platform reads it.
"""

from __future__ import annotations

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL
from warmeveranderen.permissions import (
    _authenticated,
    advises_network,
    advises_school,
    can_view_school,
    has_role,
    is_coordinator,
    permission,
)
from warmeveranderen.sprints.permissions import can_edit_sprints

STAFF = (DIRECTOR, BOARD, FLYWHEEL)
CONTRIBUTORS = (DIRECTOR, FLYWHEEL)



def staff_schools(user, roles=STAFF) -> list:
    """The schools where the person holds one of these roles (a school once)."""
    if not _authenticated(user):
        return []
    seen = {}
    for m in user.memberships:
        if m.role in roles:
            seen.setdefault(m.school_id, m.school)
    return sorted(seen.values(), key=lambda s: s.name)


def in_network(user, network, roles=STAFF) -> bool:
    """Whether the person takes part in this learning network's space (with one of these school roles)."""
    if network is None or not _authenticated(user):
        return False
    if is_coordinator(user) or advises_network(user, network):
        return True
    if user.is_adviser and any(a.school is not None and a.school.network_id == network.id
                               for a in user.adviser_assignments):
        return True
    return any(m.role in roles and m.school.network_id == network.id for m in user.memberships)


@permission
def can_use_platform(user) -> bool:
    """The kennisplatform: staff of any school, advisers, the coordinator."""
    if not _authenticated(user):
        return False
    return user.is_coordinator or user.is_adviser or bool(staff_schools(user))


@permission
def can_contribute(user) -> bool:
    """Ask questions and share in the library: flywheel members, directors, advisers, the coordinator."""
    if not _authenticated(user):
        return False
    return user.is_coordinator or user.is_adviser or bool(staff_schools(user, CONTRIBUTORS))


@permission
def can_view_shared(user, shared) -> bool:
    """A question or library item: shared with its network, or with the whole programme (network NULL)."""
    if shared.network_id is None:
        return can_use_platform(user)
    return in_network(user, shared.network)


@permission
def can_contribute_to(user, network) -> bool:
    """Ask or share to this network (None: the programme)."""
    if not can_contribute(user):
        return False
    return network is None or in_network(user, network, CONTRIBUTORS)


@permission
def can_answer_question(user, question) -> bool:
    return can_view_shared(user, question) and can_contribute_to(user, question.network)


@permission
def can_mark_helpful(user, question) -> bool:
    """Only the asker says which answer helped most."""
    return _authenticated(user) and question.author_id == user.id


@permission
def can_edit_library_item(user, item) -> bool:
    return _authenticated(user) and (is_coordinator(user) or item.shared_by_id == user.id)


@permission
def can_adopt_library_item(user, item, school) -> bool:
    """Put a library item on a school's backlog: who works that backlog, if the item reaches them."""
    return can_view_shared(user, item) and can_edit_sprints(user, school)


@permission
def can_view_scans(user, school) -> bool:
    return can_view_school(user, school)


@permission
def can_fill_scan(user, school) -> bool:
    """The flywheel fills a self-scan in together; the director takes part as an equal."""
    return has_role(user, school, FLYWHEEL, DIRECTOR)


@permission
def can_scan_to_backlog(user, school) -> bool:
    return can_edit_sprints(user, school)


@permission
def can_view_partners(user) -> bool:
    return _authenticated(user)


@permission
def can_manage_partners(user) -> bool:
    return is_coordinator(user)


@permission
def can_write_star_case(user, school) -> bool:
    """A school documents a star case with its adviser: its director and flywheel, its advisers, the coordinator."""
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, FLYWHEEL)


@permission
def can_edit_star_case(user, case) -> bool:
    return case.state != "published" and can_write_star_case(user, case.school)


@permission
def can_view_star_case(user, case) -> bool:
    """A published case: everyone on the platform; one in the making: who writes it."""
    if case.state == "published":
        return can_use_platform(user)
    return can_write_star_case(user, case.school)


@permission
def can_publish_star_case(user, case) -> bool:
    """The coordinator publishes a case to the programme (or takes it back to a draft)."""
    return is_coordinator(user)
