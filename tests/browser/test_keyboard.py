"""Keyboard only: the skip link comes first, every focus stop is visible, forms work with Tab and Enter.

`keyboard_fill` (tests/browser/helpers.py) is the helper for any form: the forum's advice form is
filled with the keyboard only by the pupil in tests/browser/test_journey_forum.py.
"""


import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_focus_visible, focus_state, keyboard_fill, visit, wait_for_path


@pytest.mark.browser
def test_login_with_the_keyboard_only(page, demo):
    visit(page, "/inloggen")

    # The first Tab shows the skip link on screen; Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    state = assert_focus_visible(page)
    assert state["text"] == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # From the main content, Tab goes through the form in reading order.
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mailadres")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(demo.users["director"].email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(demo.password)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Aangemeld blijven op dit toestel")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Inloggen")).to_be_focused()
    assert_focus_visible(page)

    page.keyboard.press("Enter")
    wait_for_path(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dag {demo.users['director'].name}")


@pytest.mark.browser
def test_a_failed_login_moves_the_focus_to_the_message(page, demo):
    visit(page, "/inloggen")
    keyboard_fill(page, {"E-mailadres": demo.users["director"].email, "Wachtwoord": "fout wachtwoord"}, submit="Inloggen")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("horen niet bij elkaar")
    assert focus_state(page)["onScreen"]


@pytest.mark.browser
def test_keyboard_fill_handles_selects_and_checkboxes(page, demo, outbox):
    """The director invites the flywheel's trekker without touching the mouse."""
    visit(page, "/inloggen")
    keyboard_fill(page, {"E-mailadres": demo.users["director"].email, "Wachtwoord": demo.password}, submit="Inloggen")
    wait_for_path(page, "/")
    visit(page, f"/scholen/{demo.school.id}/mensen")
    keyboard_fill(
        page,
        {
            "Naam": "Kim Toetsenbord",
            "E-mailadres": "kim@example.org",
            "Rol": "Vliegwiel",
            "Trekker van het vliegwiel": True,
        },
        submit="Uitnodiging versturen",
    )
    expect(page.get_by_role("status")).to_contain_text("Uitnodiging verstuurd naar kim@example.org")
    assert [m["To"] for m in outbox()] == ["kim@example.org"]


@pytest.mark.browser
def test_keyboard_fill_chooses_radio_options(page):
    """The radio branch of keyboard_fill, on a form like the forum's advice form (stance + reasoning)."""
    page.set_content("""
      <style>:focus-visible { outline: 3px solid black; }</style>
      <form onsubmit="event.preventDefault(); document.body.dataset.sent = new FormData(this).get('stance')">
        <fieldset><legend>Standpunt</legend>
          <input type="radio" name="stance" id="s1" value="support"><label for="s1">Steun</label>
          <input type="radio" name="stance" id="s2" value="concerns"><label for="s2">Steun met bedenkingen</label>
          <input type="radio" name="stance" id="s3" value="objection"><label for="s3">Bezwaar</label>
        </fieldset>
        <label for="r">Toelichting</label><textarea id="r" name="reasoning"></textarea>
        <button type="submit">Advies geven</button>
      </form>""")
    keyboard_fill(page, {"Bezwaar": True, "Toelichting": "Te snel."}, submit="Advies geven")
    assert page.get_by_label("Bezwaar").is_checked()
    assert page.get_by_label("Toelichting").input_value() == "Te snel."
    assert page.evaluate("() => document.body.dataset.sent") == "objection"
