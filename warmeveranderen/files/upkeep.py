"""The sweep removes attachments whose parent was deleted without the ORM (a database cascade)."""

from __future__ import annotations

from datetime import date

from warmeveranderen.files import services
from warmeveranderen.notifications.upkeep import upkeep


@upkeep
def remove_orphan_attachments(day: date) -> None:
    """One indexed query per parent kind; their files go once the sweep commits."""
    for attachment in services.orphan_rows():
        services.remove(attachment)
