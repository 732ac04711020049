"""From screening to action (issue 20): a group with many pupils at levels 1–2 of emotional functioning,
or a survey question that falls clearly, suggests the basket items that address it; the flywheel puts
one on the backlog from the progress page."""

from tests.factories_surveys import answered_survey
from tests.factories_tracking import WellbeingMeasurementFactory
from warmeveranderen.extensions import db
from warmeveranderen.sprints.models import BasketItem, Initiative
from warmeveranderen.surveys import suggestions


def _item(school, title, addresses, active=True):
    item = BasketItem(programme_id=school.programme_id, title=title, what="Wat het is.", building_block="culture",
                      addresses=addresses, active=active)
    db.session.add(item)
    db.session.commit()
    return item


def _screening(school, emotional, group="6A", year="2026-2027", moment="pre"):
    row = WellbeingMeasurementFactory(school=school, school_year=year, moment=moment, group_name=group)
    for n, value in enumerate(emotional, start=1):
        setattr(row, f"emotional_{n}", value)
    db.session.commit()
    return row


def test_many_pupils_at_levels_one_and_two_suggest_basket_items_one_goes_on_the_backlog(world, auth):
    circles = _item(world.school, "Proactieve cirkels", ["emotional", "climate"])
    _item(world.school, "Leerlingenraad", ["involvement"])
    _item(world.school, "Oud item", ["emotional"], active=False)
    total = 18  # the factory's group: 10 + 8 pupils
    low = total // 2
    _screening(world.school, [low, 0, total - low, 0, 0])
    signals, matches = suggestions.suggestions(world.school)
    assert [s.code for s in signals] == ["emotional"] and "op niveau 1–2 van gezond emotioneel functioneren" in \
        signals[0].text
    assert [item.title for item, _hits in matches] == ["Proactieve cirkels"]

    flywheel = auth.client_for(world.users["flywheel"])
    progress = flywheel.get(f"/scholen/{world.school.id}/voortgang").get_data(as_text=True)
    assert "Van meting naar actie" in progress and "Proactieve cirkels" in progress and "Leerlingenraad" not in progress
    response = flywheel.post_form(f"/aanbodkorf/{circles.id}/naar-backlog/{world.school.id}",
                                  {f"s{world.school.id}-owner_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(db.select(Initiative).where(Initiative.basket_item_id == circles.id)).school_id == \
        world.school.id
    # Taken: no longer suggested. Another school sees none of it.
    assert suggestions.suggestions(world.school)[1] == []
    assert suggestions.suggestions(world.other_school) == ([], [])


def test_a_quiet_screening_suggests_nothing(world, auth):
    _item(world.school, "Proactieve cirkels", ["emotional"])
    total = 18  # the factory's group: 10 + 8 pupils
    _screening(world.school, [0, 0, 0, total, 0])
    row = db.session.scalar(db.select(db.func.count()).select_from(Initiative))
    assert row == 0
    signals, _matches = suggestions.suggestions(world.school)
    assert [s for s in signals if s.code == "emotional"] == []


def test_a_survey_question_that_falls_clearly_suggests_items_for_its_theme(world):
    _item(world.school, "Teamcoaching", ["workload"])
    answered_survey(world.school, moment="pre", answers=[[4, 4]] * 5)
    answered_survey(world.school, moment="post", answers=[[4, 2]] * 5)  # "Mijn werkdruk is haalbaar." 4 -> 2
    signals, matches = suggestions.suggestions(world.school)
    assert [s.code for s in signals] == ["workload"] and "daalde van 4,0 naar 2,0" in signals[0].text
    assert [item.title for item, _hits in matches] == ["Teamcoaching"]


def test_the_coordinator_says_what_a_basket_item_addresses(world, auth):
    client = auth.client_for(world.users["coordinator"])
    form = client.get("/aanbodkorf/nieuw").get_data(as_text=True)
    assert "Gezond emotioneel functioneren" in form and "Werkdruk" in form
    response = client.post_form("/aanbodkorf/nieuw", {"title": "Rustplek", "what": "Een rustige plek.",
                                                      "building_block": "culture", "addresses": ["emotional", "workload"]})
    assert response.status_code == 302
    item = db.session.scalar(db.select(BasketItem).where(BasketItem.title == "Rustplek"))
    assert item.addresses == ["emotional", "workload"]
    page = client.get(f"/aanbodkorf/{item.id}").get_data(as_text=True)
    assert "Werkt aan" in page and "Werkdruk" in page
    refused = client.post_form("/aanbodkorf/nieuw", {"title": "X", "what": "Y", "building_block": "culture",
                                                     "addresses": ["iets anders"]})
    assert refused.status_code == 422
