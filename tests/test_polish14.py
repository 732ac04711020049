"""Issue 14, the polish: wording, numbers and small traps that decide whether the app feels finished."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories_forum import ForumSprintFactory
from tests.factories_intake import make_agreement
from tests.factories_sprints import BasketItemFactory, SprintFactory
from tests.factories_tracking import CoachingSessionFactory
from tests.factories_vision import AmoreScoreFactory, VisionVersionFactory
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_number
from warmeveranderen.notifications.models import Notification
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.programme import people
from warmeveranderen.sprints.models import FlywheelMeeting, Initiative
from warmeveranderen.vision.queries import amore_summary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


def test_an_invitation_names_the_person_as_forumlid(world, outbox):
    people.invite(email="nieuw@example.org", name="Nina Nieuw", role="forum", invited_by=world.users["flywheel_lead"],
                  school=world.school, stakeholder_group="parent")
    db.session.commit()
    body = outbox()[-1].get_body(("plain",)).get_content()
    assert "als forumlid." in body and "als forum." not in body


def test_numbers_have_a_decimal_comma_and_no_spurious_decimal():
    assert format_number(10.0) == "10"
    assert format_number(3.5) == "3,5" and format_number(1234.5) == "1.234,5"
    assert format_number(12) == "12" and format_number(None) == ""


def test_amore_averages_are_shown_with_a_decimal_comma(auth, world):
    version = VisionVersionFactory(vision__school=world.school)
    for user, mark in ((world.users["flywheel_lead"], 3), (world.users["flywheel"], 4)):
        AmoreScoreFactory(version=version, user=user, respondent_group="flywheel", ambitious=mark)
    db.session.commit()
    summary = amore_summary(version)
    assert summary.averages["flywheel"]["ambitious"] == 3.5
    page = auth.client_for(world.users["flywheel_lead"]).get(
        f"/scholen/{world.school.id}/visie/versies/{version.number}/amore").get_data(as_text=True)
    assert "3,5" in page and "3.5" not in page


def test_the_progress_page_keeps_spaces_between_sentences(auth, world):
    sprint = SprintFactory(school=world.school, number=1, start_date=date(2026, 9, 7), end_date=date(2026, 11, 15),
                           state="closed", closed_at=datetime(2026, 11, 16, 10))
    for day in (date(2026, 9, 10), date(2026, 9, 20), date(2026, 9, 30)):
        db.session.add(FlywheelMeeting(school_id=world.school.id, sprint_id=sprint.id, held_on=day))
    db.session.commit()
    page = auth.client_for(world.users["adviser"]).get(f"/scholen/{world.school.id}/voortgang").get_data(as_text=True)
    assert "2026. Het vliegwiel kwam laatst samen" in page
    assert ". Gemiddeld om de 10 dagen." in page


def test_the_error_summary_has_no_period_before_the_colon(auth, world):
    make_agreement(world, "awaiting")
    response = auth.client_for(world.users["director"]).post_form(
        f"/scholen/{world.school.id}/intake/ondertekenen", {"password": "fout"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "namens mijn rol: Bevestig" in page and "rol.: " not in page


def test_no_english_heading_and_one_word_for_stakeholder_group():
    version = (ROOT / "templates/vision/version.html").read_text()
    endorse = (ROOT / "templates/vision/endorse.html").read_text()
    assert '_("Endorsement")' not in version + endorse
    templates = "".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    assert "belanghebbendengroep" not in templates and "groep van belanghebbenden" not in templates


def test_flywheel_that_never_met_is_not_told_it_met(world):
    sprint = SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                           goal="Warm onthaal", state="active")
    sweep(datetime(2026, 11, 21, 8))
    titles = db.session.scalars(db.select(Notification.title)).all()
    assert "Het vliegwiel kwam in sprint 1 nog niet samen (gestart op 2 november 2026)" in titles
    assert not any("kwam sinds" in t for t in titles)
    db.session.add(FlywheelMeeting(school_id=world.school.id, sprint_id=sprint.id, held_on=date(2026, 11, 12)))
    db.session.commit()
    sweep(datetime(2026, 11, 27, 8))
    titles = db.session.scalars(db.select(Notification.title)).all()
    assert "Het vliegwiel kwam sinds 12 november 2026 niet meer samen" in titles


def test_the_owner_label_admits_the_director(auth, world):
    page = auth.client_for(world.users["flywheel_lead"]).get(
        f"/scholen/{world.school.id}/initiatieven/nieuw").get_data(as_text=True)
    assert "Eigenaar (vliegwiel of directie)" in page and "Director" in page
    assert "uit het vliegwiel" not in page


def test_coaching_session_heading_agrees(auth, world):
    session = CoachingSessionFactory(school=world.school, kind="individual")
    db.session.commit()
    page = auth.client_for(world.users["adviser"]).get(f"/sessies/{session.id}").get_data(as_text=True)
    assert "Individuele begeleidingssessie van" in page and "Individueel begeleidingssessie" not in page


def test_a_new_network_is_not_named_twice(auth, world):
    response = auth.client_for(world.users["coordinator"]).post_form(
        "/programma/netwerken", {"name": "Lerend netwerk Oostende"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Lerend netwerk Oostende staat nu bij de lerende netwerken." in page
    assert "Lerend netwerk Lerend netwerk" not in page


def test_the_basket_adds_an_item_once(auth, world):
    item = BasketItemFactory(programme=world.school.programme)
    db.session.commit()
    lead = auth.client_for(world.users["flywheel_lead"])
    url = f"/aanbodkorf/{item.id}/naar-backlog/{world.school.id}"
    assert lead.post_form(url, {"owner_id": ""}).status_code == 302
    response = lead.post_form(url, {"owner_id": ""}, follow_redirects=True)
    assert "staat al op de backlog van Warme School A" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 1


def test_long_words_wrap_and_the_board_select_keeps_its_room():
    css = (ROOT / "static/css/app.css").read_text()
    assert "overflow-wrap: anywhere" in css and ".board-move .form-select" in css
    assert "board-move" in (ROOT / "templates/sprints/_board_card.html").read_text()  # the card, since issue 19


def test_a_forum_session_in_the_past_gets_a_remark(auth, world):
    ForumSprintFactory(school=world.school, number=1)
    db.session.commit()
    day = date.today() - timedelta(days=3)
    response = auth.client_for(world.users["flywheel_lead"]).post_form(
        f"/scholen/{world.school.id}/forum/bijeenkomsten/nieuw",
        {"sprint_id": 0, "day": day.isoformat(), "at": "19:00", "location": "Refter", "online_url": "", "notes": ""},
        follow_redirects=True)
    assert "Deze bijeenkomst ligt in het verleden" in response.get_data(as_text=True)
