"""Permissions of the accounts feature."""

from warmeveranderen.permissions import permission


@permission
def can_manage_sso(user) -> bool:
    """Single sign-on providers (which schools and domains sign in where): the coordinator's."""
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)
