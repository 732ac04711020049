"""Two people put the same library item on their school's backlog at the same moment: one initiative,
one use; the coordinator publishes a star case twice at once: one publication, one notification each.

Real requests from threads against PostgreSQL (like tests/test_races.py); a barrier holds both requests
after the service's own checks and before the write, so the race happens every time.
"""

from __future__ import annotations

import threading

import pytest

from tests.factories import UserFactory
from tests.factories_networks import LibraryItemFactory, StarCaseFactory
from tests.test_races import _post_at_once
from warmeveranderen.extensions import db
from warmeveranderen.networks.models import LibraryUse
from warmeveranderen.networks.models_cases import StarCase
from warmeveranderen.notifications.models import Notification
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.models import Initiative


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")


def _held(monkeypatch, module, name):
    barrier = threading.Barrier(2)
    original = getattr(module, name)

    def held(*args, **kwargs):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


def test_simultaneous_adoptions_give_one(postgres, auth, world, monkeypatch):
    item = LibraryItemFactory(school=world.school, shared_by=world.users["director"])
    db.session.commit()
    _held(monkeypatch, sprints, "create_initiative")
    url = f"/kennisbank/{item.id}/naar-backlog/{world.school.id}"
    clients = [auth.client_for(world.users[k]) for k in ("flywheel_lead", "flywheel")]
    responses = _post_at_once([(c, url, {"csrf_token": c.csrf_token()}) for c in clients])
    assert all(getattr(r, "status_code", r) == 302 for r in responses), responses
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(LibraryUse.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Initiative.id))) == 1


def test_simultaneous_publications_give_one(postgres, auth, world, monkeypatch):
    from warmeveranderen.networks import services_cases

    case = StarCaseFactory(school=world.school, state="submitted")
    second = UserFactory(is_coordinator=True)
    db.session.commit()
    _held(monkeypatch, services_cases, "update")
    url = f"/stercasussen/{case.id}/publiceren"
    clients = [auth.client_for(world.users["coordinator"]), auth.client_for(second)]
    responses = _post_at_once([(c, url, {"csrf_token": c.csrf_token()}) for c in clients])
    assert all(getattr(r, "status_code", r) == 302 for r in responses), responses
    db.session.expire_all()
    assert db.session.get(StarCase, case.id).state == "published"
    told = db.session.scalars(db.select(Notification).where(Notification.user_id == world.users["director"].id)).all()
    assert len(told) == 1
