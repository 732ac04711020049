"""Stage 4 of the journey: the flywheel's trekker plans sprint 1 of the demo school.

The demo gives the school a sprint calendar whose sprint 1 runs today without a goal, and three
ideas on the backlog. The trekker sets the goal, takes an initiative from the offer basket
(Aanbodkorf) onto the backlog, plans three building blocks into sprint 1, starts it, records the
alignment with the board team at the start and moves a card on the board."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.extensions import db
from warmeveranderen.sprints.models import Initiative, Sprint

BASKET_ITEM = "Buddy's en meters/peters voor nieuwe leerlingen"  # building block "Mens"
BASKET_SHORT = "Buddy"  # the "/" of the title trips Playwright's name selector: locators use its first word
IDEAS = ("Praatronde bij de start van de week", "Vaste aanspreekpunten op de speelplaats")  # culture, structure


def open_sprint_1(page, demo) -> None:
    to_school(page, demo)
    page.get_by_role("link", name="Sprint 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sprint 1")


@pytest.mark.browser
def test_trekker_plans_and_starts_sprint_1(new_page, demo):
    lead = person(new_page, demo, "flywheel_lead")
    open_sprint_1(lead, demo)

    # The goal of the sprint.
    lead.get_by_role("textbox", name="Sprintdoel").fill("Elke leerling voelt zich **welkom** bij de start van de dag.")
    lead.get_by_role("button", name="Doel opslaan").click()
    expect(lead.get_by_role("status")).to_contain_text("Het sprintdoel is opgeslagen.")

    # An initiative from the offer basket goes onto the school's backlog, with the trekker as owner.
    lead.get_by_role("link", name="Kies uit de aanbodkorf").click()
    lead.get_by_role("main").get_by_role("link", name=BASKET_SHORT).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(BASKET_ITEM)
    lead.get_by_label("Eigenaar (vliegwiel of directie)").select_option(label=demo.users["flywheel_lead"].name)
    lead.get_by_role("button", name="Op de backlog zetten").click()
    expect(lead.get_by_role("status")).to_contain_text(f"staat op de backlog van {demo.school.name}")

    # Back to sprint 1: plan the basket's initiative and two ideas of the backlog (three building blocks).
    open_sprint_1(lead, demo)
    for title in (BASKET_SHORT, *IDEAS):
        # (Each button's visually hidden text names its initiative; the list item is the simpler handle.)
        lead.get_by_role("listitem").filter(has_text=title).get_by_role("button", name=re.compile("^Plannen")).click()
        planned = lead.locator("section", has=lead.get_by_role("heading", name=re.compile("^Initiatieven in deze sprint")))
        expect(planned.get_by_role("listitem").filter(has_text=title).get_by_role(
            "button", name=re.compile("^Uit de sprint"))).to_be_visible()
    coverage = lead.get_by_role("table", name="Aantal initiatieven van deze sprint per bouwsteen")
    for block in ("Mens", "Cultuur", "Structuur"):
        expect(coverage.get_by_role("row", name=re.compile(f"^{block}"))).to_contain_text("ja")

    lead.get_by_role("button", name="Sprint 1 starten").click()
    expect(lead.get_by_role("status")).to_contain_text("Sprint 1 is gestart.")

    # The alignment with the board team at the start.
    start = lead.locator("div.border", has=lead.get_by_role("heading", name="Afstemming met het bestuursteam bij de start"))
    start.get_by_text("Vastleggen", exact=True).click()
    start.get_by_label("Datum").fill(date_today())
    start.get_by_label("Wie nam deel").fill("Dirk Directeur, Bea Bestuur, Tine Trekker")
    start.get_by_label("Korte notitie").fill("Het bestuur steunt het sprintdoel.")
    start.get_by_role("button", name="Afstemming vastleggen").click()
    expect(lead.get_by_role("status")).to_contain_text("De afstemming is vastgelegd.")
    expect(start).to_contain_text("Dirk Directeur, Bea Bestuur, Tine Trekker")

    # On the board, the basket's initiative moves from planned to in progress.
    lead.get_by_role("link", name="Bord", exact=True).first.click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Bord van sprint 1")
    lead.get_by_label(f"Nieuwe status voor {BASKET_SHORT}").select_option(label="In uitvoering")
    lead.locator(".board-card", has_text=BASKET_SHORT).get_by_role("button", name=re.compile("^Verplaats")).click()
    column = lead.locator("section.board-column", has=lead.get_by_role("heading", name=re.compile("^In uitvoering")))
    expect(column.get_by_role("link", name=BASKET_SHORT)).to_be_visible()
    expect(column).to_contain_text(f"Verplaatst door {demo.users['flywheel_lead'].name}")

    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == demo.school.id, Sprint.number == 1))
    assert sprint.state == "active" and "welkom" in sprint.goal
    statuses = {i.title: i.status for i in db.session.scalars(db.select(Initiative).where(Initiative.sprint_id == sprint.id))}
    assert statuses == {BASKET_ITEM: "in_progress", IDEAS[0]: "planned", IDEAS[1]: "planned"}


def date_today() -> str:
    from warmeveranderen.timeutil import today

    return today().isoformat()
