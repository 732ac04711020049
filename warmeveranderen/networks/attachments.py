"""Library items and star cases carry files (bijlagen: documents, images) with their own permissions:
who may see the item or case downloads; who shared the item (or the coordinator), who writes the case, add."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.extensions import db
from warmeveranderen.files.registry import Parent, attachment_parent
from warmeveranderen.networks.models import LibraryItem
from warmeveranderen.networks.models_cases import StarCase
from warmeveranderen.networks.permissions import (
    can_edit_library_item,
    can_edit_star_case,
    can_view_shared,
    can_view_star_case,
)


@attachment_parent("library_item", model=LibraryItem)
def library_item_parent(item_id: int) -> Parent | None:
    item = db.session.get(LibraryItem, item_id)
    if item is None:
        return None
    return Parent(school=item.school, title=item.title, link=lambda: url_for("library.detail", item_id=item.id),
                  can_view=lambda user: can_view_shared(user, item),
                  can_edit=lambda user: can_edit_library_item(user, item),
                  label=_("Kennisbank: %(t)s", t=item.title))


@attachment_parent("star_case", model=StarCase)
def star_case_parent(case_id: int) -> Parent | None:
    case = db.session.get(StarCase, case_id)
    if case is None:
        return None
    return Parent(school=case.school, title=case.title, link=lambda: url_for("starcases.detail", case_id=case.id),
                  can_view=lambda user: can_view_star_case(user, case),
                  can_edit=lambda user: can_edit_star_case(user, case),
                  label=_("Stercasus: %(t)s", t=case.title))
