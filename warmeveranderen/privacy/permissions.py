"""Permissions of people's own data (everyone downloads and deletes their own; no predicate needed)."""

from warmeveranderen.permissions import is_coordinator, permission


@permission
def can_erase_accounts(user) -> bool:
    """Deleting someone else's account (or downloading their data), on their request: the coordinator."""
    return is_coordinator(user)
