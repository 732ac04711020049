"""Initiatives and offer-basket items carry attachments (bijlagen), with the permissions of their pages."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.extensions import db
from warmeveranderen.files.registry import Parent, attachment_parent
from warmeveranderen.parts import initiative_section
from warmeveranderen.sprints.models import BasketItem, Initiative
from warmeveranderen.sprints.permissions import (
    can_edit_sprints,
    can_manage_basket,
    can_view_basket,
    can_view_sprints,
)


@attachment_parent("initiative", model=Initiative)
def initiative_parent(initiative_id: int) -> Parent | None:
    """Everyone who may see the school's sprints downloads; the flywheel and the director add and remove."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        return None
    school = initiative.school
    return Parent(school=school, title=initiative.title,
                  link=lambda: url_for("sprints.initiative", initiative_id=initiative.id),
                  can_view=lambda user: can_view_sprints(user, school),
                  can_edit=lambda user: can_edit_sprints(user, school),
                  label=_("Initiatief: %(t)s", t=initiative.title))


@attachment_parent("basket_item", model=BasketItem)
def basket_item_parent(item_id: int) -> Parent | None:
    """The programme's catalogue: everyone who takes part downloads (hidden items: the coordinator); the coordinator adds."""
    item = db.session.get(BasketItem, item_id)
    if item is None:
        return None
    return Parent(school=None, title=item.title, link=lambda: url_for("sprints.basket_item", item_id=item.id),
                  can_view=lambda user: can_view_basket(user) and (item.active or can_manage_basket(user)),
                  can_edit=can_manage_basket,
                  label=_("Infofiche: %(t)s", t=item.title))


@initiative_section("files/_initiative_section.html", order=60)
def attachments_section(user, initiative) -> dict | None:
    return {"initiative_id": initiative.id}
