"""What a person does in the browser, as helpers the journey tests share.

- `login(page, email, password)` fills the real login form.
- `visit(page, path, status=200)` opens a page and checks the status of the document.
- `keyboard_fill(page, fields, submit=...)` fills a form with the keyboard only: Tab to each field,
  type (or choose with the arrow keys, or tick with Space), then Tab to the button and press Enter;
  every stop must show a visible focus indicator. Use it for any form that must work without a mouse.
- `email_link(outbox, live_server, ...)` reads the newest email's link and points it at the live server.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.factories import PASSWORD

MAX_TABS = 80
LINK_RE = re.compile(r"https?://\S+")


def visit(page, path: str, status: int = 200):
    """Open `path` (relative to the live server) and check the document's status."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path}: status {response.status}, expected {status}"
    return response


def wait_for_path(page, path: str) -> None:
    """Wait until the page shows `path` (whatever the query or fragment, e.g. #main after the skip link)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would, and land on the home page."""
    visit(page, "/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    wait_for_path(page, "/")


def logout(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    wait_for_path(page, "/inloggen")


def email_link(outbox, live_server, to: str, index: int = -1) -> str:
    """The first link in the `index`-th email sent to `to` (newest by default), on the live server."""
    messages = [m for m in outbox() if to.lower() in m["To"].lower()]
    assert messages, f"no email to {to}"
    body = messages[index].get_body(preferencelist=("plain",)).get_content()
    match = LINK_RE.search(body)
    assert match, f"no link in the email to {to}"
    return live_server.link(match.group(0))


# --- the keyboard ---------------------------------------------------------------------------

_FOCUS_STATE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(),
    text: (e.getAttribute('aria-label') || e.labels?.[0]?.innerText || e.innerText || e.name || '').trim().slice(0, 60),
    focusVisible: e.matches(':focus-visible'),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    shadow: s.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
              && r.left < window.innerWidth && r.top < window.innerHeight,
  };
}"""


def focus_state(page) -> dict | None:
    """What has the keyboard focus, and whether that is visible."""
    return page.evaluate(_FOCUS_STATE)


def assert_focus_visible(page) -> dict:
    """The focused element is on screen and drawn with an outline or a focus shadow."""
    state = focus_state(page)
    assert state is not None, "nothing has the keyboard focus"
    assert state["onScreen"], f"the focused {state['tag']} '{state['text']}' is not on screen"
    assert state["focusVisible"] and (state["outline"] or state["shadow"]), (
        f"the focused {state['tag']} '{state['text']}' shows no visible focus indicator"
    )
    return state


def tab_to(page, locator, max_tabs: int = MAX_TABS) -> None:
    """Press Tab until `locator` has the focus, checking that every stop on the way shows its focus."""
    element = locator.element_handle()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if element.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached with {max_tabs} presses of Tab")


def _choose_option(page, control, text: str) -> None:
    """Move through a <select> with the arrow keys until the option `text` is chosen."""
    options = control.evaluate("e => Array.from(e.options).map(o => o.text.trim())")
    assert text in options, f"no option '{text}' in {options}"
    page.keyboard.press("Home")
    for _ in range(len(options)):
        if control.evaluate("e => e.options[e.selectedIndex].text.trim()") == text:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose '{text}' with the arrow keys")


def keyboard_fill(page, fields: dict[str, str | bool], submit: str | None = None) -> None:
    """Fill a form with the keyboard only, in the order of `fields`, and submit it with Enter.

    `fields` maps each control's visible label to what to do:
    - a string for a text field or text area: typed as a person types it;
    - a string for a <select>: the visible text of the option, reached with the arrow keys;
    - True/False for a checkbox: ticked or unticked with Space;
    - True for a radio button (label of that option): its group is reached with Tab and the option
      chosen with the arrow keys.
    `submit` is the button's accessible name: reached with Tab and pressed with Enter.
    Every stop of the focus on the way must be visible (outline or focus shadow).

        keyboard_fill(page, {"Standpunt": "Bezwaar", "Toelichting": "Te snel."}, submit="Advies geven")
    """
    for label, value in fields.items():
        control = page.get_by_label(label, exact=True)
        kind = control.evaluate("e => e.tagName === 'SELECT' ? 'select' : (e.type || e.tagName).toLowerCase()")
        if kind == "radio":
            name = control.get_attribute("name")
            group = page.locator(f"input[type=radio][name='{name}']")
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                assert_focus_visible(page)
                if page.evaluate("n => document.activeElement?.name === n", name):
                    break
            else:
                raise AssertionError(f"radio group '{name}' not reached with Tab")
            for _ in range(group.count()):
                if control.is_checked():
                    break
                page.keyboard.press("ArrowDown")
            assert control.is_checked(), f"could not choose '{label}' with the arrow keys"
            continue
        tab_to(page, control)
        if kind == "select":
            _choose_option(page, control, str(value))
        elif kind == "checkbox":
            if control.is_checked() != bool(value):
                page.keyboard.press("Space")
            assert control.is_checked() == bool(value), f"'{label}' did not toggle with Space"
        else:
            page.keyboard.press("Control+a")
            page.keyboard.press("Delete")
            page.keyboard.type(str(value))
    if submit is not None:
        tab_to(page, page.get_by_role("button", name=submit, exact=True))
        page.keyboard.press("Enter")
