"""Stage 6 of the journey: the trekker closes sprint 1 with its review and retrospective.

Sprint 1 runs with the three demo ideas planned (set up through the services; stage 4 has its own
test). The trekker gives each initiative a result, writes the review and the retrospective, and
the sprint is closed: read-only, with the retrospective's actions shown at sprint 2's goal."""

import pytest
from playwright.sync_api import expect

from tests.browser.journey import IDEAS, person, running_sprint_1, to_school
from warmeveranderen.extensions import db
from warmeveranderen.sprints.models import Sprint

RESULTS = {IDEAS[0]: "Bereikt", IDEAS[1]: "Gedeeltelijk bereikt", IDEAS[2]: "Mee naar de volgende sprint"}


@pytest.mark.browser
def test_trekker_closes_sprint_1_with_review_and_retrospective(new_page, demo):
    sprint_id = running_sprint_1(demo).id

    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    lead.get_by_role("link", name="Sprint 1", exact=True).click()
    lead.get_by_role("link", name="Sprint afsluiten").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Sprint 1")
    for title, result in RESULTS.items():
        initiative = lead.get_by_role("group", name=title)
        initiative.get_by_label("Resultaat").select_option(label=result)
        initiative.get_by_label("Toelichting").fill(f"{result} in sprint 1.")
    lead.get_by_label("Review: wat heeft de sprint opgeleverd?").fill("Een vaste praatronde en aanspreekpunten.")
    lead.get_by_label("Wat ging goed?").fill("Leerlingen kennen de aanspreekpunten.")
    lead.get_by_label("Wat kan beter?").fill("De intervisie kwam niet van de grond.")
    lead.get_by_label("Acties voor de volgende sprint").fill("Een vaste datum prikken voor de intervisie.")
    lead.get_by_role("button", name="Sprint afsluiten").click()
    expect(lead.locator(".flash-messages")).to_contain_text("Sprint 1 is afgesloten. Goed gedaan!")

    review = lead.get_by_role("region", name="Review en retrospectieve")
    results = review.get_by_role("table", name="Resultaat per initiatief")
    for title, result in RESULTS.items():
        expect(results.get_by_role("row", name=title)).to_contain_text(result)
    expect(review).to_contain_text("De intervisie kwam niet van de grond.")
    expect(lead.get_by_text("kan niet meer gewijzigd worden")).to_be_visible()

    # Sprint 2 shows the retrospective's actions next to its goal.
    lead.get_by_role("link", name="Volgende sprint").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Sprint 2")
    expect(lead.get_by_role("region", name="Sprintdoel")).to_contain_text("Een vaste datum prikken voor de intervisie.")

    db.session.expire_all()
    sprint = db.session.get(Sprint, sprint_id)
    assert sprint.is_closed and sprint.retro_went_well == "Leerlingen kennen de aanspreekpunten."
