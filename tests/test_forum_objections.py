"""Objections as seed 001 describes them: a forum member chooses *principieel* (the proposal harms the
school's aim or vision) or *persoonlijk*; every objection gets an answer, only principled ones stop the
decision until answered, and the decision shows how each objection was weighed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories_forum import AdviceFactory, AdviceRoundFactory, ForumInitiativeFactory, ForumSprintFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum import queries, services
from warmeveranderen.forum.models import Advice, AdviceRound, Decision
from warmeveranderen.timeutil import utcnow


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def round_(world):
    sprint = ForumSprintFactory(school=world.school, number=1)
    initiative = ForumInitiativeFactory(school=world.school, sprint=sprint, owner=world.users["flywheel"],
                                        title="Praatronde op maandag")
    world.round = AdviceRoundFactory(school=world.school, subject_id=initiative.id, subject_title=initiative.title)
    return world


def _url(w) -> str:
    return f"/scholen/{w.school.id}/forum/rondes/{w.round.id}"


def _close(w) -> None:
    db.session.execute(db.update(AdviceRound).where(AdviceRound.id == w.round.id)
                       .values(deadline=utcnow() - timedelta(minutes=1)))
    db.session.commit()


def test_the_form_explains_both_kinds_in_one_line(auth, round_):
    page = auth.client_for(round_.users["forum"]).get(_url(round_)).get_data(as_text=True)
    assert "Wat voor bezwaar?" in page
    assert "Principieel: het voorstel schaadt het doel of de visie van de school." in page
    assert "Persoonlijk: het voorstel past jou niet." in page
    assert 'data-show-when="stance=objection"' in page and "js/show-when.js" in page


def test_an_objection_needs_its_kind_and_keeps_what_was_typed(auth, round_):
    parent = auth.client_for(round_.users["forum"])
    response = parent.post_form(_url(round_) + "/advies", {"stance": "objection", "reasoning": "Te vroeg op maandag."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies wat voor bezwaar je hebt" in page and "Te vroeg op maandag." in page
    assert db.session.scalars(db.select(Advice)).all() == []
    bad = parent.post_form(_url(round_) + "/advies", {"stance": "objection", "objection_kind": "groot",
                                                      "reasoning": "Te vroeg."})
    assert bad.status_code == 422


def test_the_kind_is_kept_and_dropped_when_the_stance_changes(auth, round_):
    parent = auth.client_for(round_.users["forum"])
    assert parent.post_form(_url(round_) + "/advies", {"stance": "objection", "objection_kind": "personal",
                                                      "reasoning": "Ik breng dan mijn kind later."}).status_code == 302
    advice = db.session.scalars(db.select(Advice)).one()
    assert (advice.stance, advice.objection_kind) == ("objection", "personal")
    page = parent.get(_url(round_)).get_data(as_text=True)
    assert "Persoonlijk bezwaar" in page
    # A kind sent with another stance is ignored (without JavaScript the field is always on the form).
    assert parent.post_form(_url(round_) + "/advies", {"stance": "concerns", "objection_kind": "principled",
                                                      "reasoning": "Toch liever later."}).status_code == 302
    db.session.expire_all()
    advice = db.session.scalars(db.select(Advice)).one()
    assert (advice.stance, advice.objection_kind) == ("concerns", None)


def test_only_a_principled_objection_stops_the_decision(auth, round_):
    w = round_
    auth.client_for(w.users["forum"]).post_form(_url(w) + "/advies", {
        "stance": "objection", "objection_kind": "personal", "reasoning": "Ik werk op maandag vroeg."})
    auth.client_for(w.users["pupil"]).post_form(_url(w) + "/advies", {
        "stance": "objection", "objection_kind": "principled",
        "reasoning": "Leerlingen krijgen geen stem: dat schaadt onze visie op participatie."})
    _close(w)
    lead = auth.client_for(w.users["flywheel_lead"])
    page = lead.get(_url(w)).get_data(as_text=True)
    assert "Nog 1 principieel bezwaar zonder antwoord" in page
    assert "Nog 1 persoonlijk bezwaar zonder antwoord" in page
    refused = lead.post_form(_url(w) + "/besluit", {"outcome": "adjust", "reasons": "We sturen bij."})
    assert refused.status_code == 422
    assert "Reageer eerst op elk principieel bezwaar: nog 1 zonder antwoord (Pupil)" in refused.get_data(as_text=True)
    assert db.session.scalars(db.select(Decision)).all() == []

    principled = db.session.scalar(db.select(Advice).where(Advice.author_id == w.users["pupil"].id))
    assert lead.post_form(_url(w) + f"/advies/{principled.id}/antwoord", {
        f"r{principled.id}-body": "Elke klas kiest zelf het onderwerp van de praatronde."}).status_code == 302
    # The personal objection is still unanswered: it does not stop the decision.
    assert len(queries.unanswered_objections(db.session.get(AdviceRound, w.round.id))) == 1
    assert lead.post_form(_url(w) + "/besluit", {"outcome": "adjust", "reasons": "We sturen bij."}).status_code == 302
    decision = db.session.scalars(db.select(Decision)).one()
    assert decision.outcome == "adjust"

    page = auth.client_for(w.users["board"]).get(_url(w)).get_data(as_text=True)
    weighed = page[page.index("Hoe de bezwaren gewogen zijn"):page.index("Advies van het forum")]
    assert "Principieel bezwaar" in weighed and "Elke klas kiest zelf het onderwerp" in weighed
    assert "Persoonlijk bezwaar" in weighed and "een persoonlijk bezwaar houdt het besluit niet tegen" in weighed


def test_every_objection_can_be_answered(round_):
    w = round_
    personal = AdviceFactory(round=w.round, author=w.users["forum"], stance="objection", objection_kind="personal",
                             reasoning="Niet voor mij.")
    _close(w)
    services.respond(personal, w.users["flywheel_lead"], "We zoeken samen een ander moment voor jou.")
    db.session.commit()
    assert personal.response.body.startswith("We zoeken samen")


def test_the_database_keeps_kind_and_stance_together(round_):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Advice(round_id=round_.round.id, author_id=round_.users["forum"].id, stance="support",
                          objection_kind="principled"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Advice(round_id=round_.round.id, author_id=round_.users["forum"].id, stance="objection"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_after_the_decision_an_unanswered_objection_still_gets_its_answer(auth, round_):
    w = round_
    personal = AdviceFactory(round=w.round, author=w.users["forum"], stance="objection", objection_kind="personal",
                             reasoning="Niet voor mij.")
    support = AdviceFactory(round=w.round, author=w.users["pupil"], stance="support")
    _close(w)
    lead = auth.client_for(w.users["flywheel_lead"])
    assert lead.post_form(_url(w) + "/besluit", {"outcome": "adopt", "reasons": "We doen het."}).status_code == 302
    page = lead.get(_url(w)).get_data(as_text=True)
    assert f"/advies/{personal.id}/antwoord" in page and f"/advies/{support.id}/antwoord" not in page
    assert lead.post_form(_url(w) + f"/advies/{personal.id}/antwoord",
                          {f"r{personal.id}-body": "We zoeken samen een oplossing."}).status_code == 302
    # Once answered after the decision, the answer is fixed like every other.
    again = lead.post_form(_url(w) + f"/advies/{personal.id}/antwoord", {f"r{personal.id}-body": "Toch anders."})
    assert again.status_code == 422 and "de antwoorden liggen vast" in again.get_data(as_text=True)
    refused = lead.post_form(_url(w) + f"/advies/{support.id}/antwoord", {f"r{support.id}-body": "Dank je."})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Advice, personal.id).response.body == "We zoeken samen een oplossing."
