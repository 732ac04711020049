"""Star cases: a school documents a case from its own sprint history (never individual advice or
the adviser's remarks), submits it, the coordinator publishes it to the programme; print and PDF."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories_forum import AdviceFactory, AdviceRoundFactory, DecisionFactory
from tests.factories_networks import StarCaseFactory
from tests.factories_sprints import InitiativeFactory, SprintFactory
from tests.factories_tracking import IndicatorRatingFactory
from warmeveranderen.extensions import db
from warmeveranderen.networks.models_cases import StarCase, StarCaseMoment
from warmeveranderen.notifications.models import Notification
from warmeveranderen.tracking.services import indicators


@pytest.fixture
def history(world):
    """School A's own records: a closed sprint, an initiative, a decision with a piece of advice, a rating."""
    school = world.school
    sprint = SprintFactory(school=school, number=1, state="closed", goal="Iedereen voelt zich welkom.",
                           start_date=date(2025, 9, 1), end_date=date(2025, 11, 9))
    initiative = InitiativeFactory(school=school, title="Buddy's voor nieuwkomers", building_block="people")
    advice_round = AdviceRoundFactory(school=school, subject_title="Buddy's voor nieuwkomers")
    AdviceFactory(round=advice_round, author=world.users["forum"], reasoning="Mijn persoonlijke bezorgdheid X.")
    decision = DecisionFactory(round=advice_round, reasons="We nemen het aan, met een evaluatie na één sprint.")
    rating = IndicatorRatingFactory(school=school, indicator=indicators()[4], level="realised",
                                    remark="Interne opmerking van de adviseur.")
    db.session.commit()
    return {"sprint": f"sprint:{sprint.id}", "initiative": f"initiative:{initiative.id}",
            "decision": f"decision:{decision.id}", "rating": f"rating:{rating.id}"}


def test_issue_story_document_submit_publish(world, auth, history):
    flywheel = auth.client_for(world.users["flywheel"])
    form = flywheel.get(f"/scholen/{world.school.id}/stercasussen/nieuw").get_data(as_text=True)
    assert "Sprint 1" in form and "Buddy&#39;s voor nieuwkomers" in form and "Indicator 5" in form
    response = flywheel.post_form(f"/scholen/{world.school.id}/stercasussen/nieuw", {
        "title": "Een warm onthaal", "result": "Minder **afwezigheden**.", "journey": "Drie sprints lang.",
        "videos": "https://vimeo.com/123", "moments": list(history.values())})
    assert response.status_code == 302
    case = db.session.scalars(db.select(StarCase)).one()
    assert case.state == "draft" and len(case.moments) == 4
    # The adviser of the school co-writes; another school does not see the draft.
    assert auth.client_for(world.users["adviser"]).get(f"/stercasussen/{case.id}/bewerken").status_code == 200
    assert auth.client_for(world.users["outsider"]).get(f"/stercasussen/{case.id}").status_code == 403

    page = flywheel.get(response.location).get_data(as_text=True)
    assert "<strong>afwezigheden</strong>" in page and "Iedereen voelt zich welkom." in page
    assert "We nemen het aan" in page and "Aannemen" in page and "Gerealiseerd" in page
    assert "Mijn persoonlijke bezorgdheid" not in page and "Interne opmerking" not in page  # nothing private

    coordinator_user = world.users["coordinator"]
    # A draft is the school's: the coordinator cannot publish it before the school submits it.
    early = auth.client_for(coordinator_user)
    early.post_form(f"/stercasussen/{case.id}/publiceren")
    db.session.expire_all()
    assert db.session.get(StarCase, case.id).state == "draft"
    assert flywheel.post_form(f"/stercasussen/{case.id}/indienen").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == coordinator_user.id,
                                                           Notification.category == "network")) is not None
    assert flywheel.post_form(f"/stercasussen/{case.id}/publiceren").status_code == 403
    coordinator = auth.client_for(coordinator_user)
    assert coordinator.post_form(f"/stercasussen/{case.id}/publiceren").status_code == 302
    db.session.expire_all()
    assert db.session.get(StarCase, case.id).state == "published"
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == world.users["flywheel"].id,
                                                           Notification.category == "network")) is not None
    # Published: every school on the platform reads it; nobody edits it any more.
    outsider = auth.client_for(world.users["outsider"])
    assert outsider.get(f"/stercasussen/{case.id}").status_code == 200
    assert "Een warm onthaal" in outsider.get("/stercasussen").get_data(as_text=True)
    assert flywheel.get(f"/stercasussen/{case.id}/bewerken").status_code == 403
    # Taking it back makes it a draft again.
    assert coordinator.post_form(f"/stercasussen/{case.id}/terugnemen").status_code == 302
    assert outsider.get(f"/stercasussen/{case.id}").status_code == 403


def test_a_timeline_takes_only_the_schools_own_moments(world, auth, history):
    other = InitiativeFactory(school=world.other_school, title="Van een andere school")
    response = auth.client_for(world.users["director"]).post_form(f"/scholen/{world.school.id}/stercasussen/nieuw", {
        "title": "Poging", "moments": [f"initiative:{other.id}"]})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(StarCaseMoment.id))) == 0


def test_submitting_needs_result_and_process(world, auth):
    case = StarCaseFactory(school=world.school, result="", process="")
    db.session.commit()
    auth.client_for(world.users["director"]).post_form(f"/stercasussen/{case.id}/indienen")
    db.session.expire_all()
    assert db.session.get(StarCase, case.id).state == "draft"


def test_printable_and_pdf(world, auth, history):
    case = StarCaseFactory(school=world.school, title="Onze tijdlijn", state="published")
    db.session.add(StarCaseMoment(case=case, kind="sprint", ref_id=int(history["sprint"].split(":")[1])))
    db.session.commit()
    response = auth.client_for(world.users["board"]).get(f"/stercasussen/{case.id}/pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint/Pango not available here")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
