"""Shared steps of the journey tests (test_journey_<stage>.py): people of the demo school logging in,
each in their own browser context, and the school's pages they reach by clicking."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import login


def person(new_page, demo, role: str):
    """A new browser context for one demo person, logged in through the real form."""
    page = new_page()
    login(page, demo.users[role].email, demo.password)
    return page


def to_school(page, demo) -> None:
    """From the home page to the demo school's home page, by its link."""
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=demo.school.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.school.name)


# --- what earlier stages left behind, set up through the services ---------------------------
# Each stage's test starts from the demo and sets up what the earlier stages did (those have their
# own browser test), so a stage runs alone and in any order, on any xdist worker.

IDEAS = ("Praatronde bij de start van de week", "Vaste aanspreekpunten op de speelplaats",
         "Intervisie voor klastitularissen")  # the demo backlog: culture, structure, people


def running_sprint_1(demo):
    """Sprint 1 of the demo school started with a goal and the three demo ideas planned; returns it."""
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints import cadence
    from warmeveranderen.sprints import services as sprints
    from warmeveranderen.sprints.models import Initiative, Sprint

    lead = db.session.get(User, demo.users["flywheel_lead"].id)
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == demo.school.id, Sprint.number == 1))
    cadence.set_goal(sprint, "Elke leerling voelt zich welkom bij de start van de dag.", lead)
    for title in IDEAS:
        initiative = db.session.scalar(db.select(Initiative).where(
            Initiative.school_id == demo.school.id, Initiative.title == title))
        sprints.plan_initiative(initiative, sprint, lead)
    cadence.start_sprint(sprint, lead)
    db.session.commit()
    return sprint


def ready_for_forum(demo, title: str) -> None:
    """Move a planned initiative of the demo school on to "in progress" and "ready for the forum"."""
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints import services as sprints
    from warmeveranderen.sprints.models import Initiative

    lead = db.session.get(User, demo.users["flywheel_lead"].id)
    initiative = db.session.scalar(db.select(Initiative).where(
        Initiative.school_id == demo.school.id, Initiative.title == title))
    sprints.move_initiative(initiative, "in_progress", lead)
    sprints.move_initiative(initiative, "ready_for_forum", lead)
    db.session.commit()
