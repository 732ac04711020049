"""The programme's governance as new users click through it: the coordinator sets up the steering group's
8-weekly series, sends the agenda, records minutes with a decision and two actions, and finds the open
actions on the next agenda; an adviser and a director hold an evaluation moment that shows the support
delivered and the envelope spent and record "bijsturen"; the coordinator reallocates freed funds."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.browser.journey import person
from warmeveranderen.timeutil import today


@pytest.mark.browser
def test_the_steering_group_meets_and_its_actions_come_back(new_page, demo):
    coordinator = person(new_page, demo, "coordinator")
    coordinator.goto("/")
    coordinator.get_by_role("link", name="Overleg", exact=True).click()
    coordinator.get_by_role("link", name="Nieuw overleg").click()
    coordinator.get_by_label("Soort overleg").select_option(label="Stuurgroep")
    coordinator.get_by_label("Naam").fill("Stuurgroep 2027")
    coordinator.get_by_label("Om de hoeveel").fill("8")
    coordinator.get_by_label("Eerste vergadering").fill((today() - timedelta(days=10)).isoformat())
    coordinator.get_by_label(re.compile("^Niet in schoolvakanties")).uncheck()
    coordinator.get_by_label(re.compile("^Vaste agendapunten")).fill("Goedkeuring vorig verslag\nVaria")
    coordinator.get_by_label(re.compile("^Leden")).fill(
        f"{demo.users['coordinator'].email}; voorzitter\n{demo.users['adviser'].email}; verslaggever; Adviseurs")
    coordinator.get_by_role("button", name="Bewaren en vergaderingen plannen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Het overleg staat klaar")
    expect(coordinator.get_by_text("om de 8 weken")).to_be_visible()

    coordinator.get_by_role("link", name=re.compile("^Vergadering 1 ")).click()
    coordinator.get_by_role("button", name="Agenda versturen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("De agenda is naar alle leden verstuurd.")
    coordinator.get_by_role("link", name="Verslag schrijven").click()
    coordinator.get_by_role("group", name="Aanwezig").get_by_label(demo.users["adviser"].name).check()
    coordinator.get_by_label("Verslag", exact=True).fill("We overliepen de intakes.")
    coordinator.get_by_label(re.compile("^Nieuwe besluiten")).fill("De klankbordgroep komt in maart samen.")
    coordinator.locator("#actions-0-title").fill("Uitnodiging klankbordgroep")
    coordinator.locator("#actions-0-owner_id").select_option(label=demo.users["adviser"].name)
    coordinator.locator("#actions-0-due_on").fill((today() + timedelta(days=20)).isoformat())
    coordinator.locator("#actions-1-title").fill("Begroting herzien")
    coordinator.locator("#actions-1-owner_id").select_option(label=demo.users["coordinator"].name)
    coordinator.locator("#actions-1-due_on").fill((today() + timedelta(days=30)).isoformat())
    coordinator.get_by_role("button", name="Verslag bewaren").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Het verslag is bewaard")
    expect(coordinator.get_by_text("De klankbordgroep komt in maart samen.")).to_be_visible()

    adviser = person(new_page, demo, "adviser")
    adviser.goto("/overleg")
    adviser.get_by_role("link", name="Stuurgroep 2027").click()
    adviser.get_by_role("link", name=re.compile("^Vergadering 2 ")).click()
    agenda = adviser.get_by_role("region", name="Agenda")
    expect(agenda.get_by_text("Actie: Uitnodiging klankbordgroep")).to_be_visible()
    expect(agenda.get_by_text("Actie: Begroting herzien")).to_be_visible()


@pytest.mark.browser
def test_an_evaluation_that_adjusts_and_the_reallocation_of_freed_funds(new_page, demo):
    adviser = person(new_page, demo, "adviser")
    from warmeveranderen.extensions import db
    from warmeveranderen.programme.models import School

    lyceum = db.session.scalar(db.select(School).where(School.name == "GO! Lyceum Gent"))
    adviser.goto(f"/scholen/{lyceum.id}/voortgang")  # the school's progress page, where the link is
    adviser.get_by_role("link", name="Naar evaluatie en enveloppe").click()
    expect(adviser.get_by_role("heading", name="Ondersteuning: afgesproken en geleverd")).to_be_visible()
    expect(adviser.get_by_text("Voorbeeld: tweedaagse van vliegwiel en directie").first).to_be_visible()
    adviser.get_by_role("link", name="In voorbereiding").click()
    adviser.get_by_label("De ondersteuning en de enveloppe, besproken").fill("Tenz is nog niet gestart.")
    adviser.get_by_role("button", name="Voorbereiding bewaren").click()
    expect(adviser.get_by_role("status")).to_contain_text("De voorbereiding is bewaard.")
    adviser.get_by_role("radio", name="Bijsturen").check()
    adviser.get_by_label(re.compile("^Wat wordt er bijgestuurd")).fill("De Tenz-opleiding start in januari.")
    adviser.get_by_label(re.compile("^Je wachtwoord")).fill(demo.password)
    adviser.get_by_role("button", name="Beslissing vastleggen en ondertekenen").click()
    expect(adviser.get_by_role("status")).to_contain_text("De beslissing is vastgelegd")
    expect(adviser.get_by_text("De Tenz-opleiding start in januari.")).to_be_visible()

    director = new_page()
    login(director, "directie.lyceum@demo.warmeveranderen.be", demo.password)
    director.goto(adviser.url)
    director.get_by_label(re.compile("^Je wachtwoord")).fill(demo.password)
    director.get_by_role("button", name="Ondertekenen").click()
    expect(director.get_by_role("status")).to_contain_text("Je hebt de beslissing ondertekend.")

    coordinator = person(new_page, demo, "coordinator")
    coordinator.goto("/overleg/ondersteuning")
    coordinator.get_by_label("Vrijgekomen bij").select_option(index=1)
    coordinator.get_by_label("Toewijzen aan").select_option(label="GO! Lyceum Gent")
    coordinator.get_by_label("Bedrag (€)").fill("500")
    coordinator.get_by_label("Reden").fill("GO! Lyceum Gent neemt snelheid: extra coaching van Tenz.")
    coordinator.get_by_role("button", name="Middelen toewijzen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("De vrijgekomen middelen zijn toegewezen")
    expect(coordinator.get_by_text("extra coaching van Tenz").first).to_be_visible()
