"""The learning networks in the browser: the trekker runs the school-bonding self-scan from the school's
home and puts two gaps on the backlog (no JavaScript needed); asks the network a question that a colleague
answers; and the director finds the library item another school shared and puts it on the backlog."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.extensions import db
from warmeveranderen.networks.catalogue import SCAN_KINDS
from warmeveranderen.sprints.models import Initiative


@pytest.mark.browser
def test_trekker_runs_the_school_bonding_scan_and_puts_two_gaps_on_the_backlog(new_page, demo):
    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    lead.get_by_role("region", name="Zelfscans en lerend netwerk").get_by_role("link", name="Naar de zelfscans").click()
    lead.get_by_label("Schoolbinding (fase 0)").check()
    lead.get_by_role("button", name="Zelfscan starten").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Schoolbinding (fase 0)")
    gaps = {"sb_return": "1", "sb_council": "2"}
    for question in SCAN_KINDS["school_bonding"].questions:
        lead.locator(f"#score_{question.code}_{gaps.get(question.code, '3')}").check()
    lead.locator("#note_sb_return").fill("Niemand vangt een terugkerende leerling op.")
    lead.get_by_role("button", name="Afronden en resultaat tonen").click()
    expect(lead.get_by_role("status")).to_contain_text("De zelfscan is afgerond")
    before = db.session.scalar(db.select(db.func.count(Initiative.id)))
    for _ in gaps:
        lead.get_by_role("button", name=re.compile("^Op de backlog zetten")).first.click()
        expect(lead.get_by_role("status")).to_contain_text("staat op de backlog")
    expect(lead.get_by_role("link", name=re.compile("^Op de backlog:"))).to_have_count(len(gaps))
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == before + 2


@pytest.mark.browser
def test_a_question_to_the_network_gets_an_answer(new_page, demo):
    lead = person(new_page, demo, "flywheel_lead")
    lead.goto("/".join(lead.url.split("/", 3)[:3]) + "/netwerk")
    lead.get_by_role("link", name="Stel een vraag").first.click()
    lead.get_by_label("Je vraag in één zin").fill("Wie heeft ervaring met een leerlingenraad in de eerste graad?")
    lead.get_by_label("Aan wie stel je de vraag?").select_option(label="Lerend netwerk Gent 1")
    lead.get_by_role("button", name="Vraag stellen").click()
    expect(lead.get_by_role("status")).to_contain_text("Je vraag staat online")
    question_url = lead.url

    director = person(new_page, demo, "director")
    director.goto(question_url)
    director.get_by_role("textbox", name="Je antwoord").fill("Wij laten de raad elk trimester verslag geven op het forum.")
    director.get_by_role("button", name="Antwoorden").click()
    expect(director.get_by_role("status")).to_contain_text("Bedankt voor je antwoord")

    lead.goto(question_url)
    lead.get_by_role("button", name="Dit hielp het meest").click()
    expect(lead.get_by_text("Hielp de vraagsteller het meest")).to_be_visible()


@pytest.mark.browser
def test_the_director_puts_a_shared_practice_on_the_backlog(new_page, demo):
    director = person(new_page, demo, "director")
    base = "/".join(director.url.split("/", 3)[:3])
    director.goto(base + "/kennisbank")
    director.get_by_label("Zoeken").fill("leerlingenraad")
    director.get_by_role("button", name="Filteren").click()
    director.get_by_role("link", name="Leerlingenraad met een eigen budget").click()
    director.get_by_role("button", name="Op onze backlog zetten").click()
    expect(director.get_by_role("status")).to_contain_text("staat op de backlog")
    director.goto(base + "/kennisbank")
    expect(director.get_by_text("1 school gebruikt dit")).to_be_visible()
