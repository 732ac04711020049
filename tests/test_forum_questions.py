"""Issue 14.8 and 14.9: the forum can be asked any question; Markdown shows as text where HTML cannot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories_forum import ForumInitiativeFactory, ForumSessionFactory, ForumSprintFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum import services
from warmeveranderen.forum.models import AdviceRound
from warmeveranderen.markdown import excerpt, plain_text
from warmeveranderen.notifications.models import Notification
from warmeveranderen.timeutil import utcnow


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def forum(world):
    world.sprint = ForumSprintFactory(school=world.school, number=1)
    world.session = ForumSessionFactory(school=world.school, sprint=world.sprint)
    return world


def _new_round_url(w) -> str:
    return f"/scholen/{w.school.id}/forum/rondes/nieuw"


def _question(w, **changes) -> dict:
    data = {"subject": "question:new", "title": "Nieuwe speeltijdregeling",
            "question": "Wat vinden jullie van **twee** korte speeltijden?", "background": "- optie A\n- optie B",
            "deadline_day": (date.today() + timedelta(days=5)).isoformat(), "deadline_time": "20:00",
            "session_id": 0}
    data.update(changes)
    return data


def test_the_forum_can_be_asked_any_question(auth, forum):
    w = forum
    lead = auth.client_for(w.users["flywheel_lead"])
    # Nothing is ready for the forum, yet the form offers a question of the flywheel.
    page = lead.get(_new_round_url(w)).get_data(as_text=True)
    assert 'value="question:new"' in page and "Titel van je vraag" in page
    response = lead.post_form(_new_round_url(w), _question(w))
    assert response.status_code == 302, response.get_data(as_text=True)
    advice_round = db.session.scalar(db.select(AdviceRound))
    assert advice_round.subject_kind == "question" and advice_round.subject_id == advice_round.id
    assert advice_round.subject_title == "Nieuwe speeltijdregeling" and "optie A" in advice_round.background
    # A second question can be open at the same time (the round is its own subject).
    assert lead.post_form(_new_round_url(w), _question(w, title="Schooluniform")).status_code == 302
    # The members advise, the flywheel decides after the deadline; the archive keeps the title.
    services.give_advice(advice_round, w.users["pupil"], "support", "Graag.")
    services.decide(advice_round, w.users["flywheel_lead"], "adopt", "**Akkoord** vanaf januari.",
                    now=advice_round.deadline + timedelta(minutes=1))
    db.session.commit()
    archive = lead.get(f"/scholen/{w.school.id}/forum/besluiten").get_data(as_text=True)
    assert "Nieuwe speeltijdregeling" in archive
    # The archive's excerpt of the reasons shows no raw Markdown (14.9).
    assert "**Akkoord**" not in archive and "Akkoord vanaf januari." in archive


def test_a_question_needs_a_title_and_keeps_what_was_typed(auth, forum):
    w = forum
    lead = auth.client_for(w.users["flywheel_lead"])
    response = lead.post_form(_new_round_url(w), _question(w, title="  "))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Geef je vraag een korte titel" in page and "twee** korte speeltijden" in page
    assert db.session.scalar(db.select(db.func.count(AdviceRound.id))) == 0


def test_the_form_does_not_offer_a_subject_that_has_an_open_round(auth, forum):
    w = forum
    initiative = ForumInitiativeFactory(school=w.school, sprint=w.sprint, owner=w.users["flywheel"],
                                        title="Leerteams", status="in_progress")
    services.open_round("initiative", initiative.id, "Vraag?", utcnow() + timedelta(days=2),
                        opened_by=w.users["flywheel_lead"])
    db.session.commit()
    lead = auth.client_for(w.users["flywheel_lead"])
    page = lead.get(_new_round_url(w) + f"?subject_kind=initiative&subject_id={initiative.id}").get_data(as_text=True)
    assert f'value="initiative:{initiative.id}"' not in page


def test_emails_say_what_happened(forum):
    w = forum
    advice_round = services.ask_question(w.school, "Speeltijd", "Wat vinden jullie van **twee** speeltijden?",
                                         utcnow() + timedelta(days=3), opened_by=w.users["flywheel_lead"])
    asked = db.session.scalar(db.select(Notification).where(Notification.user_id == w.users["pupil"].id))
    assert "Wat vinden jullie van twee speeltijden?" in asked.body and "vóór" in asked.body
    services.give_advice(advice_round, w.users["pupil"], "support", "Graag.")
    services.decide(advice_round, w.users["flywheel_lead"], "adopt", "We starten <b>in januari</b>.",
                    now=advice_round.deadline + timedelta(minutes=1))
    told = db.session.scalar(db.select(Notification).where(Notification.user_id == w.users["pupil"].id,
                                                           Notification.title.like("Besluit%")))
    assert "We starten in januari." in told.body and "<b>" not in told.body


def test_labels_do_not_say_markdown(auth, forum):
    w = forum
    advice_round = services.ask_question(w.school, "Speeltijd", "Vraag?", utcnow() + timedelta(days=3),
                                         opened_by=w.users["flywheel_lead"])
    db.session.commit()
    page = auth.client_for(w.users["pupil"]).get(
        f"/scholen/{w.school.id}/forum/rondes/{advice_round.id}").get_data(as_text=True)
    assert "Markdown" not in page
    assert "Opmaak kan: **vet**" in page


def test_plain_text_strips_markdown_and_html():
    assert plain_text("**Vet** en *schuin*\n\n- een\n- twee <script>x()</script>") == "Vet en schuin\n\n- een\n- twee"
    assert plain_text("[site](https://example.be)") == "site (https://example.be)"
    assert plain_text("Tom & Jerry") == "Tom & Jerry"
    assert excerpt("woord " * 100, 30).endswith("…") and len(excerpt("woord " * 100, 30)) <= 31
