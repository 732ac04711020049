"""The password throttle's counters: failed guesses per account and per address in a sliding window.

Two stores, one behaviour. By default the database keeps them (`login_attempts`), which every web
server shares. With `CACHE_REDIS_URL` (or a `THROTTLE_REDIS_URL` of their own) they live in Redis,
so that guesses at scale never write to PostgreSQL; the keys hold a hash of the e-mail address and
of the network address, never the addresses themselves, and expire with the window.

Both claim before they count: a guess is recorded first and counted after, atomically, so of any
number of simultaneous guesses the k-th sees at least k records and at most the limit get their
password checked. A refused guess takes its record back (waiting out the window still works); a
right password clears the account's record.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from flask import current_app

from warmeveranderen.accounts.models import LoginAttempt
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow


class DatabaseCounters:
    """Each guess a row, committed on its own connection before it is counted (the one write outside
    the request's unit of work: the record is the failure the throttle remembers)."""

    def claim(self, email: str, address: str, window: int) -> tuple[object, int, int]:
        with db.engine.begin() as connection:
            claim = connection.scalar(
                db.insert(LoginAttempt).values(email=email, address=address, at=utcnow()).returning(LoginAttempt.id)
            )
        since = utcnow() - timedelta(seconds=window)
        count = db.func.count(LoginAttempt.id)
        with db.engine.connect() as connection:
            by_email = connection.scalar(db.select(count).where(LoginAttempt.email == email, LoginAttempt.at >= since))
            by_address = connection.scalar(db.select(count).where(LoginAttempt.address == address,
                                                                  LoginAttempt.at >= since))
        return claim, by_email, by_address

    def release(self, claim, email: str, address: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(db.delete(LoginAttempt).where(LoginAttempt.id == claim))

    def clear(self, email: str) -> None:
        """Within the request's unit of work: the failures go when the right password is committed."""
        db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.email == email))


class RedisCounters:
    """Per account and per address a sorted set of guesses scored by their time; one MULTI/EXEC adds
    the guess, drops what left the window and counts."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix

    def _key(self, kind: str, value: str) -> str:
        return f"{self.prefix}throttle:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"

    def claim(self, email: str, address: str, window: int) -> tuple[object, int, int]:
        claim, now = secrets.token_hex(8), time.time()
        pipe = self.redis.pipeline(transaction=True)
        for key in (self._key("email", email), self._key("address", address)):
            pipe.zremrangebyscore(key, 0, now - window)
            pipe.zadd(key, {claim: now})
            pipe.zcard(key)
            pipe.expire(key, window)
        results = pipe.execute()
        return claim, results[2], results[6]

    def release(self, claim, email: str, address: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self._key("email", email), claim)
        pipe.zrem(self._key("address", address), claim)
        pipe.execute()

    def clear(self, email: str) -> None:
        self.redis.delete(self._key("email", email))


def counters() -> DatabaseCounters | RedisCounters:
    """The store this app is configured for (one per app and process)."""
    app = current_app._get_current_object()
    store = app.extensions.get("wv_throttle")
    if store is None:
        url = app.config.get("THROTTLE_REDIS_URL") or app.config.get("CACHE_REDIS_URL")
        store = RedisCounters(url, app.config.get("CACHE_KEY_PREFIX", "wv:")) if url else DatabaseCounters()
        app.extensions["wv_throttle"] = store
    return store
