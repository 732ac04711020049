"""Two flywheel members answer the same idea at the same moment: one answer, one initiative.

Real requests from threads against PostgreSQL (like tests/test_races.py); a barrier holds both
requests after the service's own checks and before the write, so the race happens every time.
"""

from __future__ import annotations

import threading

import pytest

from tests.factories_ideas import IdeaFactory
from tests.test_races import _post_at_once
from warmeveranderen.extensions import db
from warmeveranderen.ideas import services
from warmeveranderen.ideas.models import Idea
from warmeveranderen.sprints.models import Initiative


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")


def test_simultaneous_answers_give_one(postgres, auth, world, monkeypatch):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], building_block="culture")
    db.session.commit()
    barrier = threading.Barrier(2)
    claim = services._claim

    def held(*args):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        return claim(*args)

    monkeypatch.setattr(services, "_claim", held)
    url = f"/scholen/{world.school.id}/ideeen/{idea.id}/antwoord"
    clients = [auth.client_for(world.users[k]) for k in ("flywheel_lead", "flywheel")]
    posts = [(c, url, {"csrf_token": c.csrf_token(), "state": "backlog", "reason": "Goed idee."}) for c in clients]
    responses = _post_at_once(posts)
    statuses = sorted(getattr(r, "status_code", r) for r in responses)
    assert statuses == [302, 422], statuses
    refused = next(r for r in responses if r.status_code == 422)
    assert "Dit idee heeft al een antwoord." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 1
    assert db.session.get(Idea, idea.id).state == "backlog"


def test_a_double_click_on_volgen_follows_once(postgres, auth, world, monkeypatch):
    """Two tabs of one person press *Volgen* at the same moment: one follow, both requests succeed."""
    from tests.factories_forum import ForumInitiativeFactory
    from warmeveranderen.ideas import following
    from warmeveranderen.ideas.models import InitiativeFollow

    initiative = ForumInitiativeFactory(school=world.school, owner=world.users["flywheel"])
    db.session.commit()
    barrier = threading.Barrier(2)
    follow_of = following.follow_of

    def held(*args):
        found = follow_of(*args)
        if found is None:  # both requests saw no follow yet; now they write at the same moment
            try:
                barrier.wait(10)
            except threading.BrokenBarrierError:
                pass
        return found

    monkeypatch.setattr(following, "follow_of", held)
    url = f"/scholen/{world.school.id}/ideeen/initiatieven/{initiative.id}/volgen"
    clients = [auth.client_for(world.users["pupil"]) for _ in range(2)]
    responses = _post_at_once([(c, url, {"csrf_token": c.csrf_token()}) for c in clients])
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(InitiativeFollow.id))) == 1
