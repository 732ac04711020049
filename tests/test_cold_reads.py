"""A school's home and its progress page rendered afresh (the first request after a change, when the
part cache misses) read each thing once: no statement is sent twice, their number is bounded, and it
does not grow with the school's history.

On two sets of data where every panel, step and section has rows to read: the benchmark's filler (a
school with three years of journey: agreement, vision versions, sprints, advice rounds, surveys with
pre and post, coaching, evaluations, tasks) and the demo programme's story school.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from benchmarks import fill
from tests.test_queries import counting
from warmeveranderen.demo import load_demo
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School

# (role, page, statements of a fresh render from the person to the last panel). A page the fast path
# had kept reads its state first: one more. Issue #24: with the benchmark's data the director's school
# home read 41 and the adviser's progress page 57 (with that one), each panel reading its own rows.
BENCH_PAGES = [("director", "/scholen/{id}", 18), ("flywheel_lead", "/scholen/{id}", 19),
               ("forum", "/scholen/{id}", 15), ("adviser", "/scholen/{id}", 17),
               ("adviser", "/scholen/{id}/voortgang", 25)]
DEMO_PAGES = [("directeur", "/scholen/{id}", 16), ("trekker", "/scholen/{id}", 16),
              ("adviseur", "/scholen/{id}/voortgang", 20)]


@pytest.fixture
def fresh_renders(app, monkeypatch):
    # Rendered afresh on every request: what the first request after a change costs.
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)

    def statements(email: str, password: str, url: str) -> list[str]:
        client = app.test_client()
        assert client.post_form("/inloggen", {"email": email, "password": password}).status_code == 302
        client.get(url)
        with counting() as sent:
            response = client.get(url)
        assert response.status_code == 200, url
        return sent

    return statements


def check(sent: list[str], bound: int) -> None:
    twice = {" ".join(s.split())[:300]: n for s, n in Counter(sent).items() if n > 1}
    assert not twice, twice
    assert len(sent) <= bound, "\n\n".join(" ".join(s.split())[:200] for s in sent)


def bench_school(n_schools: int) -> int:
    fill.build(db.session, n_schools, random.Random(2026), log=lambda *_args: None)
    return db.session.scalar(db.select(db.func.min(School.id)))


@pytest.mark.parametrize(("role", "path", "bound"), BENCH_PAGES)
def test_a_fresh_render_of_a_school_with_three_years_of_journey_reads_each_thing_once(fresh_renders, role, path,
                                                                                       bound):
    school_id = bench_school(2)
    check(fresh_renders(fill.ACCOUNTS[role], fill.PASSWORD, path.format(id=school_id)), bound)


# More of a school's pages, with what their address needs read from the filled database, and their
# statements before these changes (with the fast path's check): 29, 17 and 15.
OTHER_PAGES = [
    ("flywheel_lead", "/initiatieven/{id}", "SELECT MIN(initiative_id) FROM initiative_comments WHERE school_id = :s", 23),
    ("forum", "/scholen/{s}/forum", "SELECT id FROM schools WHERE id = :s", 10),
    ("forum", "/scholen/{s}/forum/rondes/{id}", "SELECT MAX(id) FROM advice_rounds WHERE school_id = :s", 10),
]


@pytest.mark.parametrize(("role", "path", "find", "bound"), OTHER_PAGES)
def test_a_fresh_render_of_an_initiative_and_the_forum_reads_each_thing_once(fresh_renders, role, path, find, bound):
    school_id = bench_school(2)
    found = db.session.scalar(db.text(find), {"s": school_id})
    check(fresh_renders(fill.ACCOUNTS[role], fill.PASSWORD, path.format(s=school_id, id=found)), bound)


@pytest.mark.parametrize(("role", "path", "bound"), DEMO_PAGES)
def test_a_fresh_render_of_the_demo_story_school_reads_each_thing_once(app, fresh_renders, role, path, bound):
    load_demo()
    db.session.commit()
    school_id = db.session.scalar(db.text(
        "SELECT m.school_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = 'directeur@demo.warmeveranderen.be' AND m.role = 'director'"))
    check(fresh_renders(f"{role}@demo.warmeveranderen.be", app.config["DEMO_PASSWORD"], path.format(id=school_id)),
          bound)


def test_a_fresh_render_reads_as_many_statements_for_a_longer_history(fresh_renders):
    """Six schools instead of two: the first school's history is as long, the others add rows around it;
    what matters is that nothing is read per row."""
    counts = {}
    for n_schools in (2, 6):
        if n_schools == 6:
            db.session.remove()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
        school_id = bench_school(n_schools)
        counts[n_schools] = [len(fresh_renders(fill.ACCOUNTS[role], fill.PASSWORD, path.format(id=school_id)))
                             for role, path, _bound in BENCH_PAGES]
    assert counts[2] == counts[6]
