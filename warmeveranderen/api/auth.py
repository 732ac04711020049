"""Token authentication and the rate limit of the API.

Every API request presents `Authorization: Bearer wv_…`; the session cookie is never enough (a
browser's cookie must not let another site write through the API). The token's owner becomes
`current_user` for this request, so the permission predicates of the pages apply unchanged. A
`read` token may only read. Each token may make API_RATE_LIMIT requests per minute (per web
process: with N workers a token may make up to N times as many; README, "Running in production").
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import abort, current_app, g, request

from warmeveranderen.accounts import api_tokens

_WINDOW = 60.0
_hits: dict[int, deque] = defaultdict(deque)
_lock = threading.Lock()


def _over_limit(token_id: int) -> float | None:
    """Seconds to wait when this token is over its limit, else None (and the request is counted)."""
    limit = current_app.config["API_RATE_LIMIT"]
    now = time.monotonic()
    with _lock:
        hits = _hits[token_id]
        while hits and now - hits[0] > _WINDOW:
            hits.popleft()
        if len(hits) >= limit:
            return _WINDOW - (now - hits[0])
        hits.append(now)
    return None


def reset_limits() -> None:
    with _lock:
        _hits.clear()


def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    token = api_tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        abort(401, description="Geef een geldige API-sleutel mee: Authorization: Bearer wv_…")
    wait = _over_limit(token.id)
    if wait is not None:
        g.retry_after = max(1, int(wait) + 1)
        abort(429)
    g._login_user = token.user  # Flask-Login's current user, for this request only
    g.api_token = token
    if request.method not in ("GET", "HEAD", "OPTIONS") and not token.can_write:
        abort(403, description="Deze API-sleutel mag alleen lezen.")


def init_blueprint(blp) -> None:
    blp.before_request(authenticate)
