"""Every page type per role, for the accessibility and console checks (test_axe.py, test_csp.py).

Each entry is a PageCase: the role that looks (a key of DEMO_ROLES, or "anonymous"), a short name,
and how to get there: `path(demo)` returns the address (it may create rows first, in the test's app
context), or `reach(page, demo)` acts in the browser for a page that has no address of its own.
To cover a new page, add one entry, e.g. for a feature's main page per role:

    *[PageCase(role, "sprint board", lambda d: f"/scholen/{d.school.id}/sprints") for role in SCHOOL_ROLES],
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app

from tests.browser.helpers import visit

# The demo account (local part of the address) for each role the tests look with.
DEMO_ROLES = {
    "coordinator": "coordinator",
    "adviser": "adviseur",
    "director": "directeur",
    "board": "bestuur",
    "flywheel_lead": "trekker",
    "flywheel": "vliegwiel",
    "forum": "forumlid",
    "pupil": "leerling",
}
PROGRAMME_ROLES = ("coordinator", "adviser")
SCHOOL_MEMBER_ROLES = ("director", "board", "flywheel_lead", "flywheel", "forum", "pupil")
SCHOOL_ROLES = PROGRAMME_ROLES + SCHOOL_MEMBER_ROLES  # everyone who may see the demo school


def load_demo_world() -> SimpleNamespace:
    """Load the demo programme (47 real schools, one account per role) plus an unread notification each.

    Returns plain values, not database rows, so the world outlives the session it was loaded in:
    `school`, `other_school`, `network`, `city` (each with `id` and `name`), `users` (role -> `id`,
    `email`, `name`) and the demo `password`.
    """
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.services import notify
    from warmeveranderen.programme.demo import demo_email, load_demo
    from warmeveranderen.programme.models import School

    school = load_demo()
    users = {role: db.session.scalar(db.select(User).where(User.email == demo_email(local)))
             for role, local in DEMO_ROLES.items()}
    for role, user in users.items():
        notify([user], category="demo", title="Welkom in Warm Veranderen", url="/",
               body="Hier verschijnen je meldingen.", school=None if role in PROGRAMME_ROLES else school)
    db.session.commit()
    other = db.session.scalar(db.select(School).where(School.id != school.id).order_by(School.name).limit(1))

    def plain(row, *names):
        return SimpleNamespace(**{name: getattr(row, name) for name in ("id", "name", *names)})

    return SimpleNamespace(
        school=plain(school),
        other_school=plain(other),
        network=plain(school.network),
        city=plain(school.city),
        users={role: plain(user, "email") for role, user in users.items()},
        password=current_app.config["DEMO_PASSWORD"],
    )


def row(model, plain):
    """The database row behind a plain value of the world, in the current session."""
    from warmeveranderen.extensions import db

    return db.session.get(model, plain.id)


@dataclass(frozen=True)
class PageCase:
    role: str
    name: str
    path: Callable[[SimpleNamespace], str] | None = None
    status: int = 200
    reach: Callable[[object, SimpleNamespace], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.role}:{self.name}"

    def open(self, page, demo: SimpleNamespace) -> None:
        if self.reach is not None:
            self.reach(page, demo)
        else:
            visit(page, self.path(demo), status=self.status)


def _invitation_path(demo) -> str:
    """A fresh invitation for a new forum member of the demo school; its link's path."""
    from warmeveranderen.accounts import services as accounts
    from warmeveranderen.accounts.models import User
    from warmeveranderen.programme.models import School

    accounts.invite(email=f"nieuw.forumlid.{uuid.uuid4().hex[:8]}@example.org", name="Nina Nieuw", role="forum",
                    invited_by=row(User, demo.users["director"]), school=row(School, demo.school), stakeholder_group="staff")
    return _last_link_path()


def _reset_path(demo) -> str:
    from warmeveranderen.accounts import services as accounts

    accounts.send_password_reset(demo.users["forum"].email)
    return _last_link_path()


def _last_link_path() -> str:
    """The path of the link in the newest email of the outbox."""
    import email
    import re
    from email import policy
    from pathlib import Path

    newest = max(Path(current_app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    message = email.message_from_bytes(newest.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def _reach_csrf_error(page, demo) -> None:
    """A login form whose token went stale: the 'form expired' page (400)."""
    visit(page, "/inloggen")
    page.locator("main input[name=csrf_token]").evaluate("e => { e.value = 'verlopen'; }")
    page.get_by_label("E-mailadres").fill(demo.users["forum"].email)
    page.get_by_label("Wachtwoord", exact=True).fill(demo.password)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Inloggen").click()
    assert answer.value.status == 400


def _reach_server_error(page, demo) -> None:
    """The app's own 500 page, as its error handler renders it, served with the app's CSP."""
    from werkzeug.exceptions import InternalServerError

    from warmeveranderen.core.errors import render_error
    from warmeveranderen.security import CSP

    with current_app.test_request_context("/"):
        html, code = render_error(InternalServerError())
    page.route("**/storing", lambda route: route.fulfill(
        status=code, body=html, content_type="text/html; charset=utf-8", headers={"Content-Security-Policy": CSP}))
    visit(page, "/storing", status=500)


PAGES: list[PageCase] = [
    # Before logging in.
    PageCase("anonymous", "login", lambda d: "/inloggen"),
    PageCase("anonymous", "forgot password", lambda d: "/wachtwoord-vergeten"),
    PageCase("anonymous", "reset password", _reset_path),
    PageCase("anonymous", "accept invitation", _invitation_path),
    PageCase("anonymous", "invalid invitation", lambda d: "/uitnodiging/ongeldig", status=410),
    PageCase("anonymous", "not found", lambda d: "/bestaat-niet", status=404),
    PageCase("anonymous", "form expired", reach=_reach_csrf_error),
    PageCase("anonymous", "server error", reach=_reach_server_error),
    # Every person.
    *[PageCase(role, "home", lambda d: "/") for role in DEMO_ROLES],
    *[PageCase(role, "profile", lambda d: "/profiel") for role in DEMO_ROLES],
    *[PageCase(role, "notifications", lambda d: "/meldingen/") for role in DEMO_ROLES],
    # The demo school, its people and its learning network.
    *[PageCase(role, "school home", lambda d: f"/scholen/{d.school.id}") for role in SCHOOL_ROLES],
    *[PageCase(role, "school people", lambda d: f"/scholen/{d.school.id}/mensen") for role in SCHOOL_ROLES],
    *[PageCase(role, "network", lambda d: f"/netwerken/{d.network.id}") for role in SCHOOL_ROLES],
    # The programme.
    *[PageCase(role, "programme overview", lambda d: "/programma") for role in PROGRAMME_ROLES],
    PageCase("coordinator", "cities", lambda d: "/programma/steden"),
    PageCase("coordinator", "edit city", lambda d: f"/programma/steden/{d.city.id}"),
    PageCase("coordinator", "networks", lambda d: "/programma/netwerken"),
    PageCase("coordinator", "edit network", lambda d: f"/programma/netwerken/{d.network.id}/bewerken"),
    PageCase("coordinator", "new school", lambda d: "/programma/scholen/nieuw"),
    PageCase("coordinator", "edit school", lambda d: f"/programma/scholen/{d.school.id}/bewerken"),
    PageCase("coordinator", "people", lambda d: "/programma/mensen"),
    PageCase("coordinator", "adviser assignments",
             lambda d: f"/programma/mensen/{d.users['adviser'].id}/toewijzingen"),
    # Refusals.
    PageCase("forum", "forbidden", lambda d: "/programma", status=403),
    PageCase("director", "other school forbidden", lambda d: f"/scholen/{d.other_school.id}", status=403),
]


def pages_for(role: str) -> list[PageCase]:
    return [case for case in PAGES if case.role == role]
