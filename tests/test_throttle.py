"""The password throttle: login, password change and intake signing share it, and it counts atomically."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, UserFactory
from tests.factories_intake import make_agreement
from tests.test_intake import sign_over_http
from tests.throttle_helpers import simultaneous_guesses
from warmeveranderen import create_app
from warmeveranderen.accounts import services
from warmeveranderen.accounts.models import LoginAttempt
from warmeveranderen.extensions import db
from warmeveranderen.intake.models import Signature

_SAME = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "MAIL_OUTBOX_DIR",
         "BASE_URL", "LOGIN_MAX_FAILURES_PER_ADDRESS", "STRICT_UNIT_OF_WORK")
THROTTLED = "Te veel mislukte pogingen. Wacht enkele minuten en probeer opnieuw."


def _change(client, current: str):
    new = "een heel nieuw wachtwoord"
    return client.post_form("/profiel/wachtwoord", {"pw-current": current, "pw-password": new, "pw-confirm": new})


def test_the_current_password_check_on_password_change_is_throttled(auth, app):
    user = UserFactory()
    client = auth.client_for(user)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        response = _change(client, "geraden wachtwoord")
        assert response.status_code == 422 and "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    response = _change(client, PASSWORD)  # the right one, now too late
    assert response.status_code == 422
    assert THROTTLED in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.check_password(user, PASSWORD, address=None)  # unchanged


def test_the_password_check_of_intake_signing_is_throttled(auth, app, world):
    make_agreement(world, "awaiting")
    director = auth.client_for(world.users["director"])
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        response = sign_over_http(director, world.school.id, password="geraden wachtwoord")
        assert response.status_code == 422
        assert "Het wachtwoord klopt niet." in response.get_data(as_text=True)
    response = sign_over_http(director, world.school.id)
    assert response.status_code == 422
    assert THROTTLED in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_a_right_password_on_change_clears_the_failures(auth):
    user = UserFactory()
    client = auth.client_for(user)
    _change(client, "geraden wachtwoord")
    assert _change(client, PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(LoginAttempt.id))) == 0


def test_forty_simultaneous_guesses_get_at_most_the_limit_checked(database_url, app, monkeypatch):
    """40 threads post a wrong password at once. Every password check waits until all 40 requests are
    either in a check or answered: counting first and recording after let all 40 be checked."""
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    email = UserFactory().email
    db.session.commit()
    n = 40
    # As 40 workers would: a pool with a connection for every request (the test app's holds 15).
    wide = create_app({**{k: app.config[k] for k in _SAME}, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": n + 5}})
    wide.test_client_class = type(app.test_client())
    statuses, checking = simultaneous_guesses(wide, email, n, monkeypatch)
    with wide.app_context():
        db.engine.dispose()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert all(isinstance(s, int) for s in statuses), statuses
    assert sorted(set(statuses)) == [401, 429], statuses
    assert statuses.count(401) <= limit
    assert checking == statuses.count(401)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(LoginAttempt.id))) == statuses.count(401)
