"""Named permission predicates, one vocabulary for views, templates and tests.

Every predicate is `can_*(user, obj...) -> bool` and registered with @permission, which also makes
it a Jinja global. Core predicates live here; a feature keeps its own in `<feature>/permissions.py`
with the same decorator, and its `init_app` registers them, so all of them stay one registry.

Every view requires a logged-in user unless it is marked @public (checked in a before_request
hook); views then call `authorize(can_...(current_user, obj))` for the object they load.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from flask import abort

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.plugins import adds, contributes

if TYPE_CHECKING:
    from warmeveranderen.accounts.models import User
    from warmeveranderen.programme.models import LearningNetwork, School

PERMISSIONS: dict[str, Callable[..., bool]] = {}


def permission(predicate: Callable[..., bool]) -> Callable[..., bool]:
    """Declare a predicate of the one vocabulary (and a Jinja global) once its feature is plugged in."""
    return contributes("permission")(predicate)


@adds("permission")
def add_permission(predicate: Callable[..., bool]) -> None:
    PERMISSIONS[predicate.__name__] = predicate


def public(view):
    """Mark a view as reachable without logging in (login, password reset, invitations)."""
    view.is_public = True
    return view


def authorize(allowed: bool) -> None:
    """Stop the request with 403 unless the predicate allowed it."""
    if not allowed:
        abort(403)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def require(predicate: Callable[[User], bool]):
    """Decorate a view whose permission depends on the user alone."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from flask_login import current_user

            authorize(predicate(current_user))
            return view(*args, **kwargs)

        wrapped.permission = predicate.__name__
        return wrapped

    return decorator


@permission
def is_coordinator(user: User) -> bool:
    return _authenticated(user) and user.is_coordinator


@permission
def can_manage_programme(user: User) -> bool:
    """Cities, networks, schools, people and assignments: the coordinator's work."""
    return is_coordinator(user)


@permission
def can_view_programme(user: User) -> bool:
    """The programme-wide overviews: coordinators and advisers."""
    return _authenticated(user) and (user.is_coordinator or user.is_adviser)


@permission
def advises_school(user: User, school: School) -> bool:
    if not _authenticated(user) or not user.is_adviser:
        return False
    return any(
        a.school_id == school.id or (a.network_id is not None and a.network_id == school.network_id)
        for a in user.adviser_assignments
    )


@permission
def advises_network(user: User, network: LearningNetwork) -> bool:
    if not _authenticated(user) or not user.is_adviser:
        return False
    return any(a.network_id == network.id for a in user.adviser_assignments)


@permission
def has_role(user: User, school: School, *roles: str) -> bool:
    """Whether the person holds one of these roles in the school (any role if none is named)."""
    if not _authenticated(user):
        return False
    held = user.roles_in(school)
    return bool(held & set(roles)) if roles else bool(held)


@permission
def is_flywheel_lead(user: User, school: School) -> bool:
    m = user.membership(school, FLYWHEEL) if _authenticated(user) else None
    return m is not None and m.is_lead


@permission
def can_view_school(user: User, school: School) -> bool:
    """A school's pages: its own people, its advisers and the coordinator."""
    return is_coordinator(user) or advises_school(user, school) or has_role(user, school)


@permission
def can_view_network(user: User, network: LearningNetwork) -> bool:
    """A network's page: its advisers, the people and advisers of its schools, the coordinator."""
    if is_coordinator(user) or advises_network(user, network):
        return True
    if not _authenticated(user):
        return False
    if user.is_adviser and any(a.school is not None and a.school.network_id == network.id
                               for a in user.adviser_assignments):
        return True
    return any(m.school.network_id == network.id for m in user.memberships)


@permission
def can_manage_school_people(user: User, school: School) -> bool:
    """Invite people to the school and change their roles: the coordinator or the school's director."""
    return is_coordinator(user) or has_role(user, school, DIRECTOR)


@permission
def can_invite(user: User, school: School | None, role: str) -> bool:
    """Who may invite whom: the coordinator anyone; a director anyone in their school;
    the flywheel forum members of their school."""
    if is_coordinator(user):
        return True
    if school is None:
        return False
    if role in (DIRECTOR, BOARD, FLYWHEEL, FORUM) and has_role(user, school, DIRECTOR):
        return True
    return role == FORUM and has_role(user, school, FLYWHEEL)


@permission
def can_view_people(user: User, school: School) -> bool:
    """The list of a school's people and their roles: everyone who may see the school."""
    return can_view_school(user, school)


@permission
def can_accept_invitation(user: User, invitation) -> bool:
    """Only the person an invitation was sent to accepts it (logged in as themselves)."""
    return _authenticated(user) and invitation is not None and user.email == invitation.email


@permission
def can_manage_invitation(user: User, invitation) -> bool:
    """Resend or revoke an open invitation: the coordinator, or whoever manages the school's people."""
    if is_coordinator(user):
        return True
    return invitation.school is not None and can_manage_school_people(user, invitation.school)
