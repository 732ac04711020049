"""Simultaneous password guesses through the login form, for the throttle's race tests (database and Redis)."""

from __future__ import annotations

import threading

from warmeveranderen.accounts import services


def simultaneous_guesses(app, email: str, n: int, monkeypatch) -> tuple[list, int]:
    """`n` clients post a wrong password for `email` at once (each with its own CSRF token). Every
    password check waits until all `n` requests are in a check or answered, so a throttle that counted
    before it recorded would let them all through. Returns (the statuses, how many were checked)."""
    state = {"checking": 0, "answered": 0}
    cond = threading.Condition()
    real_check = services.check_password_hash

    def held_check(hashed, password):
        with cond:
            state["checking"] += 1
            cond.notify_all()
            # Safety net only: without a throttle-passing bug everyone arrives; never a timing assertion.
            cond.wait_for(lambda: state["checking"] + state["answered"] >= n, timeout=30)
        return real_check(hashed, password)

    monkeypatch.setattr(services, "check_password_hash", held_check)
    clients = [app.test_client() for _ in range(n)]
    tokens = [c.csrf_token() for c in clients]
    statuses: list = [None] * n

    def run(i):
        try:
            statuses[i] = clients[i].post(
                "/inloggen", data={"csrf_token": tokens[i], "email": email, "password": "gok"}
            ).status_code
        except Exception as exc:  # noqa: BLE001 - an exception in the request is a failure to report
            statuses[i] = exc
        finally:
            with cond:
                state["answered"] += 1
                cond.notify_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return statuses, state["checking"]
