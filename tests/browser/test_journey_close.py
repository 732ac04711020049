"""Stage 6 of the journey: the trekker closes sprint 1 with its review and retrospective.

Sprint 1 runs with the three demo ideas planned (set up through the services; stage 4 has its own
test). The trekker gives each initiative a result, writes the review and the retrospective, and
the sprint is closed: read-only, with the retrospective's actions shown at sprint 2's goal.

The close is early (sprint 1 runs for weeks still): the form names the days left and asks to confirm.
The first idea is in progress and achieved at the close but still needs the forum's advice, so it goes
on to sprint 2's board, where it can be put to the forum."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import IDEAS, person, running_sprint_1, to_school
from warmeveranderen.extensions import db
from warmeveranderen.sprints.models import Initiative, Sprint
from warmeveranderen.timeutil import today

RESULTS = {IDEAS[0]: "Bereikt", IDEAS[1]: "Gedeeltelijk bereikt", IDEAS[2]: "Mee naar de volgende sprint"}


@pytest.mark.browser
def test_trekker_closes_sprint_1_with_review_and_retrospective(new_page, demo):
    sprint = running_sprint_1(demo)
    sprint_id, days_left = sprint.id, (sprint.end_date - today()).days
    _in_progress(demo, IDEAS[0])

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
    # An early close: the form names the days left and keeps what was typed until it is confirmed.
    warning = lead.get_by_role("status").filter(has_text="Deze sprint loopt nog")
    expect(warning).to_contain_text(re.compile(r"nog \d+ dagen"))
    lead.get_by_role("button", name="Sprint afsluiten").click()
    expect(lead.get_by_text(f"nog {days_left} dagen").first).to_be_visible()
    expect(lead.locator("main")).to_contain_text("Vink aan dat je hem nu al afsluit")
    expect(lead.get_by_label("Wat ging goed?")).to_have_value("Leerlingen kennen de aanspreekpunten.")
    lead.get_by_label("Ja, ik sluit deze sprint af vóór zijn laatste dag").check()
    lead.get_by_role("button", name="Sprint afsluiten").click()
    expect(lead.locator(".flash-messages")).to_contain_text("Sprint 1 is afgesloten. Goed gedaan!")
    assert days_left > 0
    expect(lead.locator("main")).not_to_contain_text(re.compile(r"nog \d+ dagen"))
    expect(lead.get_by_text("Per vergissing afgesloten? Sprint heropenen")).to_be_visible()

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

    # Achieved at the close but still without the forum's advice: on sprint 2's board, with a way forward.
    lead.get_by_role("link", name="Bord").first.click()
    card = lead.locator(".board-card", has_text=IDEAS[0])
    expect(card).to_contain_text("Afgerond kan pas na een besluit")
    options = card.get_by_label(f"Nieuwe status voor {IDEAS[0]}").locator("option")
    labels = options.all_inner_texts()
    assert "Afgerond" not in labels and len(labels) > 0

    db.session.expire_all()
    sprint = db.session.get(Sprint, sprint_id)
    assert sprint.is_closed and sprint.retro_went_well == "Leerlingen kennen de aanspreekpunten."
    achieved = db.session.scalar(db.select(Initiative).where(Initiative.title == IDEAS[0]))
    assert achieved.sprint.number == 2 and achieved.status == "in_progress"
    assert sprint.snapshot["planned"] == 3 and sprint.snapshot["achieved"] == 1


def _in_progress(demo, title):
    from warmeveranderen.accounts.models import User
    from warmeveranderen.sprints import services

    lead = db.session.get(User, demo.users["flywheel_lead"].id)
    initiative = db.session.scalar(db.select(Initiative).where(Initiative.school_id == demo.school.id,
                                                               Initiative.title == title))
    services.move_initiative(initiative, "in_progress", lead)
    db.session.commit()
