"""Common and trivially guessable passwords are refused on every password form and in create-coordinator."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory
from tests.test_accounts import reset_link
from warmeveranderen.accounts.passwords import is_too_easy

TOO_EASY = "Dit wachtwoord is te makkelijk te raden"


@pytest.mark.parametrize("password", [
    "aaaaaaaaaa", "1234567890", "qwertyuiop", "azertyuiop", "wachtwoord123", "password1234",
    "warmveranderen1", "abcdefghijk", "0987654321",
])
def test_common_and_patterned_passwords_are_too_easy(app, password):
    with app.app_context():
        assert is_too_easy(password)


def test_the_persons_own_name_and_email_are_too_easy(app):
    with app.app_context():
        assert not is_too_easy("Peeters-Janssens!")
        assert is_too_easy("Peeters-Janssens!", email="ann@peeters-janssens.be", name="Ann Peeters-Janssens")


@pytest.mark.parametrize("password", [PASSWORD, "een heel nieuw wachtwoord", "geheim-genoeg-1"])
def test_a_few_words_pass(app, password):
    with app.app_context():
        assert not is_too_easy(password)


def test_password_change_refuses_a_guessable_password_and_keeps_the_old_one(auth):
    user = UserFactory()
    client = auth.client_for(user)
    response = client.post_form(
        "/profiel/wachtwoord", {"pw-current": PASSWORD, "pw-password": "1234567890", "pw-confirm": "1234567890"}
    )
    assert response.status_code == 422 and TOO_EASY in response.get_data(as_text=True)
    auth.logout(client)
    auth.login(client, user.email)  # the old password still works


def test_reset_refuses_a_guessable_password(client, outbox):
    user = UserFactory(name="Ann Peeters")
    client.post_form("/wachtwoord-vergeten", {"email": user.email})
    link = reset_link(outbox)
    response = client.post_form(link, {"password": "annpeeters1", "confirm": "annpeeters1"})
    assert response.status_code == 422 and TOO_EASY in response.get_data(as_text=True)
    response = client.post_form(link, {"password": "een heel nieuw wachtwoord", "confirm": "een heel nieuw wachtwoord"})
    assert response.status_code == 302


def test_accepting_an_invitation_refuses_a_guessable_password(client, outbox, app):
    from warmeveranderen.accounts import services
    from warmeveranderen.extensions import db

    with app.test_request_context():
        services.invite(email="nieuw@school.example.org", name="Nieuw", role="adviser", invited_by=None)
    db.session.commit()
    [message] = outbox()
    link = re.search(r"http://localhost(/uitnodiging/\S+)", message.get_body(preferencelist=("plain",)).get_content())
    response = client.post_form(link.group(1), {"name": "Nieuw", "password": "aaaaaaaaaa", "confirm": "aaaaaaaaaa"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert TOO_EASY in html and 'value="Nieuw"' in html


def test_create_coordinator_refuses_a_guessable_password(runner):
    result = runner.invoke(args=["create-coordinator", "baas@example.org"], input="Cor\n1234567890\n1234567890\n")
    assert result.exit_code != 0 and TOO_EASY in result.output
