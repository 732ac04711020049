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
    # The form's page must have loaded before its width is measured (the click only starts the navigation).
    expect(pupil.get_by_label("Je idee in een paar woorden")).to_be_visible()
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


# --- issue 18: from the backlog to the forum, objections weighed, the review told to the school -------------

PRINCIPLED = ("Principieel: het voorstel schaadt het doel of de visie van de school. Er wordt pas beslist als "
              "het vliegwiel erop geantwoord heeft.")
PERSONAL = ("Persoonlijk: het voorstel past jou niet. Je wordt gehoord en krijgt een antwoord, maar het houdt het "
            "besluit niet tegen.")


def _idea_on_the_forum_agenda(demo) -> str:
    """The pupil's idea went on the backlog (stage above), was planned in running sprint 1 and is ready for the
    forum; a teacher joins the forum (staff). Returns the teacher's email."""
    from flask import current_app

    from tests.browser.journey import ready_for_forum, running_sprint_1
    from warmeveranderen.accounts.models import User
    from warmeveranderen.ideas import services as ideas
    from warmeveranderen.programme.models import Membership, School
    from warmeveranderen.sprints import services as sprints

    sprint = running_sprint_1(demo)
    school = db.session.get(School, demo.school.id)
    pupil, lead = db.session.get(User, demo.users["pupil"].id), db.session.get(User, demo.users["flywheel_lead"].id)
    with current_app.test_request_context():
        idea = ideas.submit_idea(school, pupil, TITLE, "Dan leren we buiten.", "culture")
        ideas.answer(idea, lead, "backlog", "Past bij onze visie op buiten leren.")
        sprints.plan_initiative(idea.initiative, db.session.merge(sprint), lead)
    teacher = User(email="leerkracht@demo.warmeveranderen.be", name="Leen Leerkracht", locale="nl",
                   password_hash=pupil.password_hash)
    db.session.add(teacher)
    db.session.flush()
    db.session.add(Membership(user_id=teacher.id, school_id=school.id, role="forum", stakeholder_group="staff"))
    db.session.commit()
    ready_for_forum(demo, TITLE)
    return teacher.email


@pytest.mark.browser
def test_objections_are_weighed_and_the_sprint_review_reaches_the_forum(new_page, demo):
    from datetime import timedelta

    from tests.browser.helpers import keyboard_fill, login
    from tests.browser.journey import to_school
    from warmeveranderen.accounts.models import User
    from warmeveranderen.forum.models import AdviceRound, Decision
    from warmeveranderen.notifications.sweep import sweep
    from warmeveranderen.sprints import cadence
    from warmeveranderen.sprints.models import Sprint
    from warmeveranderen.timeutil import today, utcnow

    teacher_email = _idea_on_the_forum_agenda(demo)

    # The pupil follows the initiative her idea became (on her phone).
    pupil = on_phone(new_page, demo, "pupil")
    to_school(pupil, demo)
    pupil.goto(f"/scholen/{demo.school.id}/ideeen")
    pupil.get_by_role("link", name=TITLE).click()
    pupil.get_by_role("main").get_by_role("link", name=TITLE).last.click()
    expect(pupil.get_by_text("Je volgt dit initiatief.")).to_be_visible()
    fits_the_screen(pupil)

    # The trekker puts the initiative to the forum.
    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    lead.get_by_role("region", name="Forum").get_by_role("link", name="Forum", exact=True).click()
    lead.get_by_role("listitem").filter(has_text=TITLE).get_by_role("link", name=re.compile("^Op de agenda zetten")).click()
    lead.get_by_label("Adviesvraag").fill("Leggen we een moestuin aan op de speelplaats?")
    lead.get_by_label("Advies geven kan tot en met").fill((today() + timedelta(days=7)).isoformat())
    lead.get_by_role("button", name="Voorleggen aan het forum").click()
    expect(lead.get_by_role("status")).to_contain_text("Voorgelegd aan het forum.")
    round_url = lead.url

    # The parent objects for a personal reason: the kind appears once "Bezwaar" is chosen.
    parent = on_phone(new_page, demo, "forum")
    parent.goto(round_url)
    expect(parent.get_by_role("group", name="Wat voor bezwaar?")).to_be_hidden()
    parent.get_by_label("Bezwaar", exact=True).check()
    expect(parent.get_by_role("group", name="Wat voor bezwaar?")).to_be_visible()
    parent.get_by_label(PERSONAL, exact=True).check()
    parent.get_by_label("Je advies en je argumenten").fill("Ik kan in de zomer niet komen gieten.")
    parent.get_by_role("button", name="Advies geven").click()
    expect(parent.get_by_role("status")).to_contain_text("Je advies is opgeslagen.")
    fits_the_screen(parent)

    # A teacher objects on principle, with the keyboard only.
    teacher = new_page()
    login(teacher, teacher_email, demo.password)
    teacher.goto(round_url)
    keyboard_fill(teacher, {"Bezwaar": True, PRINCIPLED: True,
                            "Je advies en je argumenten": "Zonder plan voor de zomer sterft de tuin: dat ondergraaft "
                                                          "onze ambitie van duurzaam leren."},
                  submit="Advies geven")
    expect(teacher.get_by_role("status")).to_contain_text("Je advies is opgeslagen.")

    # The week goes by (the deadline moved into the past in the database).
    advice_round = db.session.scalar(db.select(AdviceRound).where(AdviceRound.subject_title == TITLE))
    advice_round.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()

    # The decision waits for the answer to the principled objection; the personal one does not hold it up.
    lead.goto(round_url)
    expect(lead.get_by_text("Nog 1 principieel bezwaar zonder antwoord")).to_be_visible()
    lead.get_by_label("Aannemen", exact=True).check()
    lead.get_by_label("Motivering").fill("We starten de moestuin met een zomerplan.")
    lead.get_by_role("button", name="Besluit vastleggen").click()
    expect(lead.get_by_role("alert").first).to_contain_text("Reageer eerst op elk principieel bezwaar")
    objection = lead.locator("article", has=lead.get_by_role("heading", name=re.compile("Leen Leerkracht")))
    objection.get_by_label("Wat doen we met dit advies?").fill("Ouders en buren gieten in de zomer volgens een rooster.")
    objection.get_by_role("button", name="Antwoord opslaan").click()
    expect(lead.get_by_role("status")).to_contain_text("Antwoord op het advies van Leen Leerkracht opgeslagen.")
    lead.get_by_label("Aannemen", exact=True).check()
    lead.get_by_label("Motivering").fill("We starten de moestuin met een zomerplan.")
    lead.get_by_role("button", name="Besluit vastleggen").click()
    expect(lead.get_by_role("status")).to_contain_text("Besluit vastgelegd.")
    weighed = lead.get_by_role("region", name=re.compile("^Besluit: Aannemen"))
    expect(weighed.get_by_role("heading", name="Hoe de bezwaren gewogen zijn")).to_be_visible()
    expect(weighed).to_contain_text("Principieel bezwaar")
    expect(weighed).to_contain_text("Persoonlijk bezwaar")
    assert db.session.scalar(db.select(Decision.outcome).where(Decision.round_id == advice_round.id)) == "adopt"

    # At sprint close the review reaches the forum (the scheduler's next sweep).
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == demo.school.id, Sprint.number == 1))
    closer = db.session.get(User, demo.users["flywheel_lead"].id)
    cadence.close_sprint(sprint, {i.id: ("achieved" if i.title == TITLE else "carried_over", "") for i in sprint.initiatives},
                         went_well="Het forum dacht mee.", to_improve="Vroeger plannen.", actions="", summary="",
                         user=closer, confirm_early=True)
    db.session.commit()
    sweep(utcnow() + timedelta(minutes=5))
    parent.goto("/meldingen")
    parent.get_by_role("button", name=re.compile("Sprintreview van sprint 1")).first.click()
    expect(parent.get_by_role("heading", level=1)).to_contain_text("Sprint 1")
    parent.goto("/meldingen")
    expect(parent.get_by_role("main")).to_contain_text("Wat het forum besliste:")
    # The pupil, whose idea it was, hears it is achieved.
    pupil.goto("/meldingen")
    expect(pupil.get_by_role("main")).to_contain_text(f"Bereikt: {TITLE}")
