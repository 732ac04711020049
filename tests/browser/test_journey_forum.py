"""Stage 5 of the journey: the forum gives advice on an initiative of sprint 1 and the trekker decides.

Sprint 1 runs with the three demo ideas planned (set up through the services; stage 4 has its own
test). The trekker puts one initiative to the forum; the parent supports it with concerns and the
pupil objects on principle (*principieel bezwaar*) — the pupil with the keyboard only; the trekker answers the objection
and records the decision after the deadline. Everyone works in their own browser context."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import keyboard_fill
from tests.browser.journey import IDEAS, person, ready_for_forum, running_sprint_1, to_school
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound, Decision
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import today, utcnow

SUBJECT = IDEAS[0]


def open_round(page, demo) -> None:
    """From the school's home page, through the forum's page, to the round on the subject."""
    to_school(page, demo)
    page.get_by_role("region", name="Forum").get_by_role("link", name="Forum", exact=True).click()
    page.get_by_role("main").get_by_role("link", name=SUBJECT).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)


@pytest.mark.browser
def test_forum_advises_with_one_objection_and_the_trekker_decides(new_page, demo):
    running_sprint_1(demo)
    ready_for_forum(demo, SUBJECT)  # moved on the board by the trekker (stage 4 moves a card in the browser)

    # The trekker puts the initiative to the forum from the forum's page.
    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    lead.get_by_role("region", name="Forum").get_by_role("link", name="Forum", exact=True).click()
    lead.get_by_role("listitem").filter(has_text=SUBJECT).get_by_role("link", name=re.compile("^Op de agenda zetten")).click()
    expect(lead.get_by_label("Onderwerp")).to_have_value(re.compile("^initiative:"))
    lead.get_by_label("Adviesvraag").fill("Starten we elke maandag met een praatronde van tien minuten?")
    lead.get_by_label("Advies geven kan tot en met").fill((today() + timedelta(days=7)).isoformat())
    lead.get_by_role("button", name="Voorleggen aan het forum").click()
    expect(lead.get_by_role("status")).to_contain_text("Voorgelegd aan het forum.")

    # The parent supports it, with concerns.
    parent = person(new_page, demo, "forum")
    open_round(parent, demo)
    parent.get_by_label("Steun met bedenkingen", exact=True).check()
    parent.get_by_label("Je advies en je argumenten").fill("Goed idee, maar hou het kort voor de eerste lesuren.")
    parent.get_by_role("button", name="Advies geven").click()
    expect(parent.get_by_role("status")).to_contain_text("Je advies is opgeslagen.")

    # The pupil objects, with the keyboard only (every focus stop visible on the way).
    pupil = person(new_page, demo, "pupil")
    open_round(pupil, demo)
    keyboard_fill(pupil, {"Bezwaar": True,
                          "Principieel: het voorstel schaadt het doel of de visie van de school. Er wordt pas "
                          "beslist als het vliegwiel erop geantwoord heeft.": True,
                          "Je advies en je argumenten": "Op maandag hebben we al een toets in het eerste uur."},
                  submit="Advies geven")
    expect(pupil.get_by_role("status")).to_contain_text("Je advies is opgeslagen.")

    # Deciding is refused while the round runs (the rule under test elsewhere); to get past it here the
    # round's deadline is moved into the past in the database, as if the week had gone by.
    advice_round = db.session.scalar(db.select(AdviceRound).where(AdviceRound.school_id == demo.school.id,
                                                                  AdviceRound.subject_title == SUBJECT))
    advice_round.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()

    # The trekker answers the objection, then records the decision.
    open_round(lead, demo)
    objection = lead.locator("article", has=lead.get_by_role("heading", name=re.compile(demo.users["pupil"].name)))
    objection.get_by_label("Wat doen we met dit advies?").fill("We verschuiven de praatronde naar het tweede lesuur op maandag.")
    objection.get_by_role("button", name="Antwoord opslaan").click()
    expect(lead.get_by_role("status")).to_contain_text(f"Antwoord op het advies van {demo.users['pupil'].name} opgeslagen.")
    lead.get_by_label("Bijsturen", exact=True).check()
    lead.get_by_label("Motivering").fill("We houden de praatronde, in het tweede lesuur, na het advies.")
    lead.get_by_role("button", name="Besluit vastleggen").click()
    expect(lead.get_by_role("status")).to_contain_text("Besluit vastgelegd.")
    expect(lead.get_by_role("heading", name="Besluit: Bijsturen")).to_be_visible()

    db.session.expire_all()
    decision = db.session.scalar(db.select(Decision).where(Decision.round_id == advice_round.id))
    assert decision.outcome == "adjust"
    assert {a.stance for a in advice_round.advice} == {"concerns", "objection"}
    initiative = db.session.scalar(db.select(Initiative).where(Initiative.title == SUBJECT))
    assert initiative.status == "decided"
