"""Library items carry files (bijlagen) with the item's own permissions: who may see the item downloads,
who shared it (or the coordinator) adds and removes."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.extensions import db
from warmeveranderen.files.registry import Parent, attachment_parent
from warmeveranderen.networks.models import LibraryItem
from warmeveranderen.networks.permissions import can_edit_library_item, can_view_shared


@attachment_parent("library_item", model=LibraryItem)
def library_item_parent(item_id: int) -> Parent | None:
    item = db.session.get(LibraryItem, item_id)
    if item is None:
        return None
    return Parent(school=item.school, title=item.title, link=lambda: url_for("library.detail", item_id=item.id),
                  can_view=lambda user: can_view_shared(user, item),
                  can_edit=lambda user: can_edit_library_item(user, item),
                  label=_("Kennisbank: %(t)s", t=item.title))
