"""The foundation's journey in a real browser: the coordinator invites a director, who joins and
invites the flywheel's trekker, who joins too. Each person has their own browser context.

One journey test per stage of the programme lives next to this one (test_journey_<stage>.py),
using the same fixtures: `demo` for the demo accounts, `page`/`new_page` for people, `outbox`
and `email_link` for the emails.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import email_link, login, visit, wait_for_path
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School

SCHOOL = "GO! Lyceum Gent"


def accept_invitation(page, link: str, password: str) -> None:
    """Open the link from the email, choose a password and land on the home page."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom bij Warm Veranderen")
    page.get_by_label("Kies een wachtwoord").fill(password)
    page.get_by_label("Herhaal het wachtwoord").fill(password)
    page.get_by_role("button", name="Account activeren").click()
    wait_for_path(page, "/")


@pytest.mark.browser
def test_coordinator_invites_a_director_who_invites_the_flywheel_lead(page, new_page, demo, outbox, live_server):
    # The coordinator invites a director for a school, through the programme's people page.
    login(page, demo.users["coordinator"].email, demo.password)
    page.get_by_role("link", name="Programma", exact=True).click()
    page.get_by_role("link", name="Mensen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Naam", exact=True).fill("Dora Directeur")
    page.get_by_label("E-mailadres", exact=True).fill("dora.directeur@example.org")
    page.get_by_label("School", exact=True).fill(SCHOOL)
    page.get_by_label("Rol").select_option(label="Directie")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Uitnodiging verstuurd naar dora.directeur@example.org")

    # The director opens the link from the email in their own browser and chooses a password.
    director = new_page()
    accept_invitation(director, email_link(outbox, live_server, "dora.directeur@example.org"), "een goed wachtwoord")
    expect(director.get_by_role("status")).to_contain_text("Welkom, Dora Directeur! Je account is actief.")
    expect(director.get_by_role("heading", level=1)).to_have_text("Dag Dora Directeur")

    # From home to the school and its people, where the director invites the flywheel's trekker.
    director.get_by_role("link", name=SCHOOL).click()
    expect(director.get_by_role("heading", level=1)).to_have_text(SCHOOL)
    director.get_by_role("link", name="Mensen", exact=True).click()
    director.get_by_label("Naam", exact=True).fill("Toon Trekker")
    director.get_by_label("E-mailadres").fill("toon.trekker@example.org")
    director.get_by_label("Rol").select_option(label="Vliegwiel")
    director.get_by_label("Trekker van het vliegwiel").check()
    director.get_by_role("button", name="Uitnodiging versturen").click()
    expect(director.get_by_role("status")).to_contain_text("Uitnodiging verstuurd naar toon.trekker@example.org")
    flywheel = director.locator("section", has=director.get_by_role("heading", name=re.compile("^Vliegwiel")))
    expect(flywheel.get_by_role("listitem").filter(has_text="Toon Trekker")).to_contain_text("trekker")

    # The trekker joins through their own email and sees the school with their role.
    lead = new_page()
    accept_invitation(lead, email_link(outbox, live_server, "toon.trekker@example.org"), "nog een goed wachtwoord")
    expect(lead.get_by_role("heading", level=2, name=re.compile(SCHOOL))).to_contain_text("Vliegwiel (trekker)")

    # What the browser did is in the database: the test thread reads it in its own app context.
    school = db.session.scalar(db.select(School).where(School.name == SCHOOL))
    roles = {(m.user.email, m.role, m.is_lead) for m in db.session.scalars(
        db.select(Membership).where(Membership.school_id == school.id))}
    # (The demo gives some schools people of their own; the two invited here are what is new.)
    assert {("dora.directeur@example.org", "director", False), ("toon.trekker@example.org", "flywheel", True)} <= roles
    assert not any(is_lead for email, role, is_lead in roles if email != "toon.trekker@example.org")

    # The invitation link works once: opening it again says so (410).
    again = new_page()
    visit(again, email_link(outbox, live_server, "toon.trekker@example.org"), status=410)
