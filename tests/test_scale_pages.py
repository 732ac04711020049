"""Programme-wide pages that must not grow with the programme (benchmark fixes, issue 9): paginated
cities, networks and intake overview; the people page's invite form without a list of every school;
the report's totals reused between requests and cleared by a change."""

import re

import pytest
from sqlalchemy import event, select

from tests.factories import LearningNetworkFactory, SchoolFactory, WarmCityFactory
from tests.factories_tracking import CoachingSessionFactory
from warmeveranderen.accounts.models import Invitation
from warmeveranderen.extensions import db


def query_count(client, url: str) -> tuple[int, str]:
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "add"), [
    ("/programma/steden", lambda w, n: [WarmCityFactory(programme=w.school.programme) for _ in range(n)]),
    ("/programma/netwerken", lambda w, n: [LearningNetworkFactory(programme=w.school.programme) for _ in range(n)]),
    ("/programma/intake", lambda w, n: [SchoolFactory(programme=w.school.programme, city=w.school.city) for _ in range(n)]),
    ("/programma/mensen", lambda w, n: [SchoolFactory(programme=w.school.programme, city=w.school.city) for _ in range(n)]),
])
def test_programme_lists_are_paginated_with_a_constant_query_count(app, auth, world, url, add, monkeypatch):
    # The lists as rendered: the people page is kept (pagecache.programme_wide), one statement more than
    # the person's once warm (tests/test_pagecache.py).
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)
    client = auth.client_for(world.users["coordinator"])
    client.get(url)
    few, _ = query_count(client, url)
    add(world, 120)
    many, page = query_count(client, url)
    assert many == few
    assert "pagina=2" in page or url == "/programma/mensen"
    assert len(re.findall(r"<option", page)) < 150


def test_coordinator_invites_to_a_school_typed_by_name(auth, world, outbox):
    client = auth.client_for(world.users["coordinator"])
    page = client.get("/programma/mensen").get_data(as_text=True)
    assert re.search(r'<input[^>]+name="school_id"', page) and '<select class="form-select" id="school_id"' not in page
    response = client.post_form("/programma/mensen", {
        "name": "Bert Bestuur", "email": "bert@example.org", "school_id": world.school.name.upper(), "role": "board"})
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "bert@example.org"))
    assert invitation.school_id == world.school.id and invitation.role == "board"
    refused = client.post_form("/programma/mensen", {
        "name": "Nina", "email": "nina@example.org", "school_id": "Een school die niet bestaat", "role": "director"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Geen school gevonden met deze naam" in body and "Een school die niet bestaat" in body
    assert db.session.scalar(select(Invitation).where(Invitation.email == "nina@example.org")) is None


def test_report_totals_are_reused_and_cleared_by_a_change(app, auth, world):
    app.config["REPORT_CACHE_SECONDS"] = 3600
    try:
        client = auth.client_for(world.users["coordinator"])
        first, page = query_count(client, "/programma/rapport")
        assert "0 collectieve sessies in de lerende netwerken en 0 individuele sessies" in page
        again, _ = query_count(client, "/programma/rapport")
        assert again < first
        CoachingSessionFactory(school=world.school)
        _, page = query_count(client, "/programma/rapport")
        assert "0 collectieve sessies in de lerende netwerken en 1 individuele sessies" in page
    finally:
        app.config["REPORT_CACHE_SECONDS"] = 0
        from warmeveranderen.programme.filters import clear_programme_totals

        clear_programme_totals()


def test_the_kept_invite_form_carries_the_viewers_token_and_the_school_picked(app, auth, world, outbox):
    """The people page's empty invite form is rendered once per language and picked school
    (pagecache.unchanging): it still posts with the coordinator's own token, and a school picked from
    the search is filled in."""
    client = auth.client_for(world.users["coordinator"])
    client.get("/programma/mensen")
    warm = client.get("/programma/mensen")
    assert "people:invite-form=hit" in warm.headers.get("X-Part-Cache", "")
    token = re.search(r'id="invite-form".*?name="csrf_token" type="hidden" value="([^"]+)"',
                      warm.get_data(as_text=True), re.S).group(1)
    response = client.post("/programma/mensen", data={
        "csrf_token": token, "name": "Vera Vliegwiel", "email": "vera@example.org",
        "school_id": world.school.name, "role": "flywheel"})
    assert response.status_code == 302
    picked = client.get(f"/programma/mensen?school={world.school.id}")
    assert "people:invite-form=miss" in picked.headers.get("X-Part-Cache", "")
    assert re.search(rf'name="school_id"[^>]*value="{re.escape(world.school.name)}"', picked.get_data(as_text=True)) or \
        re.search(rf'value="{re.escape(world.school.name)}"[^>]*name="school_id"', picked.get_data(as_text=True))
