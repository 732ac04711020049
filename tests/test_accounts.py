"""Accounts through HTTP: login and its throttle, next, logout, password change and reset, profile."""

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, UserFactory
from warmeveranderen import create_app
from warmeveranderen.accounts import services
from warmeveranderen.accounts.models import LoginAttempt, User
from warmeveranderen.extensions import db

GENERIC = "Dit e-mailadres en wachtwoord horen niet bij elkaar, of de account is niet actief."
THROTTLED = "Te veel mislukte pogingen."


def login(client, email, password=PASSWORD, **extra):
    return client.post_form("/inloggen", {"email": email, "password": password, **extra})


def failures(email=None) -> int:
    query = select(func.count(LoginAttempt.id))
    if email:
        query = query.where(LoginAttempt.email == email)
    db.session.expire_all()
    return db.session.scalar(query)


def reset_link(outbox) -> str:
    [message] = outbox()
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", text).group(1)


# --- login ------------------------------------------------------------------------------------


def test_login_success_goes_home(client):
    user = UserFactory(name="Ilse Inlog")
    response = login(client, user.email.upper())
    assert response.status_code == 302 and response.location == "/"
    assert "Dag Ilse Inlog" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    user = UserFactory()
    wrong = login(client, user.email, "not the password")
    unknown = login(client, "niemand@school.example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.get_data(as_text=True)
    assert GENERIC in unknown.get_data(as_text=True)
    # The page is the same apart from the CSRF token: nothing tells the two apart.
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.get_data(as_text=True)) == strip.sub("", unknown.get_data(as_text=True))


@pytest.mark.parametrize("fields", [{"active": False}, {"password_hash": None}], ids=["inactive", "never-activated"])
def test_inactive_or_never_activated_account_cannot_log_in(client, fields):
    user = UserFactory(**fields)
    response = login(client, user.email)
    assert response.status_code == 401
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_missing_fields_are_a_422_with_dutch_messages(client):
    response = client.post_form("/inloggen", {"email": "iemand@school.example.org", "password": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Vul je wachtwoord in." in body
    assert 'value="iemand@school.example.org"' in body


def test_five_failures_lock_the_account_even_for_the_right_password(client, app):
    user = UserFactory()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(client, user.email, "wrong password").status_code == 401
    response = login(client, user.email)
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    # Stored in the database: another browser, and another app process on the same database, see it too.
    assert failures(user.email) == 5
    other_app = create_app({**{k: app.config[k] for k in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "MAIL_OUTBOX_DIR")}})
    other_app.test_client_class = type(client)
    with other_app.app_context():
        assert login(other_app.test_client(), user.email).status_code == 429


def test_failures_from_one_address_lock_every_account_from_it(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    victim = UserFactory()
    for n in range(3):
        login(client, f"gok{n}@school.example.org", "guess")
    response = login(client, victim.email)
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    # Another address is not affected.
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert login(other, victim.email).status_code == 302


def test_a_successful_login_clears_the_account_failures(client):
    user = UserFactory()
    for _ in range(3):
        login(client, user.email, "wrong password")
    assert failures(user.email) == 3
    assert login(client, user.email).status_code == 302
    assert failures(user.email) == 0


@pytest.mark.parametrize("target", ["/programma", "/scholen/1?tab=mensen"])
def test_next_follows_a_local_path(client, target):
    user = UserFactory()
    response = login(client, user.email, next=target)
    assert response.location == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "evil.example",
    ],
)
def test_next_to_another_site_is_refused(client, target):
    user = UserFactory()
    response = login(client, user.email, next=target)
    assert response.status_code == 302
    assert response.location == "/"


def test_an_anonymous_visitor_is_sent_to_login_and_back(client):
    user = UserFactory()
    response = client.get("/profiel")
    assert response.status_code == 302 and response.location.startswith("/inloggen?next=")
    page = client.get(response.location).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/profiel"' in page
    assert login(client, user.email, next="/profiel").location == "/profiel"


# --- logout and sessions ------------------------------------------------------------------------


def test_logout_is_post_only_and_ends_the_session(auth):
    client = auth.client_for(UserFactory())
    assert client.get("/uitloggen").status_code == 405
    assert client.get("/").status_code == 200
    response = auth.logout(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_copied_session_cookie_stops_working_after_logout(auth, app):
    user = UserFactory()
    browser = auth.client_for(user)
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/").status_code == 200
    auth.logout(browser)
    assert copy.get("/").status_code == 302
    # Logging in again gives a fresh session; the copy stays dead.
    fresh = auth.client_for(user)
    assert fresh.get("/").status_code == 200 and copy.get("/").status_code == 302


def test_a_remember_cookie_stops_working_after_logout_and_lives_at_most_30_days(auth, app):
    user = UserFactory()
    browser = app.test_client()
    response = login(browser, user.email, remember="y")
    assert response.status_code == 302
    set_cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", set_cookie).group(1))
    assert expires - datetime.now(UTC) <= timedelta(days=30)
    cookie = browser.get_cookie("remember_token").value
    remembered = app.test_client()  # a browser restarted: no session, only the remember cookie
    remembered.set_cookie("remember_token", cookie)
    assert remembered.get("/").status_code == 200
    auth.logout(browser)
    stale = app.test_client()  # the same cookie, copied before the logout
    stale.set_cookie("remember_token", cookie)
    assert stale.get("/").status_code == 302


def test_changing_the_password_ends_other_sessions(auth):
    user = UserFactory()
    laptop, phone = auth.client_for(user), auth.client_for(user)
    response = laptop.post_form(
        "/profiel/wachtwoord",
        {"pw-current": PASSWORD, "pw-password": "een nieuw lang wachtwoord", "pw-confirm": "een nieuw lang wachtwoord"},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # this session lives on
    assert phone.get("/").status_code == 302  # the other one is over
    assert login(phone, user.email, "een nieuw lang wachtwoord").status_code == 302


def test_changing_the_password_needs_the_current_one(auth):
    user = UserFactory()
    client = auth.client_for(user)
    response = client.post_form(
        "/profiel/wachtwoord",
        {"pw-current": "fout", "pw-password": "een nieuw lang wachtwoord", "pw-confirm": "een nieuw lang wachtwoord"},
    )
    assert response.status_code == 422
    assert "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.authenticate(user.email, PASSWORD, "test") == db.session.get(User, user.id)


# --- password reset -----------------------------------------------------------------------------

SENT = "krijg je binnen enkele minuten een e-mail met een link"


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, outbox):
    response = client.post_form("/wachtwoord-vergeten", {"email": "niemand@school.example.org"}, follow_redirects=True)
    assert SENT in response.get_data(as_text=True)
    assert outbox() == []


def test_reset_link_works_once(client, outbox):
    user = UserFactory()
    response = client.post_form("/wachtwoord-vergeten", {"email": user.email}, follow_redirects=True)
    assert SENT in response.get_data(as_text=True)
    link = reset_link(outbox)
    assert outbox()[0]["To"] == user.email
    assert client.get(link).status_code == 200
    short = client.post_form(link, {"password": "kort", "confirm": "kort"})
    assert short.status_code == 422
    assert "Kies een wachtwoord van minstens 10 tekens." in short.get_data(as_text=True)
    done = client.post_form(link, {"password": "mijn nieuwe wachtwoord", "confirm": "mijn nieuwe wachtwoord"})
    assert done.status_code == 302 and done.location == "/inloggen"
    assert login(client, user.email, "mijn nieuwe wachtwoord").status_code == 302
    again = client.application.test_client()
    response = again.get(link, follow_redirects=True)
    assert "Deze link is ongeldig of al gebruikt." in response.get_data(as_text=True)
    response = again.post_form(link, {"password": "nog een ander wachtwoord", "confirm": "nog een ander wachtwoord"})
    assert response.status_code == 302 and response.location == "/wachtwoord-vergeten"
    assert login(again, user.email, "nog een ander wachtwoord").status_code == 401


def test_an_expired_reset_link_is_refused(client, app, monkeypatch):
    user = UserFactory()
    long_ago = time.time() - app.config["PASSWORD_RESET_MAX_AGE"] - 60
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: long_ago)
        token = services._serializer(services.RESET_SALT).dumps({"u": user.id, "t": user.session_token})
    response = client.get(f"/wachtwoord-herstellen/{token}", follow_redirects=True)
    assert "Deze link is verlopen." in response.get_data(as_text=True)
    response = client.post_form(f"/wachtwoord-herstellen/{token}", {"password": "x" * 12, "confirm": "x" * 12})
    assert response.location == "/wachtwoord-vergeten"
    assert login(client, user.email, "x" * 12).status_code == 401


def test_a_forged_reset_link_is_refused(client):
    response = client.get("/wachtwoord-herstellen/eyJ1IjoxfQ.forged.signature", follow_redirects=True)
    assert "Deze link is ongeldig of al gebruikt." in response.get_data(as_text=True)


# --- profile and language -----------------------------------------------------------------------


def test_profile_name_and_english(auth):
    user = UserFactory(name="Oude Naam")
    client = auth.client_for(user)
    response = client.post_form("/profiel", {"name": "Nieuwe Naam", "locale": "en", "submit": "1"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Hello Nieuwe Naam" in page
    assert "Log out" in page and "Uitloggen" not in page
    assert '<html lang="en">' in page
    profile = client.get("/profiel").get_data(as_text=True)
    assert "Your profile" in profile


def test_profile_errors_keep_the_input(auth):
    client = auth.client_for(UserFactory(name="Oude Naam"))
    response = client.post_form("/profiel", {"name": "", "locale": "en", "submit": "1"})
    assert response.status_code == 422
    assert "Vul je naam in." in response.get_data(as_text=True)


def test_dutch_is_the_default_whatever_the_browser_says(client):
    page = client.get("/inloggen", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="nl-BE">' in page
    assert "Wachtwoord vergeten?" in page


def test_an_anonymous_visitor_can_choose_english_and_back(client):
    response = client.post_form("/taal/en", {"next": "/wachtwoord-vergeten"})
    assert response.location == "/wachtwoord-vergeten"
    assert "Forgotten password" in client.get("/wachtwoord-vergeten").get_data(as_text=True)
    assert "Forgot your password?" in client.get("/inloggen").get_data(as_text=True)
    client.post_form("/taal/nl", {"next": "https://evil.example"})
    assert "Wachtwoord vergeten?" in client.get("/inloggen").get_data(as_text=True)


def test_choosing_a_language_when_logged_in_saves_it_in_the_profile(auth):
    user = UserFactory()
    client = auth.client_for(user)
    assert client.post_form("/taal/en", {"next": "/profiel"}).location == "/profiel"
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    assert client.post_form("/taal/xx").status_code == 404


def test_emails_go_out_in_the_recipients_language(client, outbox):
    user = UserFactory(locale="en")
    client.post_form("/wachtwoord-vergeten", {"email": user.email})
    [message] = outbox()
    assert message["Subject"] == "New password for Warm Veranderen"
    assert "Choose it through this link" in message.get_body(preferencelist=("plain",)).get_content()
