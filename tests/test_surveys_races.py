"""Two answers at the same moment (real concurrent requests on PostgreSQL): a single-use link is used
once, and the last place of a survey goes to one of them. A barrier holds both requests after the
form's checks and before the conditional update, so the race happens every time."""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.factories_surveys import open_survey
from tests.test_races import _post_at_once
from warmeveranderen.extensions import db
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys.models import Survey, SurveyInvite


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")


def _hold(monkeypatch, name):
    barrier = threading.Barrier(2)
    original = getattr(services, name)

    def held(*args, **kwargs):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, held)


def _two_posts(app, path, survey):
    question = queries.questions_to_answer(survey)[0]
    clients = [app.test_client() for _ in range(2)]
    return _post_at_once([(c, path, {"csrf_token": c.csrf_token(), f"q{question.id}": "4"}) for c in clients])


def test_one_single_use_link_answered_twice_at_once_counts_once(postgres, app, world, monkeypatch):
    survey = open_survey(world.school, shared=False)
    token = secrets.token_urlsafe(24)
    db.session.add(SurveyInvite(survey_id=survey.id, token_hash=services.token_hash(token)))
    db.session.commit()
    _hold(monkeypatch, "_claim_invite")
    responses = _two_posts(app, f"/bevraging/{token}", survey)
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 422], responses
    db.session.expire_all()
    assert queries.response_total(survey.id) == 1
    assert db.session.get(Survey, survey.id).response_count == 1


def test_the_last_place_goes_to_one_answer(postgres, app, world, monkeypatch):
    survey = open_survey(world.school, max_responses=1)
    _hold(monkeypatch, "_claim_place")
    responses = _two_posts(app, f"/bevraging/{survey.shared_token}", survey)
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 422], responses
    db.session.expire_all()
    assert queries.response_total(survey.id) == 1
