"""Issue 14, point 5: links follow the address the app runs on; a link in an email stays on one line."""

from __future__ import annotations

import email
import email.policy

import pytest

from warmeveranderen import cli
from warmeveranderen.accounts.services import external_url
from warmeveranderen.config import base_url
from warmeveranderen.mail import build_message

ON_5101 = "http://localhost:5101"


@pytest.fixture
def unconfigured(app, monkeypatch):
    """Development without a BASE_URL of its own (as with `PORT=5101 bin/run`)."""
    monkeypatch.setitem(app.config, "BASE_URL_CONFIGURED", False)
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5000")
    return app


def test_links_made_in_a_request_follow_its_address(unconfigured, auth, world):
    with unconfigured.test_request_context("/", base_url=ON_5101):
        assert base_url() == ON_5101
        assert external_url("accounts.login").startswith(ON_5101 + "/")

    client = auth.client_for(world.users["flywheel"])
    page = client.post_form("/meldingen/agenda/nieuwe-link", follow_redirects=True, base_url=ON_5101)
    assert f'value="{ON_5101}/meldingen/agenda/' in page.get_data(as_text=True)


def test_a_configured_base_url_and_production_stay_authoritative(app, unconfigured, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")
    with app.test_request_context("/", base_url=ON_5101):
        assert base_url() == "http://127.0.0.1:5000"
    monkeypatch.setitem(app.config, "ENV", "development")
    monkeypatch.setitem(app.config, "BASE_URL_CONFIGURED", True)
    monkeypatch.setitem(app.config, "BASE_URL", "https://wv.example.org/")
    with app.test_request_context("/", base_url=ON_5101):
        assert base_url() == "https://wv.example.org"


def test_flask_serve_points_links_outside_a_request_to_its_port(unconfigured, monkeypatch):
    served = {}
    monkeypatch.setattr(cli, "run_simple", lambda host, port, app, **kw: served.update(host=host, port=port))
    result = unconfigured.test_cli_runner().invoke(args=["serve", "--port", "5101", "--no-scheduler"])
    assert result.exit_code == 0, result.output
    assert served == {"host": "127.0.0.1", "port": 5101}
    assert unconfigured.config["BASE_URL"] == "http://127.0.0.1:5101"
    with unconfigured.app_context():
        assert base_url() == "http://127.0.0.1:5101"


def test_flask_serve_leaves_a_configured_base_url_alone(app, monkeypatch):
    monkeypatch.setattr(cli, "run_simple", lambda *a, **kw: None)
    monkeypatch.setitem(app.config, "BASE_URL", "https://wv.example.org")
    assert app.config["BASE_URL_CONFIGURED"]
    assert app.test_cli_runner().invoke(args=["serve", "--port", "5101", "--no-scheduler"]).exit_code == 0
    assert app.config["BASE_URL"] == "https://wv.example.org"


def test_a_token_link_stays_on_one_line_in_the_eml(app):
    link = "http://localhost:5101/uitnodiging/" + "Ab3_x-" * 25  # as long as an invitation token link
    with app.test_request_context("/"):
        msg = build_message(
            "piet@example.org", "Uitnodiging", "notification", user=type("U", (), {"name": "Piet"}),
            notification=type("N", (), {"title": "Uitnodiging", "body": "Je bent uitgenodigd als forumlid. Één klik.",
                                        "url": "/"}),
            link=link, preferences_link="http://localhost:5101/meldingen/voorkeuren",
        )
    raw = bytes(msg)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    plain = parsed.get_body(("plain",))
    assert plain["Content-Transfer-Encoding"] == "8bit"
    assert link in plain.get_content() and "Één klik." in plain.get_content()
    # Readable as it is: the whole link on one line of the file.
    assert any(link.encode() in line for line in raw.split(b"\n"))
