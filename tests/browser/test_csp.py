"""The strict Content-Security-Policy blocks nothing the pages need: no console errors on any page.

Chromium reports a CSP violation (an inline script or style, a style attribute, a foreign source)
as a console error; uncaught JavaScript errors arrive as page errors. Every page of every role in
tests/browser/pages.py is opened once per role, after logging in through the form.
"""

import pytest

from tests.browser.helpers import visit
from tests.browser.pages import DEMO_ROLES, pages_for


@pytest.mark.browser
@pytest.mark.parametrize("role", ["anonymous", *DEMO_ROLES])
def test_no_console_errors_or_csp_violations_on_any_page(role, page_as, shared_demo, browser_log):
    page = page_as(role)
    problems = []
    for case in pages_for(role):
        case.open(page, shared_demo)
        problems += [f"{case.id}: {error}" for error in browser_log.take()]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_csp_violation_is_caught(page_as, browser_log):
    """The check itself works: a style attribute added to a page is refused and reported."""
    page = page_as("anonymous")
    visit(page, "/inloggen")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    errors = browser_log.take()
    assert any("Content Security Policy" in error for error in errors), errors
