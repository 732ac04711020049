"""Two flywheel members link an initiative to the same ambition at the same moment: one link, and
neither of them gets an error page.

Real requests from threads against PostgreSQL (like tests/test_races.py); a barrier holds both
requests after they read the current vision and before they look at the existing links.
"""

from __future__ import annotations

import threading

import pytest

from tests.factories_sprints import InitiativeFactory
from tests.factories_vision import EndorsementFactory, VisionFactory, VisionVersionFactory
from tests.test_races import _post_at_once
from warmeveranderen.actionplan import services
from warmeveranderen.actionplan.models import VisionLink
from warmeveranderen.extensions import db


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")


def test_simultaneous_links_give_one(postgres, auth, world, monkeypatch):
    EndorsementFactory(version=VisionVersionFactory(vision=VisionFactory(school=world.school), number=1))
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    barrier = threading.Barrier(2)
    targets_of = services.targets_of

    def held(version):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        return targets_of(version)

    monkeypatch.setattr(services, "targets_of", held)
    url = f"/initiatieven/{initiative.id}/visie"
    clients = [auth.client_for(world.users[k]) for k in ("flywheel_lead", "flywheel")]
    posts = [(c, url, {"csrf_token": c.csrf_token(), "targets": ["ambition:Een warm onthaal elke maandag"]})
             for c in clients]
    responses = _post_at_once(posts)
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(VisionLink.id))) == 1
