"""A teacher signs in with the school's account through a real OpenID Connect provider (npm's
oidc-provider on 127.0.0.1): the authorization-code flow with PKCE in Chromium, the one-time link,
and then one click. Desktop and phone width."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import visit, wait_for_path
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcTestProvider
from warmeveranderen.accounts import sso, sso_services
from warmeveranderen.accounts.models import Invitation
from warmeveranderen.extensions import db


@pytest.fixture(scope="module")
def idp(live_server):
    provider = OidcTestProvider([live_server.url + "/inloggen/sso/terug"]).start()
    yield provider
    provider.stop()


def _provider_pages(page, email):
    """The provider's own development login and consent pages."""
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("wat-dan-ook")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_a_teacher_signs_in_with_the_school_account_and_lands_in_the_school(new_page, app, idp, browser_log,
                                                                          monkeypatch, width):
    monkeypatch.setitem(app.config, "SSO_ALLOW_HTTP_LOOPBACK", True)
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    sso.clear_caches()
    school = SchoolFactory(name="Basisschool De Linde")
    teacher = UserFactory(email="lien@delinde.example.org", name="Lien Peeters", password_hash=None)
    MembershipFactory(user=teacher, school=school, role="forum", stakeholder_group="staff")
    db.session.add(Invitation(email=teacher.email, name=teacher.name, school=school, role="forum",
                              stakeholder_group="staff"))
    sso_services.save_provider(None, name="Microsoft", issuer=idp.issuer, client_id=CLIENT_ID,
                               client_secret=CLIENT_SECRET, email_domains="delinde.example.org", schools=[],
                               required=False, enabled=True)
    db.session.commit()

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, "/inloggen")
    page.get_by_role("link", name="Aanmelden met Microsoft").click()
    _provider_pages(page, teacher.email)
    wait_for_path(page, "/inloggen/sso/koppelen")
    expect(page.get_by_role("main")).to_contain_text(teacher.email)
    page.screenshot(path=f"test-artifacts/sso-link-{width}.png", full_page=True)
    page.get_by_role("button", name="Koppelen en aanmelden").click()
    wait_for_path(page, "/")
    expect(page.get_by_role("main")).to_contain_text("Basisschool De Linde")
    page.screenshot(path=f"test-artifacts/sso-home-{width}.png", full_page=True)

    # Next time: one click, no link page, no password.
    again = new_page()
    visit(again, "/inloggen")
    again.get_by_role("link", name="Aanmelden met Microsoft").click()
    _provider_pages(again, teacher.email)
    wait_for_path(again, "/")
    expect(again.get_by_role("main")).to_contain_text("Basisschool De Linde")
    # The provider's own development pages are not ours to judge (they load a web font).
    browser_log.messages[:] = [m for m in browser_log.messages
                               if not (m[0].startswith(idp.issuer) or "fonts.googleapis.com" in m[0])]
