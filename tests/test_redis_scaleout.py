"""Several web servers behind a proxy (issue 24, README "Production"): with CACHE_REDIS_URL they share
the part cache through one Redis. A part one server rendered is served by the other; a change made
through either shows on the next request to both. Each server keeps its own copy of a part it read
from Redis, which is never stale: a change makes the pages ask for other keys."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import PASSWORD
from tests.test_pagecache import journey, parts_of
from warmeveranderen import create_app, pagecache
from warmeveranderen.extensions import db

_SAME = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "MAIL_OUTBOX_DIR",
         "BASE_URL", "LOGIN_MAX_FAILURES_PER_ADDRESS", "STRICT_UNIT_OF_WORK", "FILES_DIR")


@pytest.fixture
def servers(app, redis_url):
    """Two apps, as two web servers would be, on the test database and one Redis (emptied first)."""
    import redis

    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    apps = []
    for _ in range(2):
        server = create_app({**{k: app.config[k] for k in _SAME}, "CACHE_REDIS_URL": redis_url})
        server.test_client_class = type(app.test_client())
        apps.append(server)
    yield apps, store
    for server in apps:
        with server.app_context():
            db.engine.dispose()




def test_two_web_servers_share_the_part_cache_and_see_each_others_changes(servers, world, monkeypatch):
    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))  # one minute: hits stay hits
    sprint = journey(world)
    (first, second), store = servers
    on_first = first.test_client()
    on_second = second.test_client()
    for client in (on_first, on_second):
        assert client.post_form("/inloggen", {"email": world.users["director"].email,
                                              "password": PASSWORD}).status_code == 302
    address = f"/sprints/{sprint.id}"
    assert "miss" in parts_of(on_first.get(address))
    assert parts_of(on_second.get(address)) == "sprint=hit"  # rendered by the first server
    assert store.keys("wv:part:*")  # kept in Redis, not in either process
    # Each server keeps its own copy of what it read (no Redis round trip the next time): a key names
    # its content, so the copy is served even when Redis has let it go.
    store.flushdb()
    assert parts_of(on_second.get(address)) == "sprint=hit"
    # The lead changes the sprint goal through the second server; the first shows it at once.
    lead = second.test_client()
    assert lead.post_form("/inloggen", {"email": world.users["flywheel_lead"].email,
                                        "password": PASSWORD}).status_code == 302
    assert lead.post_form(f"/sprints/{sprint.id}/doel", {"goal": "Iedereen hoort erbij"}).status_code == 302
    after = on_first.get(address)
    assert "miss" in parts_of(after) and "Iedereen hoort erbij" in after.get_data(as_text=True)
    assert parts_of(on_second.get(address)) == "sprint=hit"


def test_a_page_kept_whole_by_one_server_is_served_before_the_view_by_the_other(servers, world, monkeypatch):
    """The fast path's recipes and responses (warmeveranderen/fastpath.py) go through the same Redis: a
    session's page rendered on one server is served before the view on the other, and a change shows."""
    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))
    sprint = journey(world)
    (first, second), store = servers
    on_first = first.test_client()
    assert on_first.post_form("/inloggen", {"email": world.users["director"].email,
                                            "password": PASSWORD}).status_code == 302
    address = f"/sprints/{sprint.id}"
    on_first.get(address)
    assert on_first.get(address).headers.get("X-Fast-Path") == "hit"
    # The same browser session, now sent to the other server.
    on_second = second.test_client()
    on_second.set_cookie("session", on_first.get_cookie("session").value)
    served = on_second.get(address)
    assert served.headers.get("X-Fast-Path") == "hit" and "Samen sterker" in served.get_data(as_text=True)
    lead = second.test_client()
    assert lead.post_form("/inloggen", {"email": world.users["flywheel_lead"].email,
                                        "password": PASSWORD}).status_code == 302
    assert lead.post_form(f"/sprints/{sprint.id}/doel", {"goal": "Iedereen hoort erbij"}).status_code == 302
    after = on_first.get(address)
    assert after.headers.get("X-Fast-Path") is None and "Iedereen hoort erbij" in after.get_data(as_text=True)
