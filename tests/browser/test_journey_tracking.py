"""Stages 7 and 8 of the journey: the adviser follows the school up, and the programme report shows it.

Stage 7: the adviser logs a collective session of the learning network and an individual session
of the demo school, and rates the nine indicators (the demo school has no ratings yet).
Stage 8: with that follow-up in place (set up through the services; stage 7 has its own test), the
coordinator finds the demo school's session and scores in the programme's follow-up and report."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import services as tracking
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating

# The radio chosen for indicator n, after the first one ("Niet scoren"): the highest level for 1-3,
# the second for 4-6, the third for 7-9.
LEVEL_INDEX = {n: 1 + (n - 1) // 3 for n in range(1, 10)}


def log_session(page, link: str, participants: str, summary: str) -> None:
    page.get_by_role("link", name=link).first.click()
    page.get_by_label("Datum").fill(today().isoformat())
    page.get_by_label("Duur (minuten)").fill("90")
    page.get_by_label("Adviseur(s)").select_option(label="Adam Adviseur")
    page.get_by_label("Deelnemers").fill(participants)
    page.get_by_label("Korte samenvatting voor de school").fill(summary)
    page.get_by_role("button", name="Sessie opslaan").click()


@pytest.mark.browser
def test_adviser_logs_sessions_and_rates_the_nine_indicators(new_page, demo):
    adviser = person(new_page, demo, "adviser")
    to_school(adviser, demo)
    adviser.get_by_role("link", name="Naar de voortgang").click()
    progress = adviser.url

    log_session(adviser, "Collectieve sessie loggen", "trekkers van het netwerk (9)", "Netwerkdag: het eerste forum.")
    expect(adviser.get_by_role("status")).to_contain_text("opgeslagen")
    adviser.goto(progress)
    log_session(adviser, "Individuele sessie loggen", "vliegwiel (5)", "Sprintreview van sprint 1 begeleid.")
    expect(adviser.get_by_role("status")).to_contain_text("De individuele sessie is opgeslagen.")

    adviser.goto(progress)
    adviser.get_by_role("link", name="Indicatoren scoren").click()
    for number, index in LEVEL_INDEX.items():
        indicator = adviser.get_by_role("group", name=re.compile(f"^Indicator {number}:"))
        indicator.get_by_role("radio").nth(index).check()
    adviser.get_by_label("Opmerking").first.fill("Het vliegwiel draait; de trekker zit nu voor.")
    adviser.get_by_role("button", name="Scores opslaan").click()
    expect(adviser.get_by_role("status")).to_contain_text(f"De scores voor {demo.school.name} zijn opgeslagen.")

    ratings = db.session.scalars(db.select(IndicatorRating).where(IndicatorRating.school_id == demo.school.id)).all()
    assert len(ratings) == 9
    kinds = {s.kind for s in db.session.scalars(db.select(CoachingSession).where(
        CoachingSession.summary.in_(("Netwerkdag: het eerste forum.", "Sprintreview van sprint 1 begeleid."))))}
    assert kinds == {"collective", "individual"}


@pytest.mark.browser
def test_the_programme_report_shows_the_follow_up(new_page, demo):
    school = db.session.get(School, demo.school.id)
    adviser = db.session.get(User, demo.users["adviser"].id)
    tracking.log_session({"held_on": today(), "duration_minutes": 60, "participants": "vliegwiel (5)",
                          "summary": "Sprintreview begeleid.", "notes": "", "advisers": [adviser]},
                         author=adviser, school=school)
    tracking.rate_indicators(school, adviser, today(),
                             [tracking.RatingEntry(number=n, level="realised") for n in range(1, 10)])
    db.session.commit()  # what the request would commit: the browser's requests read it
    individual = db.session.scalar(db.select(db.func.count(CoachingSession.id)).where(
        CoachingSession.school_id == demo.school.id, CoachingSession.kind == "individual"))

    coordinator = person(new_page, demo, "coordinator")
    # The follow-up matrix: the demo school's row carries its nine scores.
    coordinator.get_by_role("navigation").get_by_role("link", name="Opvolging").click()
    coordinator.get_by_label("Lerend netwerk").select_option(label=demo.network.name)
    coordinator.get_by_role("button", name="Filteren").click()
    row = coordinator.get_by_role("row", name=re.compile(f"^{re.escape(demo.school.name)}"))
    expect(row).to_contain_text("Gerealiseerd")

    # The report: the school's individual sessions, and indicator 1 with at least one school realised.
    coordinator.get_by_role("navigation").get_by_role("link", name="Rapport").click()
    sessions = coordinator.get_by_role("table", name=re.compile("^Aantal collectieve sessies"))
    expect(sessions.get_by_role("row", name=re.compile(f"^{re.escape(demo.school.name)}"))).to_contain_text(str(individual))
    indicators = coordinator.get_by_role("table", name=re.compile("^Aantal scholen per niveau"))
    expect(indicators.get_by_role("row", name=re.compile("^1\\. "))).to_be_visible()
