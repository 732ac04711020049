"""Who may do what with the programme's bodies, evaluation moments and envelopes.

- A body's pages (members, meetings, agenda, minutes, actions) are for its members and the
  coordinator. A school never sees a body's minutes unless that meeting's minutes are shared: then
  the people of the programme's schools (of the city's schools, for a local steering group) read them.
- The coordinator sets up bodies; the coordinator and a body's chair manage its series and send the
  agenda; the chair and the secretary (and the coordinator) record the minutes; every member adds
  agenda items; an action's owner, the chair or the coordinator marks it done.
- An evaluation moment is prepared by the school's adviser and director (and the coordinator); the
  director and the adviser sign it; the school's board members read it.
- Envelopes and support: the school's director, board, adviser and the coordinator read; the director,
  adviser and coordinator enter spending and partner days; only the coordinator reallocates.
"""

from __future__ import annotations

from warmeveranderen.domain import BOARD, DIRECTOR
from warmeveranderen.permissions import _authenticated, advises_school, has_role, is_coordinator, permission


def _member(user, body):
    return body.member(user) if _authenticated(user) else None


@permission
def can_view_governance(user) -> bool:
    """The list of bodies and shared minutes: anyone logged in (each sees what concerns them)."""
    return _authenticated(user)


@permission
def can_see_governance_menu(user) -> bool:
    """The menu item: the programme's people, and directors and board members (the local steering groups
    and the sounding board have them at the table; shared minutes reach them). The memberships are loaded
    with the login, so this costs no query."""
    if not _authenticated(user):
        return False
    return user.is_coordinator or user.is_adviser or any(m.role in (DIRECTOR, BOARD) for m in user.memberships)


@permission
def can_create_body(user) -> bool:
    return is_coordinator(user)


@permission
def can_view_body(user, body) -> bool:
    return is_coordinator(user) or _member(user, body) is not None


@permission
def can_manage_body(user, body) -> bool:
    """Edit the series, its members and standard items; send the agenda; move or cancel a meeting."""
    member = _member(user, body)
    return is_coordinator(user) or (member is not None and member.role == "chair")


@permission
def can_add_agenda_item(user, meeting) -> bool:
    return can_view_body(user, meeting.body)


@permission
def can_record_minutes(user, meeting) -> bool:
    member = _member(user, meeting.body)
    return is_coordinator(user) or (member is not None and member.role in ("chair", "secretary"))


@permission
def can_read_minutes(user, meeting) -> bool:
    """The body's members and the coordinator; others only minutes that were shared, within their scope."""
    if can_view_body(user, meeting.body):
        return True
    if not meeting.minutes_shared or not meeting.has_minutes or not _authenticated(user):
        return False
    city_id = meeting.body.city_id
    return any(city_id is None or m.school.city_id == city_id for m in user.memberships) or (
        user.is_adviser and city_id is None)


@permission
def can_complete_action(user, action) -> bool:
    return (can_manage_body(user, action.meeting.body)
            or (_authenticated(user) and action.owner_id == user.id))


@permission
def can_view_evaluations(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR, BOARD)


@permission
def can_prepare_evaluation(user, school) -> bool:
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school, DIRECTOR)


@permission
def can_sign_evaluation(user, school) -> bool:
    return advises_school(user, school) or has_role(user, school, DIRECTOR)


@permission
def can_view_envelope(user, school) -> bool:
    return can_view_evaluations(user, school)


@permission
def can_enter_envelope(user, school) -> bool:
    return can_prepare_evaluation(user, school)


@permission
def can_view_support_overview(user) -> bool:
    """Support delivered against the package and the envelopes, programme-wide: the coordinator."""
    return is_coordinator(user)


@permission
def can_reallocate_funds(user) -> bool:
    return is_coordinator(user)
