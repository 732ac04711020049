"""The idea box on a phone (390 px wide): a pupil submits an idea, a parent supports it, the trekker
answers *op de backlog*; the pupil and the parent are told and see the initiative it became."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea

PHONE = {"width": 390, "height": 844}
TITLE = "Een moestuin op de speelplaats"


def on_phone(new_page, demo, role):
    page = person(new_page, demo, role)
    page.set_viewport_size(PHONE)
    return page


def open_idea(page, demo) -> None:
    """From the school's home page, through the idea box's panel, to the idea."""
    to_school(page, demo)
    page.get_by_role("region", name="Ideeënbus").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


@pytest.mark.browser
def test_pupil_idea_parent_support_trekker_answers_on_a_phone(new_page, demo):
    pupil = on_phone(new_page, demo, "pupil")
    to_school(pupil, demo)
    pupil.get_by_role("region", name="Ideeënbus").get_by_role("link", name="Deel een idee").click()
    fits_the_screen(pupil)
    pupil.get_by_label("Je idee in een paar woorden").fill(TITLE)
    pupil.get_by_label("Wat wil je veranderen, en waarom?").fill("Dan leren we buiten, en de groenten zijn voor de refter.")
    pupil.get_by_role("button", name="Idee insturen").click()
    expect(pupil.get_by_role("status")).to_contain_text("Je idee staat in de ideeënbus")
    expect(pupil.get_by_text("Wacht op antwoord")).to_be_visible()

    parent = on_phone(new_page, demo, "forum")
    open_idea(parent, demo)
    parent.get_by_role("button", name="Ik steun dit").click()
    expect(parent.get_by_role("status")).to_contain_text("Je steunt dit idee.")
    expect(parent.get_by_role("heading", name="1 steunt dit")).to_be_visible()

    lead = on_phone(new_page, demo, "flywheel_lead")
    open_idea(lead, demo)
    fits_the_screen(lead)
    lead.get_by_label("Op de backlog", exact=True).check()
    lead.get_by_label(re.compile("^Waarom")).fill("Past bij onze visie op buiten leren.")
    lead.get_by_label(re.compile("^Bouwsteen van het initiatief")).select_option(label="Cultuur")
    lead.get_by_role("button", name="Antwoord geven").click()
    expect(lead.get_by_role("status")).to_contain_text("Je antwoord staat bij het idee")
    expect(lead.get_by_role("heading", name="Antwoord van het vliegwiel: Op de backlog")).to_be_visible()

    db.session.expire_all()
    idea = db.session.scalar(db.select(Idea).where(Idea.title == TITLE))
    assert idea.state == "backlog" and idea.initiative is not None

    # The pupil and the parent are told, and reach the initiative from the idea.
    for page in (pupil, parent):
        page.goto("/meldingen")
        page.get_by_role("button", name=re.compile(f"Antwoord op het idee {TITLE}")).first.click()
        expect(page.get_by_role("heading", name="Antwoord van het vliegwiel: Op de backlog")).to_be_visible()
        page.get_by_role("main").get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_role("heading", name="Uit de ideeënbus")).to_be_visible()
