"""The login throttle's counters in Redis (accounts/throttle.py, issue 24: the scale-out path): the
same limits as the database's, atomic under simultaneous guesses, nothing written to the database,
and no e-mail or network address in Redis."""

from __future__ import annotations

import time

import pytest

from tests.factories import PASSWORD, UserFactory
from tests.throttle_helpers import simultaneous_guesses
from warmeveranderen.accounts import throttle
from warmeveranderen.accounts.models import LoginAttempt
from warmeveranderen.extensions import db

THROTTLED = "Te veel mislukte pogingen. Wacht enkele minuten en probeer opnieuw."


@pytest.fixture
def in_redis(app, redis_url):
    """The shared test app with its throttle in Redis for one test (emptied first)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    app.config["THROTTLE_REDIS_URL"] = redis_url
    app.extensions.pop("wv_throttle", None)
    try:
        yield redis.Redis.from_url(redis_url)
    finally:
        app.config["THROTTLE_REDIS_URL"] = None
        app.extensions.pop("wv_throttle", None)


def _login(client, email: str, password: str):
    return client.post("/inloggen", data={"csrf_token": client.csrf_token(), "email": email, "password": password})


def test_failed_logins_are_counted_in_redis_and_nothing_in_the_database(app, in_redis):
    user = UserFactory(email="Juf.Anna@school.example")
    db.session.commit()
    client = app.test_client()
    assert isinstance(throttle.counters(), throttle.RedisCounters)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert _login(client, user.email, "geraden").status_code == 401
    refused = _login(client, user.email, PASSWORD)  # the right one, now too late
    assert refused.status_code == 429 and THROTTLED in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(LoginAttempt.id))) == 0
    keys = [k.decode() for k in in_redis.keys("*")]
    assert len(keys) == 2 and all(k.startswith("wv:throttle:") for k in keys)
    assert not any("anna" in k.lower() or "127.0.0.1" in k for k in keys)  # hashed, never the addresses
    assert all(0 < in_redis.ttl(k) <= app.config["LOGIN_THROTTLE_WINDOW"] for k in keys)


def test_waiting_out_the_window_lets_the_person_in_again(app, in_redis, monkeypatch):
    user = UserFactory()
    db.session.commit()
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _login(client, user.email, "geraden")
    assert _login(client, user.email, PASSWORD).status_code == 429
    later = time.time() + app.config["LOGIN_THROTTLE_WINDOW"] + 1
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_a_right_password_clears_the_accounts_failures(app, in_redis):
    user = UserFactory()
    db.session.commit()
    client = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        _login(client, user.email, "geraden")
    assert _login(client, user.email, PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(limit):  # a fresh allowance: each of these is checked (401), none refused (429)
        assert _login(other, user.email, "geraden").status_code == 401


def test_simultaneous_guesses_get_at_most_the_limit_checked(app, in_redis, monkeypatch):
    """Every password check waits until all requests are in a check or answered: a store that counted
    before it recorded would let them all through."""
    email = UserFactory().email
    db.session.commit()
    # 12: below the test app's pool (15), as each request holds a connection while it waits.
    statuses, checking = simultaneous_guesses(app, email, 12, monkeypatch)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert sorted(set(statuses)) == [401, 429], statuses
    assert statuses.count(401) == limit == checking
    # The refused took their record back: the set holds exactly the checked guesses.
    assert max(in_redis.zcard(k) for k in in_redis.keys("*")) == limit
