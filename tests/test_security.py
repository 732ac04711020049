"""Security headers, cookie flags, no inline script or style on any page, Dutch error pages."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory
from tests.test_access_matrix import ROUTES, _url
from warmeveranderen import create_app

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
EVENT_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}


def test_pages_carry_the_security_headers(client):
    response = client.get("/inloggen")
    csp = directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["default-src"] == "default-src 'self'"
    assert csp["object-src"] == "object-src 'none'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_logged_in_pages_are_not_cached(auth):
    client = auth.client_for(UserFactory())
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = UserFactory()
    response = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_in_production_cookies_are_secure_and_hsts_is_sent(app):
    production = create_app(
        {
            "ENV": "production",
            "TESTING": True,
            "SECRET_KEY": "production-test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
        }
    )
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    production.test_client_class = type(app.test_client())
    user = UserFactory()
    with production.app_context():
        client = production.test_client()
        response = client.post_form(
            "/inloggen",
            {"email": user.email, "password": PASSWORD, "remember": "y"},
            base_url="https://localhost",
            # Over HTTPS, Flask-WTF also checks that the form came from this site.
            headers={"Referer": "https://localhost/inloggen"},
        )
        assert response.status_code == 302
        cookie = _session_cookie(response)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        remember = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
        assert "Secure" in remember and "HttpOnly" in remember
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "adviser", "director", "flywheel_lead", "forum"])
def test_no_inline_script_or_style_on_any_page(app, auth, world, role):
    client = app.test_client()
    if role != "anonymous":
        auth.login(client, world.users[role].email)
    urls = {_url(app, endpoint, world) for endpoint, method, _rule in ROUTES if method == "GET"}
    urls |= {"/bestaat-niet", f"/scholen/{world.other_school.id}"}
    checked = 0
    for url in sorted(urls):
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for pattern in (INLINE_SCRIPT, STYLE_ATTR, EVENT_ATTR, STYLE_ELEMENT):
            match = pattern.search(html)
            assert match is None, f"{url}: {match.group(0)!r}"
        checked += 1
    assert checked >= 5


def test_not_found_page_is_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_forbidden_page_is_dutch(auth, world):
    client = auth.client_for(world.users["forum"])
    response = client.get("/programma")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Geen toegang" in body and "Je hebt geen toegang tot deze pagina." in body


def test_method_not_allowed_page_is_dutch(client):
    response = client.get("/wissel-school")
    assert response.status_code in (302, 405)
    response = client.put("/inloggen")
    assert response.status_code == 405
    assert "Dat kan zo niet" in response.get_data(as_text=True)


def test_a_post_without_csrf_token_gets_the_dutch_expired_page(client):
    user = UserFactory()
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Je formulier is verlopen" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_a_post_with_a_wrong_csrf_token_is_refused(auth, world):
    client = auth.client_for(world.users["director"])
    response = client.post(
        f"/scholen/{world.school.id}/mensen",
        data={"csrf_token": "forged", "name": "X", "email": "x@example.org", "role": "board"},
    )
    assert response.status_code == 400
    assert "Je formulier is verlopen" in response.get_data(as_text=True)


def test_error_pages_follow_the_chosen_language(client):
    client.post_form("/taal/en", {"next": "/"})
    assert "Page not found" in client.get("/bestaat-niet").get_data(as_text=True)


def test_environment_values_that_look_like_numbers_stay_text(monkeypatch, tmp_path):
    monkeypatch.setenv("WARMEVERANDEREN_MAIL_PASSWORD", "123456")
    monkeypatch.setenv("WARMEVERANDEREN_MAIL_PORT", "587")
    monkeypatch.setenv("WARMEVERANDEREN_MAIL_USE_TLS", "true")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example.org/wv")
    from flask import Flask

    from warmeveranderen.config import load_config

    flask_app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(flask_app)
    assert flask_app.config["MAIL_PASSWORD"] == "123456"
    assert flask_app.config["MAIL_PORT"] == 587 and flask_app.config["MAIL_USE_TLS"] is True
    assert flask_app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example.org/wv"
    # The secret key is generated once into the instance folder and read back afterwards.
    first = flask_app.config["SECRET_KEY"]
    again = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(again)
    assert again.config["SECRET_KEY"] == first and len(first) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
