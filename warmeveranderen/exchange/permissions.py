"""Who may move the programme's data in and out of the app: the coordinator (the lists hold people's
email addresses and the schools' agreements)."""

from __future__ import annotations

from warmeveranderen.permissions import is_coordinator, permission


@permission
def can_exchange_data(user) -> bool:
    """Exports and imports of the structure, people and roles, and intakes: the coordinator."""
    return is_coordinator(user)
