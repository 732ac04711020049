"""A change of one kind renders again only the parts that read that kind (pagecache.py, reads.py,
issue 24): the first request after it reads what changed, not the whole page, and every page shows
exactly what a page rendered afresh shows.

On the benchmark filler's school (three years of journey: every panel, step and section has rows).
Each change is committed as a request commits it (the unit of work raises the school's version and the
versions of the tables that changed); the next request of each viewer is compared with a render of the
same page with the part cache switched off.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from benchmarks import fill
from tests.factories_forum import AdviceFactory
from tests.factories_ideas import IdeaFactory
from tests.factories_tracking import CoachingSessionFactory, IndicatorRatingFactory
from tests.test_pagecache import CSRF
from tests.test_queries import counting
from warmeveranderen import pagecache
from warmeveranderen.accounts.models import User
from warmeveranderen.actionplan.models import Task as ActionTask
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Advice, AdviceRound
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.tracking import services as tracking

VIEWS = [("director", "/scholen/{id}"), ("flywheel_lead", "/scholen/{id}"), ("adviser", "/scholen/{id}/voortgang")]
# The first request after one of these reads at most this many statements (the fast path's check, the
# person, the school's table versions, and what the parts that read the changed kind read again).
# Rendered afresh the school home reads 19 and the progress page 26 (tests/test_cold_reads.py).
AFTER_ONE_KIND = 12


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    from datetime import datetime

    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))


@pytest.fixture
def bench(app):
    fill.build(db.session, 2, random.Random(2026), log=lambda *_args: None)
    fill.reset_sequences(db.session)  # PostgreSQL: new rows after the filler's explicit ids
    db.session.commit()
    school = db.session.get(School, db.session.scalar(db.select(db.func.min(School.id))))
    clients = {}
    for role, _path in VIEWS:
        client = app.test_client()
        assert client.post_form("/inloggen", {"email": fill.ACCOUNTS[role], "password": fill.PASSWORD}).status_code == 302
        clients[role] = client
    return school, clients


def _user(role: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == fill.ACCOUNTS[role]))


def give_advice(school):
    round_ = db.session.scalar(db.select(AdviceRound).where(AdviceRound.school_id == school.id)
                               .order_by(AdviceRound.id.desc()))
    advised = set(db.session.scalars(db.select(Advice.author_id).where(Advice.round_id == round_.id)))
    author = next(u for u in (_user(r) for r in ("forum", "director", "flywheel_lead")) if u.id not in advised)
    AdviceFactory(round=round_, author=author, stance="support", reasoning="Een advies uit de test.")


def add_idea(school):
    IdeaFactory(school=school, author=_user("flywheel_lead"), title="Een idee uit de test")


def finish_a_task(school):
    task = db.session.scalar(db.select(ActionTask).where(ActionTask.school_id == school.id,
                                                         ActionTask.done.is_(False)).order_by(ActionTask.id))
    task.done = True


def rate_an_indicator(school):
    IndicatorRatingFactory(school=school, indicator=tracking.indicators()[0], rated_by=_user("adviser"),
                           measured_on=date(2026, 11, 30), school_year="2026-2027", level="realised")


def log_a_session(school):
    CoachingSessionFactory(school=school, held_on=date(2026, 11, 30), summary="Een sessie uit de test.")


def rename_an_initiative(school):
    initiative = db.session.scalar(db.select(Initiative).where(Initiative.school_id == school.id)
                                   .order_by(Initiative.sprint_id.desc().nulls_last(), Initiative.id))
    initiative.title = "Een nieuwe naam uit de test"


CHANGES = [give_advice, add_idea, finish_a_task, rate_an_indicator, log_a_session, rename_an_initiative]


def _normal(html: str) -> str:
    return CSRF.sub(lambda m: "".join(g or "" for g in m.groups() if g and not g.isalnum()) + "CSRF", html)


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_after_a_change_of_one_kind_each_page_is_what_a_fresh_render_shows_and_reads_little(app, bench, change,
                                                                                              monkeypatch):
    school, clients = bench
    for role, path in VIEWS:
        clients[role].get(path.format(id=school.id))
        assert "miss" not in clients[role].get(path.format(id=school.id)).headers["X-Part-Cache"]
    change(school)
    db.session.commit()
    for role, path in VIEWS:
        address = path.format(id=school.id)
        with counting() as sent:
            after = clients[role].get(address)
        assert after.status_code == 200
        assert len(sent) <= AFTER_ONE_KIND, (role, address, after.headers["X-Part-Cache"],
                                             [" ".join(s.split())[:120] for s in sent])
        assert "hit" in after.headers["X-Part-Cache"]  # the parts that did not read it were kept
        monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)
        fresh = clients[role].get(address)
        monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 60)
        assert _normal(after.get_data(as_text=True)) == _normal(fresh.get_data(as_text=True)), (role, address)


def test_a_change_of_the_programme_renders_every_part_again(app, bench):
    school, clients = bench
    address = f"/scholen/{school.id}"
    clients["director"].get(address)
    _user("director").name = "Directie met een nieuwe naam"  # a person's name: the programme's version
    db.session.commit()
    parts = clients["director"].get(address).headers["X-Part-Cache"]
    assert "hit" not in parts and "Directie met een nieuwe naam" in clients["director"].get(address).get_data(
        as_text=True)


# --- what a part gets without a statement of its own ---------------------------------------------------------

@pytest.fixture
def three_panels(app, monkeypatch):
    """Three panels on the school home. The first reads an initiative, and a sprint with its initiatives,
    with statements of its own, and keeps them for the request (as a value kept with memo.per_request
    keeps its objects). The second gets the initiative by its primary key: from the identity map, without
    a statement. The third gets the sprint the same way and follows its initiatives, which the first
    loaded: no statement either."""
    from jinja2 import ChoiceLoader, DictLoader
    from sqlalchemy.orm import selectinload

    from warmeveranderen import parts
    from warmeveranderen.sprints.models import Sprint

    picked = {}

    def first(_user, _school):
        initiative = db.session.scalar(db.select(Initiative).where(Initiative.id == picked["initiative"]))
        sprint = db.session.scalar(db.select(Sprint).where(Sprint.id == picked["sprint"])
                                   .options(selectinload(Sprint.initiatives)))
        picked["kept"] = (initiative, sprint)
        return {"title": initiative.title, "count": len(sprint.initiatives)}

    def second(_user, _school):
        return {"title": db.session.get(Initiative, picked["initiative"]).title}

    def third(_user, _school):
        return {"count": len(db.session.get(Sprint, picked["sprint"]).initiatives)}

    templates = {"test/first.html": "<p>first: {{ panel.title }} ({{ panel.count }})</p>",
                 "test/second.html": "<p>second: {{ panel.title }}</p>",
                 "test/third.html": "<p>third: {{ panel.count }}</p>"}
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(templates), app.jinja_env.loader]))
    monkeypatch.setattr(parts, "PANELS", [(1, "test/first.html", first), (2, "test/second.html", second),
                                          (3, "test/third.html", third)])
    return picked


def test_a_part_that_reuses_what_another_part_loaded_follows_its_changes(app, bench, three_panels):
    from warmeveranderen.sprints.models import Sprint

    school, clients = bench
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == school.id, Sprint.initiatives.any())
                               .order_by(Sprint.id.desc()))
    three_panels.update(sprint=sprint.id, initiative=sprint.initiatives[0].id)
    count = len(sprint.initiatives)
    client, address = clients["director"], f"/scholen/{school.id}"
    with counting() as sent:
        client.get(address)
    # The first panel's statements; the second and third read neither again.
    assert len([s for s in sent if "WHERE initiatives.id = " in s]) == 1
    assert len([s for s in sent if "WHERE sprints.id = " in s]) == 1
    # An object by its primary key, from the identity map: the second panel follows a rename.
    db.session.get(Initiative, three_panels["initiative"]).title = "Hernoemd in de test"
    db.session.commit()
    html = client.get(address).get_data(as_text=True)
    assert "first: Hernoemd in de test" in html and "second: Hernoemd in de test" in html
    # A collection the first panel loaded: the third panel follows a new initiative in the sprint.
    db.session.add(Initiative(school_id=school.id, sprint_id=sprint.id, title="Nieuw in de sprint",
                              building_block="culture", created_by_id=_user("flywheel_lead").id))
    db.session.commit()
    html = client.get(address).get_data(as_text=True)
    assert f"first: Hernoemd in de test ({count + 1})" in html and f"third: {count + 1}" in html


def test_advice_given_through_the_form_shows_on_the_directors_next_request(app, bench):
    """As a forum member would: the advice form posted with its CSRF token; the director's next school
    home reads little and shows what a render without the cache shows."""
    from warmeveranderen.timeutil import utcnow

    school, clients = bench
    round_ = db.session.scalar(db.select(AdviceRound).where(AdviceRound.school_id == school.id,
                                                           AdviceRound.deadline > utcnow())
                               .order_by(AdviceRound.id.desc()))
    assert round_ is not None, "the filler leaves an open round"
    address = f"/scholen/{school.id}"
    clients["director"].get(address)
    forum = app.test_client()
    assert forum.post_form("/inloggen", {"email": fill.ACCOUNTS["forum"], "password": fill.PASSWORD}).status_code == 302
    posted = forum.post_form(f"/scholen/{school.id}/forum/rondes/{round_.id}/advies",
                             {"stance": "support", "reasoning": "Advies via het formulier, uit de test."})
    assert posted.status_code == 302, posted.get_data(as_text=True)[:500]
    with counting() as sent:
        after = clients["director"].get(address)
    assert len(sent) <= AFTER_ONE_KIND and "hit" in after.headers["X-Part-Cache"]
    assert "panel:forum/_panel.html=miss" in after.headers["X-Part-Cache"]
    app.config["PART_CACHE_SECONDS"] = 0
    try:
        fresh = clients["director"].get(address)
    finally:
        app.config["PART_CACHE_SECONDS"] = 60
    assert _normal(after.get_data(as_text=True)) == _normal(fresh.get_data(as_text=True))
