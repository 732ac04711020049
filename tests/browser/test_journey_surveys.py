"""Surveys on phones (390 px wide), as issue 20's "done when" walks them: the director opens a staff and
a parent survey from the templates; six staff members and four parents answer through the shared link
without an account; the staff results show, the parents' say "te weinig antwoorden". The flywheel's
lead sees the demo class with many pupils at levels 1–2 of emotional functioning and puts a suggested
basket item on the backlog."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "surveys"


def fits_the_screen(page) -> None:
    page.wait_for_load_state("load")  # the charts are images: measure once they are in (under load they come late)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_survey(page, audience: str, group: str) -> str:
    page.get_by_role("link", name="Bevraging openen").click()
    page.get_by_label(audience, exact=True).check()
    page.get_by_label("Groep", exact=True).fill(group)
    page.get_by_label("Voormeting").check()
    page.get_by_label("Sluit na").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Bevraging openen").click()
    expect(page.get_by_role("status").first).to_contain_text("De bevraging is open")
    fits_the_screen(page)
    return page.get_by_label("Gedeelde link voor de groep").input_value()


def answer(new_page, link: str, choices: list[str], name: str | None = None) -> None:
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(link)
    fits_the_screen(page)
    for fieldset, choice in zip(page.locator("form fieldset").all(), choices, strict=False):
        fieldset.get_by_label(choice, exact=True).check()
    if name:
        shot(page, name)
    page.get_by_role("button", name="Antwoorden versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je antwoorden!")
    page.context.close()


@pytest.mark.browser
def test_staff_and_parents_answer_on_phones_and_the_minimum_holds(new_page, demo):
    director = person(new_page, demo, "director")
    director.set_viewport_size(PHONE)
    to_school(director, demo)
    director.goto(f"/scholen/{demo.school.id}/bevragingen")
    staff_link = open_survey(director, "Personeel", "Personeel lager")
    director.goto(f"/scholen/{demo.school.id}/bevragingen")
    parents_link = open_survey(director, "Ouders", "Ouders lager")

    for n in range(6):
        answer(new_page, staff_link, ["Akkoord", "Neutraal", "Helemaal akkoord", "Akkoord"],
               name="answer-phone" if n == 0 else None)
    for _n in range(4):
        answer(new_page, parents_link, ["Helemaal akkoord", "Akkoord"])

    director.goto(f"/scholen/{demo.school.id}/bevragingen")
    director.get_by_role("link", name="Personeel lager").click()
    expect(director.get_by_text("6 antwoorden")).to_be_visible()
    results = director.get_by_role("table").filter(has_text="Ik voel me goed op mijn werk.")
    expect(results).to_contain_text("4,0")
    fits_the_screen(director)
    shot(director, "staff-results-phone")
    director.set_viewport_size({"width": 1280, "height": 900})
    shot(director, "staff-results-desktop")
    director.set_viewport_size(PHONE)

    director.goto(f"/scholen/{demo.school.id}/bevragingen")
    director.get_by_role("link", name="Ouders lager").click()
    expect(director.get_by_text("Te weinig antwoorden.", exact=True)).to_be_visible()
    expect(director.get_by_text("Ik voel me welkom op school.")).to_have_count(0)
    shot(director, "parents-too-few-phone")


@pytest.mark.browser
def test_a_class_with_many_pupils_at_levels_one_and_two_gets_a_basket_suggestion(new_page, demo):
    lead = person(new_page, demo, "flywheel_lead")
    lead.set_viewport_size(PHONE)
    lead.goto(f"/scholen/{demo.school.id}/voortgang")
    actions = lead.get_by_role("region", name="Van meting naar actie")
    expect(actions).to_contain_text("Klas 1A (voorbeeld)")
    expect(actions).to_contain_text("gezond emotioneel functioneren")
    fits_the_screen(lead)
    shot(lead, "actions-phone")
    first = actions.get_by_role("button", name="Op de backlog zetten").first
    title = first.get_attribute("aria-label") or first.inner_text()
    first.click()
    expect(lead.get_by_role("status")).to_contain_text("staat op de backlog")
    assert "Op de backlog zetten" in title
