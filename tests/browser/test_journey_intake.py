"""Stage 2 of the journey: the intake agreement of the demo school, from the adviser's first draft
to an agreement in force, signed by the director, the board member and the coordinator with their
passwords. Each person works in their own browser context; the demo school starts without an intake."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school


def sign(page, demo, role: str) -> None:
    """Reach the agreement as that person would, follow the link to sign and sign with the password."""
    if role == "coordinator":  # the programme's overview of intakes, then the school's agreement
        page.get_by_role("navigation").get_by_role("link", name="Intakes").click()
        page.get_by_role("main").get_by_role("link", name=demo.school.name).click()
        page.get_by_role("link", name="Onderteken versie 1").click()
    else:  # the school's home page shows the agreement waiting for them
        to_school(page, demo)
        page.get_by_role("link", name="Onderteken nu").click()
    page.get_by_label("Je wachtwoord").fill(demo.password)
    page.get_by_label("Ik heb de tekst gelezen en onderteken hem namens mijn rol.").check()
    page.get_by_role("button", name="Onderteken", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Je hebt versie 1 ondertekend.")


@pytest.mark.browser
def test_adviser_drafts_director_completes_and_three_sign(new_page, demo):
    # The adviser opens the intake from the school's home page and writes a first draft.
    adviser = person(new_page, demo, "adviser")
    to_school(adviser, demo)
    adviser.get_by_role("link", name="Naar de intakeovereenkomst").click()
    adviser.get_by_role("button", name="Open de intake").click()
    expect(adviser.get_by_role("heading", level=1)).to_contain_text("Concept van de intakeovereenkomst")
    adviser.get_by_label("Strategische intentie").fill(
        "We willen een school zijn waar **elke leerling zich gezien weet**.")
    adviser.get_by_label(re.compile("^We nemen alle vijf de bouwstenen vast")).check()
    adviser.get_by_label(re.compile("^We nemen deel aan de collectieve sessies")).check()
    adviser.get_by_role("button", name="Concept bewaren").click()
    expect(adviser.get_by_role("status")).to_contain_text("Het concept is bewaard.")
    # Only the director may put it out for signature.
    expect(adviser.get_by_role("button", name="Bewaren en klaar voor ondertekening")).to_have_count(0)

    # The director completes the draft and marks it ready for signature.
    director = person(new_page, demo, "director")
    to_school(director, demo)
    director.get_by_role("link", name="Naar de intakeovereenkomst").click()
    director.get_by_role("link", name="Concept bewerken").click()
    expect(director.get_by_label("Strategische intentie")).to_have_value(re.compile("elke leerling zich gezien weet"))
    director.get_by_label(re.compile("^We maken tijd vrij voor het vliegwiel")).check()
    director.get_by_label(re.compile("^We meten welbevinden en betrokkenheid")).check()
    director.get_by_label("Eigen investering van de school (euro)").fill("2.500,00")
    director.get_by_label("Startdatum").fill("2026-09-01")
    director.get_by_label("Looptijd (schooljaren)").fill("3")
    director.get_by_label("Evaluatiemoment 1", exact=True).fill("2027-06-15")
    director.get_by_label("Evaluatiemoment 2", exact=True).fill("2028-06-15")
    for number in range(3, 7):  # the suggested moments past the three school years are left empty
        director.get_by_label(f"Evaluatiemoment {number}", exact=True).fill("")
    director.get_by_label("Dirk Directeur (directie)").check()
    director.get_by_label("Bea Bestuur (bestuur)").check()
    director.get_by_role("button", name="Bewaren en klaar voor ondertekening").click()
    expect(director.get_by_role("status")).to_contain_text("De overeenkomst ligt klaar om te ondertekenen.")

    # Director, board member and coordinator each sign with their own password.
    sign(director, demo, "director")
    board = person(new_page, demo, "board")
    sign(board, demo, "board")
    coordinator = person(new_page, demo, "coordinator")
    sign(coordinator, demo, "coordinator")

    # The school's home page shows the agreement in force, to everyone of the school.
    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    panel = lead.locator("section", has=lead.get_by_role("heading", name=re.compile("^Intakeovereenkomst")))
    expect(panel).to_contain_text("Van kracht sinds")
