"""What the platform adds to other pages: a panel on the school's home (self-scans and the network's
latest questions), a section on the learning network's page, and on an initiative's page where it came from."""

from __future__ import annotations

from warmeveranderen.extensions import db
from warmeveranderen.networks import queries, results
from warmeveranderen.networks.models import LibraryUse
from warmeveranderen.networks.models_more import SelfScanAnswer
from warmeveranderen.networks.permissions import can_fill_scan, can_use_platform, can_view_scans, in_network
from warmeveranderen.parts import basket_item_section, initiative_section, network_section, school_panel

PANEL_ITEMS = 3


@school_panel("networks/_panel.html", order=65, personal=True)  # the person's networks and platform
def platform_panel(user, school) -> dict | None:
    if not can_view_scans(user, school):
        return None
    network_questions = []
    if school.network_id and in_network(user, school.network):
        network_questions = queries.latest_titles(user, school.network_id, PANEL_ITEMS)
    return {"school": school, "last_scan": results.last_scan(school), "may_fill": can_fill_scan(user, school),
            "questions": network_questions, "platform": can_use_platform(user)}


@network_section("networks/_network_section.html", order=70)
def network_platform(user, network) -> dict | None:
    if not in_network(user, network):
        return None
    return {"questions": queries.questions(user, network_id=network.id, limit=5),
            "library": queries.library(user, network_id=network.id, limit=5)}


@initiative_section("networks/_initiative_origin.html", order=45)
def initiative_origin(user, initiative) -> dict | None:
    """The library item or self-scan gap an initiative came from."""
    use = db.session.scalar(db.select(LibraryUse).where(LibraryUse.initiative_id == initiative.id))
    gap = db.session.scalar(db.select(SelfScanAnswer).where(SelfScanAnswer.initiative_id == initiative.id))
    if use is None and gap is None:
        return None
    item = use.item if use is not None and can_use_platform(user) else None
    return {"item": item, "gap": gap, "school": initiative.school}


@basket_item_section("networks/_basket_partner.html", order=50)
def basket_partner(user, item) -> dict | None:
    """The partner of the expertise network who provides this basket item."""
    partner = results.partner_of(item.id)
    return {"partner": partner} if partner is not None and partner.active else None
