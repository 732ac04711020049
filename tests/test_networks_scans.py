"""Self-scans that feed the backlog (a gap becomes an initiative, a repeated scan compares with the
previous) and the expertise network (partners, their cities and basket items; who can help with what)."""

from __future__ import annotations

from tests.factories_networks import PartnerFactory
from tests.factories_sprints import BasketItemFactory
from warmeveranderen.extensions import db
from warmeveranderen.networks.catalogue import SCAN_KINDS
from warmeveranderen.networks.models_more import Partner, PartnerOffer, SelfScan, SelfScanAnswer
from warmeveranderen.sprints.models import Initiative

BONDING = SCAN_KINDS["school_bonding"]


def _scans(world) -> str:
    return f"/scholen/{world.school.id}/zelfscan"


def _fill(client, world, scan, scores: dict, *, finish=True, notes=None):
    data = {f"score_{code}": str(score) for code, score in scores.items()}
    data.update({f"note_{code}": note for code, note in (notes or {}).items()})
    data["afronden" if finish else "bewaren"] = "1"
    return client.post_form(f"{_scans(world)}/{scan.id}", data)


def _start(client, world, kind="school_bonding") -> SelfScan:
    response = client.post_form(f"{_scans(world)}/nieuw", {"kind": kind})
    assert response.status_code == 302
    return db.session.scalars(db.select(SelfScan).order_by(SelfScan.id.desc())).first()


def test_issue_story_flywheel_runs_the_bonding_scan_and_puts_two_gaps_on_the_backlog(world, auth):
    flywheel = auth.client_for(world.users["flywheel"])
    scan = _start(flywheel, world)
    page = flywheel.get(f"{_scans(world)}/{scan.id}").get_data(as_text=True)
    assert "Warm onthaal" in page and "Ouderbetrokkenheid" in page and "Herstelgericht werken" in page
    scores = {q.code: 4 for q in BONDING.questions} | {"sb_greeting": 1, "sb_council": 2, "sb_circles": 3}
    # Saving halfway keeps the answers; finishing needs every question.
    assert _fill(flywheel, world, scan, {"sb_greeting": 1}, finish=False).status_code == 302
    response = _fill(flywheel, world, scan, {"sb_greeting": 1})
    assert response.status_code == 422 and "Geef elke vraag een score" in response.get_data(as_text=True)
    response = _fill(flywheel, world, scan, scores, notes={"sb_greeting": "Niemand staat 's ochtends aan de poort."})
    assert response.status_code == 302 and response.location.endswith("/resultaat")
    result = flywheel.get(response.location).get_data(as_text=True)
    assert "Sterktes" in result and "Werkpunten" in result and "Niemand staat" in result

    for code in ("sb_greeting", "sb_council"):
        assert flywheel.post_form(f"{_scans(world)}/{scan.id}/naar-backlog", {"question": code}).status_code == 302
    initiatives = db.session.scalars(db.select(Initiative).order_by(Initiative.id)).all()
    assert [(i.building_block, i.status, i.school_id) for i in initiatives] == [
        ("culture", "idea", world.school.id), ("structure", "idea", world.school.id)]
    assert "Werkpunt uit de zelfscan" in initiatives[0].description and "Niemand staat" in initiatives[0].description
    assert initiatives[0].health_level == "school" and initiatives[0].health_strategy == "environment"
    # Once per gap; a strength does not go to the backlog.
    flywheel.post_form(f"{_scans(world)}/{scan.id}/naar-backlog", {"question": "sb_greeting"})
    flywheel.post_form(f"{_scans(world)}/{scan.id}/naar-backlog", {"question": "sb_circles"})
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 2
    page = flywheel.get(f"/initiatieven/{initiatives[0].id}").get_data(as_text=True)
    assert "Werkpunt uit de zelfscan" in page


def test_a_repeated_scan_compares_with_the_previous(world, auth):
    flywheel = auth.client_for(world.users["flywheel_lead"])
    first = _start(flywheel, world, "abc")
    codes = [q.code for q in SCAN_KINDS["abc"].questions]
    _fill(flywheel, world, first, {c: 2 for c in codes})
    second = _start(flywheel, world, "abc")
    _fill(flywheel, world, second, {c: 2 for c in codes} | {"abc_safe": 4})
    page = flywheel.get(f"{_scans(world)}/{second.id}/resultaat").get_data(as_text=True)
    assert "vergeleken met de zelfscan van" in page and "+2" in page and "Vorige" in page
    first_page = flywheel.get(f"{_scans(world)}/{first.id}/resultaat").get_data(as_text=True)
    assert "vergeleken met" not in first_page
    # A finished scan is not changed any more.
    response = _fill(flywheel, world, first, {c: 4 for c in codes})
    assert response.status_code == 302
    db.session.expire_all()
    assert {a.score for a in db.session.scalars(db.select(SelfScanAnswer).where(SelfScanAnswer.scan_id == first.id))} == {2}


def test_who_fills_and_who_reads_a_scan(world, auth):
    scan = _start(auth.client_for(world.users["director"]), world, "pillars")
    pupil = auth.client_for(world.users["pupil"])
    assert pupil.get(f"{_scans(world)}/{scan.id}").status_code == 200  # reads, cannot fill
    assert _fill(pupil, world, scan, {"p1_needs": 1}, finish=False).status_code == 403
    outsider = auth.client_for(world.users["outsider"])
    assert outsider.get(f"{_scans(world)}/{scan.id}").status_code == 403
    assert outsider.get(f"/scholen/{world.other_school.id}/zelfscan/{scan.id}").status_code == 404
    home = auth.client_for(world.users["flywheel"]).get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert "De acht pijlers van veerkracht" in home and "Naar de zelfscans" in home


def test_gaps_show_who_and_what_can_help(world, auth):
    basket = BasketItemFactory(programme=world.school.programme, title="Warm onthaal aan de poort",
                               building_block="culture", health_level="school", health_strategy="environment")
    partner = PartnerFactory(programme_id=world.school.programme_id, name="CLB Gent", building_blocks=["culture"],
                             everywhere=False)
    partner.cities.append(world.school.city)
    PartnerFactory(programme_id=world.school.programme_id, name="Elders", building_blocks=["culture"], everywhere=False)
    db.session.commit()
    flywheel = auth.client_for(world.users["flywheel"])
    scan = _start(flywheel, world)
    _fill(flywheel, world, scan, {q.code: 3 for q in BONDING.questions} | {"sb_greeting": 1})
    page = flywheel.get(f"{_scans(world)}/{scan.id}/resultaat").get_data(as_text=True)
    assert "Warm onthaal aan de poort" in page and f"/aanbodkorf/{basket.id}" in page
    assert "CLB Gent" in page and "Elders" not in page  # only partners serving the school's city


def test_the_coordinator_keeps_the_expertise_network(world, auth):
    basket = BasketItemFactory(programme=world.school.programme, title="Tenz-opleiding", building_block="people")
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form("/expertisenetwerk/nieuw", {
        "name": "Tenz", "offer": "Een **vierdaagse** opleiding groepsdynamiek.", "commitments": "2 coachings per jaar",
        "contact": "info@tenz.example", "website": "https://tenz.example", "building_blocks": ["people", "culture"],
        "health_cells": ["class:education"], "cities": [str(world.school.city_id)], "basket_items": [str(basket.id)],
        "active": "y"})
    assert response.status_code == 302
    partner = db.session.scalars(db.select(Partner)).one()
    assert [c.id for c in partner.cities] == [world.school.city_id] and partner.health_cells == ["class:education"]
    page = auth.client_for(world.users["pupil"]).get(response.location).get_data(as_text=True)
    assert "<strong>vierdaagse</strong>" in page and "Tenz-opleiding" in page and "2 coachings per jaar" in page
    # Filters: who can help with a building block or a health-matrix cell, in a city.
    reader = auth.client_for(world.users["director"])
    assert "Tenz" in reader.get("/expertisenetwerk?bouwsteen=people").get_data(as_text=True)
    assert "Tenz" not in reader.get("/expertisenetwerk?bouwsteen=systems").get_data(as_text=True)
    assert "Tenz" in reader.get("/expertisenetwerk?cel=class:education").get_data(as_text=True)
    assert "Tenz" not in reader.get(f"/expertisenetwerk?stad={world.other_school.city_id}").get_data(as_text=True)
    # A basket item names one partner: naming it for another partner moves it.
    other = coordinator.post_form("/expertisenetwerk/nieuw", {"name": "CEGO", "offer": "Welbevinden.",
                                                               "basket_items": [str(basket.id)], "active": "y"})
    assert other.status_code == 302
    offers = db.session.scalars(db.select(PartnerOffer)).all()
    assert len(offers) == 1 and offers[0].partner.name == "CEGO"
    # A duplicate name and a bad website are refused with what was typed.
    response = coordinator.post_form("/expertisenetwerk/nieuw", {"name": "Tenz", "offer": "x", "website": "tenz.be"})
    assert response.status_code == 422 and 'value="Tenz"' in response.get_data(as_text=True)


def test_a_basket_item_names_its_partner(world, auth):
    basket = BasketItemFactory(programme=world.school.programme, title="Proactieve cirkels", building_block="culture")
    partner = PartnerFactory(programme_id=world.school.programme_id, name="Herstelgericht Vlaanderen")
    partner.offers.append(PartnerOffer(basket_item_id=basket.id))
    db.session.commit()
    page = auth.client_for(world.users["pupil"]).get(f"/aanbodkorf/{basket.id}").get_data(as_text=True)
    assert "Partner in het expertisenetwerk" in page and f"/expertisenetwerk/{partner.id}" in page
