"""The main pages make the same number of queries with 5 schools as with 50."""

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from tests.factories import AdviserAssignmentFactory, MembershipFactory, SchoolFactory
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School


@contextmanager
def counting():
    statements: list[str] = []
    # The request runs on this thread; a background refresh of the programme's figures (a thread of its
    # own, programme/filters.py) may run at the same time and is not the page's.
    thread = threading.get_ident()

    def record(_conn, _cursor, statement, *_args):
        if threading.get_ident() == thread:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    """The part cache's keys hold the minute: a warm request must not cross into the next one."""
    from datetime import datetime

    from warmeveranderen import pagecache

    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))


def grow(world, total: int) -> None:
    """Add schools (in the world school's network and city) until there are `total`, each with people."""
    school = world.school
    existing = db.session.scalar(select(func.count(School.id)))
    for n in range(existing, total):
        other = SchoolFactory(name=f"Groeischool {n}", city=school.city, network=school.network)
        MembershipFactory(school=other, role="director")
        MembershipFactory(school=other, role="forum", stakeholder_group="parent")
        # People of the world also get roles elsewhere, so their own lists grow too.
        if n % 5 == 0:
            MembershipFactory(school=other, role="board", user=world.users["director"])
            MembershipFactory(school=other, role="forum", user=world.users["forum"], stakeholder_group="parent")


def queries(client, url: str) -> int:
    # A first visit may do one-time work (the nine indicator definitions are created on first use,
    # the next sprint is created when one starts); the steady state is what must not grow.
    client.get(url)
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


PROGRAMME_WIDE = ["/programma/opvolging", "/programma/rapport", "/programma/bevragingen/resultaten"]
PAGES = {
    "coordinator": [
        "/", "/programma", "/programma/mensen", "/programma/netwerken", "/programma/steden", "/scholen/{school}/mensen",
        "/programma/intake", *PROGRAMME_WIDE,
    ],
    "adviser": ["/", "/programma", "/scholen/{school}", *PROGRAMME_WIDE],
    "director": ["/", "/scholen/{school}", "/scholen/{school}/mensen", "/profiel"],
    "forum": ["/", "/scholen/{school}", "/meldingen/"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_query_count_does_not_grow_with_the_number_of_schools(auth, world, role):
    client = auth.client_for(world.users[role])
    urls = [u.format(school=world.school.id) for u in PAGES[role]]
    # The adviser coaches the whole network, so the number of advised schools grows as well.
    AdviserAssignmentFactory(adviser=world.users["adviser"], school=None, network=world.school.network)
    grow(world, 5)
    small = {url: queries(client, url) for url in urls}
    grow(world, 50)
    large = {url: queries(client, url) for url in urls}
    assert large == small


@pytest.mark.parametrize("role", ["coordinator", "adviser"])
def test_programme_pages_with_their_figures_cached_make_as_many_queries_at_any_scale(app, auth, world, role):
    """With the programme's figures cache on (as in production), cached or not, the count stays put."""
    from warmeveranderen.programme.filters import clear_programme_totals

    client = auth.client_for(world.users[role])
    AdviserAssignmentFactory(adviser=world.users["adviser"], school=None, network=world.school.network)
    app.config["REPORT_CACHE_SECONDS"] = 3600
    try:
        grow(world, 5)
        clear_programme_totals()
        small = {url: queries(client, url) for url in PROGRAMME_WIDE}
        grow(world, 50)
        clear_programme_totals()
        large = {url: queries(client, url) for url in PROGRAMME_WIDE}
        assert large == small
        # The second visit reads the figures from the cache: the report and the survey results then
        # only read who is in view, the page's own rows and the filters' choices.
        assert small["/programma/rapport"] <= 10 and small["/programma/bevragingen/resultaten"] <= 8
    finally:
        app.config["REPORT_CACHE_SECONDS"] = 0
        clear_programme_totals()


def test_the_school_home_reads_what_its_panels_share_once(auth, world, monkeypatch):
    """The forum's panel and next steps both need the undecided rounds, the people list and the
    next steps both need the school's people: one query each per request (warmeveranderen/memo.py).
    This is the page rendered afresh, as on the first request after a change (no part cache)."""
    client = auth.client_for(world.users["director"])
    # Off for this test only: the app is shared by the whole session.
    monkeypatch.setitem(client.application.config, "PART_CACHE_SECONDS", 0)
    url = f"/scholen/{world.school.id}"
    client.get(url)
    with counting() as statements:
        assert client.get(url).status_code == 200
    rounds = [s for s in statements if s.lstrip().startswith("SELECT advice_rounds.id, advice_rounds.school_id")]
    people = [s for s in statements if "FROM memberships JOIN users" in " ".join(s.split())]
    assert len(rounds) == 1, rounds
    assert len(people) == 1, people
