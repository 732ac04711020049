"""Browser fixtures: the test app served on 127.0.0.1, one Chromium per session, a fresh context per test.

The live server runs the session's `app` (tests/conftest.py) in a thread, on the same database the
other tests use: rows made with the factories or the demo loader are committed, so the server sees
them. The browser runs in the test thread through Playwright's sync API; each request the server
handles pushes its own app context in its own thread, so the test's app context is never shared.

Every test that uses `page` (or `new_page`) is checked at the end for console errors, uncaught
JavaScript errors and CSP violations (Chromium reports those as console errors). When a test fails,
a screenshot and the HTML of each of its open pages go to test-artifacts/.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.helpers import login
from tests.browser.pages import load_demo_world
from tests.conftest import _empty_tables
from warmeveranderen.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A document that answers 4xx/5xx on purpose (an error page under test) is logged by Chromium as
# "Failed to load resource"; that is the test's business, not a console error of the page.
FAILED_RESOURCE = "Failed to load resource"


class LiveServer:
    """The app on 127.0.0.1 with a port the OS chose, served by werkzeug in a daemon thread."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)

    def link(self, url: str) -> str:
        """The same link on the live server (emails are built on BASE_URL, http://localhost in tests)."""
        return re.sub(r"^https?://[^/]+", self.url, url)


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's; no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class BrowserLog:
    """What the pages of one test reported: console errors, uncaught errors, failing documents."""

    def __init__(self):
        self.messages: list[tuple[str, str]] = []  # (location url, text)
        self.failed_documents: set[str] = set()

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.messages.append((page.url, f"uncaught: {error}")))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.messages.append((message.location.get("url", ""), message.text))

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self.failed_documents.add(response.url)

    def errors(self) -> list[str]:
        """Console errors, except the load failure of a document that answered an error status."""
        return [
            f"{text} (at {url})"
            for url, text in self.messages
            if not (text.startswith(FAILED_RESOURCE) and url in self.failed_documents)
        ]

    def take(self) -> list[str]:
        """The errors so far, forgotten afterwards (for tests that provoke one on purpose)."""
        found = self.errors()
        self.messages.clear()
        return found


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def new_page(request, browser, live_server, browser_log):
    """A factory of pages, each in its own fresh browser context (its own cookies: another person)."""
    contexts = []
    pages = []
    request.node._browser_pages = pages

    def open_page(storage_state: dict | None = None, **options):
        """`options` go to the new context, e.g. java_script_enabled=False for the no-JavaScript fallbacks."""
        context = browser.new_context(
            base_url=live_server.url,
            locale="nl-BE",
            timezone_id="Europe/Brussels",
            viewport={"width": 1280, "height": 900},
            storage_state=storage_state,
            # Bootstrap scrolls smoothly unless motion is reduced: with it, a field reached with Tab is
            # only on screen after the animation, and the keyboard checks would look too early.
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        browser_log.attach(page)
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    errors = browser_log.errors()
    assert not errors, "console errors or CSP violations in the browser:\n" + "\n".join(errors)


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context (no cookies), with base_url set to the live server."""
    return new_page()


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:180]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot and the HTML of every open page of a failed browser test."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = getattr(item, "_browser_pages", [])
    if not pages:
        return
    folder = Path(item.config.rootpath) / "test-artifacts"
    folder.mkdir(exist_ok=True)
    base = _artifact_name(item.nodeid)
    saved = []
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        stem = folder / (base if len(pages) == 1 else f"{base}-{number}")
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser artefacts", f"could not save {stem}: {exc}"))
            continue
        saved.append(f"{stem}.png (at {page.url})")
    if saved:
        report.sections.append(("browser artefacts", "\n".join(saved)))


@pytest.fixture
def demo(app):
    """The demo programme with one account per role (see tests/browser/pages.py), for this test only."""
    return load_demo_world()


@pytest.fixture(scope="module")
def shared_demo(app):
    """The demo programme loaded once for a whole module of tests that only look (the page checks).

    Tables are emptied after the module instead of after each test. Use it in a module where every
    test uses it; a test that changes data takes `demo` instead.
    """
    with app.app_context():
        world = load_demo_world()
        db.session.remove()
    world.sessions = {}  # role -> the browser's storage state after logging in through the form
    yield world
    with app.app_context():
        db.session.remove()
        _empty_tables()
    _empty_outbox(app)


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """As in tests/conftest.py, except that tests on the shared demo leave the tables to the module."""
    shared = "shared_demo" in request.fixturenames
    with app.app_context():
        yield
        db.session.remove()
        if not shared:
            _empty_tables()
    if not shared:
        _empty_outbox(app)


def _empty_outbox(app) -> None:
    for path in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        path.unlink()


@pytest.fixture
def page_as(new_page, shared_demo):
    """A fresh page logged in as a role of the shared demo ("anonymous": not logged in).

    The first page of a role logs in through the real form; later ones reuse that browser session.
    """

    def open_as(role: str):
        if role == "anonymous":
            return new_page()
        state = shared_demo.sessions.get(role)
        if state is not None:
            return new_page(storage_state=state)
        page = new_page()
        login(page, shared_demo.users[role].email, shared_demo.password)
        shared_demo.sessions[role] = page.context.storage_state()
        return page

    return open_as
