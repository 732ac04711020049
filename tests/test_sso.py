"""Single sign-on with OpenID Connect against a real provider (npm oidc-provider on 127.0.0.1):
the authorization-code flow with PKCE, matching by verified email to an account or invitation, and
the refusals (wrong issuer, bad signature, unverified email, expired state, replayed code)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcTestProvider
from warmeveranderen.accounts import sso, sso_services
from warmeveranderen.accounts.models import Invitation, OidcProvider, SsoIdentity, User
from warmeveranderen.extensions import db

CALLBACK = "http://localhost/inloggen/sso/terug"


@pytest.fixture(scope="module")
def idp():
    provider = OidcTestProvider([CALLBACK]).start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _loopback_http(app, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_HTTP_LOOPBACK", True)
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    sso.clear_caches()


def _provider(idp, *, issuer=None, domains="school.example.org", schools=(), required=False) -> OidcProvider:
    provider = sso_services.save_provider(
        None, name="Microsoft", issuer=issuer or idp.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        email_domains=domains, schools=list(schools), required=required, enabled=True)
    db.session.commit()
    return provider


def _start(client, provider) -> str:
    response = client.get(f"/inloggen/sso/{provider.id}")
    assert response.status_code == 302
    return response.location


def _sign_in(client, idp, provider, email):
    """The whole flow up to the app's answer to the provider's redirect back."""
    back = idp.login(_start(client, provider), email)
    assert back.startswith(CALLBACK)
    return client.get(back.removeprefix("http://localhost")), back


def _invited(email="leerkracht@school.example.org"):
    school = SchoolFactory()
    user = UserFactory(email=email, password_hash=None, name="Lien Leerkracht")
    MembershipFactory(user=user, school=school, role="forum", stakeholder_group="staff")
    db.session.add(Invitation(email=email, name=user.name, school=school, role="forum", stakeholder_group="staff"))
    db.session.commit()
    return user, school


def test_an_invited_teacher_links_once_then_signs_in_with_one_click(client, idp):
    user, school = _invited()
    provider = _provider(idp)

    response, _back = _sign_in(client, idp, provider, user.email)
    assert response.status_code == 302 and response.location.endswith("/inloggen/sso/koppelen")
    page = client.get("/inloggen/sso/koppelen")
    assert user.email in page.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in before confirming
    linked = client.post_form("/inloggen/sso/koppelen", {})
    assert linked.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and school.name in home.get_data(as_text=True)

    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.uses_sso and user.password_hash is None and user.is_active
    assert db.session.scalar(db.select(Invitation).where(Invitation.email == user.email)).accepted_at is not None
    [identity] = db.session.scalars(db.select(SsoIdentity)).all()
    assert identity.subject == user.email and identity.user_id == user.id

    again = client.application.test_client()
    response, _back = _sign_in(again, idp, provider, user.email)
    assert response.status_code == 302 and response.location == "/"  # straight in: no second link
    assert again.get("/").status_code == 200


def test_a_verified_address_without_account_or_invitation_gets_no_access(client, idp):
    provider = _provider(idp)
    response, _back = _sign_in(client, idp, provider, "onbekend@school.example.org")
    assert response.status_code == 302 and response.location.endswith("/inloggen")
    assert "geen account of uitnodiging" in client.get("/inloggen").get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "onbekend@school.example.org")) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(SsoIdentity)) == 0


def test_a_provider_only_vouches_for_its_own_domains_and_schools(client, idp):
    user = UserFactory(email="directeur@anderschool.example.org")
    provider = _provider(idp)  # serves school.example.org only
    response, _back = _sign_in(client, idp, provider, user.email)
    assert response.location.endswith("/inloggen")
    assert client.get("/").status_code == 302


def test_an_unverified_email_is_refused(client, idp):
    UserFactory(email="unverified@school.example.org")
    provider = _provider(idp)
    response, _back = _sign_in(client, idp, provider, "unverified@school.example.org")
    assert response.location.endswith("/inloggen")
    assert "bevestigt je e-mailadres niet" in client.get("/inloggen").get_data(as_text=True)


def test_a_provider_that_is_not_who_it_says_is_refused(client, idp):
    provider = _provider(idp, issuer=idp.issuer + "/")  # discovery names another issuer
    response = client.get(f"/inloggen/sso/{provider.id}")
    assert response.status_code == 302 and response.location.endswith("/inloggen")
    assert "niet wie ze zegt te zijn" in client.get("/inloggen").get_data(as_text=True)


def test_an_id_token_with_a_bad_signature_is_refused(app, idp):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    provider = _provider(idp)
    metadata = sso.discover(idp.issuer)
    foreign = RSAKey.generate_key(2048, parameters={"kid": "vreemd"})
    claims = {"iss": idp.issuer, "aud": CLIENT_ID, "sub": "x", "nonce": "n", "exp": 4102444800, "iat": 1700000000}
    token = jwt.encode({"alg": "RS256", "kid": "vreemd"}, claims, foreign)
    with app.test_request_context(), pytest.raises(sso.SsoError):
        sso.verify_id_token(token, provider, metadata, "n")
    unsigned = jwt.encode({"alg": "HS256"}, claims, __import__("joserfc").jwk.OctKey.import_key("x" * 32))
    with app.test_request_context(), pytest.raises(sso.SsoError):
        sso.verify_id_token(unsigned, provider, metadata, "n")


def test_an_expired_login_is_refused(client, idp, monkeypatch):
    UserFactory(email="traag@school.example.org")
    provider = _provider(idp)
    back = idp.login(_start(client, provider), "traag@school.example.org")
    real = sso.time.time
    monkeypatch.setattr(sso.time, "time", lambda: real() + 601)
    response = client.get(back.removeprefix("http://localhost"))
    assert response.location.endswith("/inloggen")
    assert "duurde te lang" in client.get("/inloggen").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_replayed_callback_or_code_is_refused(client, app, idp):
    user = UserFactory(email="lid@school.example.org")
    provider = _provider(idp)
    first, back = _sign_in(client, idp, provider, user.email)
    assert first.location.endswith("/inloggen/sso/koppelen")

    # The same redirect again in another browser: no login of its own in progress.
    other = app.test_client()
    assert other.get(back.removeprefix("http://localhost")).location.endswith("/inloggen")
    assert other.get("/").status_code == 302

    # A new login's state with the old code: the provider refuses the code a second time.
    third = app.test_client()
    state = parse_qs(urlsplit(_start(third, provider)).query)["state"][0]
    code = parse_qs(urlsplit(back).query)["code"][0]
    replay = third.get(f"/inloggen/sso/terug?code={code}&state={state}")
    assert replay.location.endswith("/inloggen")
    assert third.get("/").status_code == 302


def test_a_school_that_requires_sso_refuses_the_password(client, idp):
    school = SchoolFactory()
    teacher = UserFactory(email="juf@school.example.org")
    MembershipFactory(user=teacher, school=school, role="flywheel")
    outsider = UserFactory(email="ouder@elders.example.org")
    _provider(idp, domains="", schools=[school], required=True)

    refused = client.post_form("/inloggen", {"email": teacher.email, "password": "correct horse battery"})
    assert refused.status_code == 403
    assert "Aanmelden met Microsoft" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    other = client.application.test_client()
    assert other.post_form("/inloggen", {"email": outsider.email, "password": "correct horse battery"}).status_code == 302


def test_only_link_cannot_be_removed_without_a_password(client, idp, auth):
    user, _school = _invited("enkel@school.example.org")
    provider = _provider(idp)
    _sign_in(client, idp, provider, user.email)
    client.post_form("/inloggen/sso/koppelen", {})
    identity = db.session.scalar(db.select(SsoIdentity))
    response = client.post_form(f"/profiel/aanmelden/{identity.id}/ontkoppelen", {})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(SsoIdentity)) == 1


def test_the_coordinator_configures_a_provider_and_the_secret_is_sealed(client, auth):
    coordinator = UserFactory(is_coordinator=True)
    auth.login(client, coordinator.email)
    bad = client.post_form("/programma/aanmelddiensten/nieuw", {
        "name": "Google", "issuer": "http://accounts.google.com", "client_id": "abc", "client_secret": "s3cr3t",
        "email_domains": "school.be", "enabled": "y"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "https://" in page and 'value="abc"' in page
    ok = client.post_form("/programma/aanmelddiensten/nieuw", {
        "name": "Google", "issuer": "https://accounts.google.com", "client_id": "abc", "client_secret": "s3cr3t",
        "email_domains": "@School.be scholengroep.be", "enabled": "y"})
    assert ok.status_code == 302
    provider = db.session.scalar(db.select(OidcProvider))
    assert provider.email_domains == "scholengroep.be school.be"
    assert "s3cr3t" not in provider.client_secret_sealed and sso_services.unseal(provider) == "s3cr3t"
    assert "Aanmelden met Google" in client.application.test_client().get("/inloggen").get_data(as_text=True)
    # Editing without a secret keeps the stored one.
    client.post_form(f"/programma/aanmelddiensten/{provider.id}", {
        "name": "Google Workspace", "issuer": "https://accounts.google.com", "client_id": "abc",
        "email_domains": "school.be", "enabled": "y"})
    db.session.expire_all()
    assert sso_services.unseal(db.session.get(OidcProvider, provider.id)) == "s3cr3t"
