"""The vision's versions as a forum subject: putting a version to the forum, its advice, endorsement after it."""

from datetime import timedelta

import pytest

from tests.factories_vision import VisionFactory, VisionVersionFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum import queries as forum_queries
from warmeveranderen.forum import services as forum
from warmeveranderen.forum.subjects import subject_kind
from warmeveranderen.timeutil import today, utcnow
from warmeveranderen.vision.forum_link import KIND
from warmeveranderen.vision.models import Endorsement, VisionVersion


@pytest.fixture
def in_request(app):
    with app.test_request_context():
        yield


@pytest.fixture
def version(world):
    return VisionVersionFactory(vision=VisionFactory(school=world.school), number=1, published_by=world.users["flywheel"])


def test_vision_versions_are_a_forum_subject(world, version, in_request):
    kind = subject_kind(KIND)
    assert kind is not None
    loaded = kind.loader(version.id)
    assert kind.school(loaded).id == world.school.id
    assert kind.title(loaded) == "Visie, versie 1"
    assert kind.url(loaded) == f"/scholen/{world.school.id}/visie/versies/1"
    assert [s.id for s in kind.candidates(world.school)] == [version.id]
    # The forum's agenda offers the newest unendorsed version.
    assert (KIND, version.id) in {(k, s.id) for k, s, _t in forum_queries.agenda_candidates(world.school)}


def test_put_to_the_forum_and_show_the_advice_on_the_version(world, auth, version, in_request):
    school = world.school
    fly = auth.client_for(world.users["flywheel"])
    page = fly.get(f"/scholen/{school.id}/visie/versies/1").get_data(as_text=True)
    link = f"/scholen/{school.id}/forum/rondes/nieuw?subject_kind={KIND}&amp;subject_id={version.id}"
    assert "Voorleggen aan het forum" in page and link in page
    # The forum's own form offers the version, preselected.
    form = fly.get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and f'<option selected value="{KIND}:{version.id}">' in form.get_data(as_text=True)

    advice_round = forum.open_round(
        KIND, version.id, "Is deze visie herkenbaar voor jullie?", utcnow() + timedelta(days=7),
        opened_by=world.users["flywheel"],
    )
    forum.give_advice(advice_round, world.users["forum"], "concerns", "Meer aandacht voor de **ouders**.")
    forum.give_advice(advice_round, world.users["pupil"], "support", "Goed zo.")
    db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)

    reader = auth.client_for(world.users["director"])
    html = reader.get(f"/scholen/{school.id}/visie/versies/1").get_data(as_text=True)
    assert "Is deze visie herkenbaar voor jullie?" in html
    assert "<strong>ouders</strong>" in html and "Steun met bedenkingen" in html and "Goed zo." in html
    assert f"/scholen/{school.id}/forum/rondes/{advice_round.id}" in html
    # While the round runs, the version is not offered again.
    assert "Voorleggen aan het forum" not in fly.get(f"/scholen/{school.id}/visie/versies/1").get_data(as_text=True)
    assert auth.client_for(world.users["outsider"]).get(f"/scholen/{school.id}/visie/versies/1").status_code == 403


def test_an_older_version_cannot_be_put_to_the_forum(world, version, in_request):
    VisionVersionFactory(vision=version.vision, number=2)
    with pytest.raises(forum.ForumError, match="nieuwere versie"):
        forum.open_round(KIND, version.id, "Advies?", utcnow() + timedelta(days=7), opened_by=world.users["flywheel"])


def test_endorsement_after_the_round_refers_to_it(world, auth, version, in_request):
    school = world.school
    past = utcnow() - timedelta(days=10)
    advice_round = forum.open_round(
        KIND, version.id, "Kloppen jullie deze visie af?", utcnow() - timedelta(days=1),
        opened_by=world.users["flywheel"], now=past,
    )
    forum.give_advice(advice_round, world.users["forum"], "support", "Ja.", now=past + timedelta(days=1))
    db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
    fly = auth.client_for(world.users["flywheel"])
    home = fly.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Leg de endorsement vast: het forum gaf advies over versie 1." in home

    page = fly.get(f"/scholen/{school.id}/visie/versies/1/endorsement").get_data(as_text=True)
    assert "Kloppen jullie deze visie af?" in page
    assert f'<option selected value="{advice_round.id}">' in page
    response = fly.post_form(
        f"/scholen/{school.id}/visie/versies/1/endorsement",
        {"groups": ["parent", "staff"], "endorsed_on": today().isoformat(), "changes": "",
         "advice_round_id": str(advice_round.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    endorsement = db.session.scalar(db.select(Endorsement))
    assert endorsement.advice_round_id == advice_round.id
    current = fly.get(f"/scholen/{school.id}/visie/huidig").get_data(as_text=True)
    assert f"/scholen/{school.id}/forum/rondes/{advice_round.id}" in current
    assert "Leg de endorsement vast" not in fly.get(f"/scholen/{school.id}").get_data(as_text=True)


def test_endorsement_refuses_a_round_about_something_else(world, auth, version, in_request):
    from warmeveranderen.vision import services

    other = VisionVersionFactory(vision=version.vision, number=2)
    advice_round = forum.open_round(KIND, other.id, "Advies?", utcnow() + timedelta(days=3), opened_by=world.users["flywheel"])
    db.session.commit()  # services flush; the test's setup is its own unit of work
    with pytest.raises(services.VisionError, match="niet over versie 1"):
        services.record_endorsement(
            db.session.get(VisionVersion, version.id), world.users["flywheel"], ["staff"], today(), "", advice_round
        )
    # Through the form, a round of another version is not even a choice.
    response = auth.client_for(world.users["flywheel"]).post_form(
        f"/scholen/{world.school.id}/visie/versies/1/endorsement",
        {"groups": ["staff"], "endorsed_on": today().isoformat(), "advice_round_id": str(advice_round.id)},
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Endorsement.id))) == 0
