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
from datetime import timedelta
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
    from warmeveranderen.demo import load_demo
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.services import notify
    from warmeveranderen.programme.demo import demo_email
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
    # False where another role's case already runs axe on the same template with the same controls
    # (the console check still opens it for this role).
    axe: bool = True

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
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.programme import people
    from warmeveranderen.programme.models import School

    people.invite(email=f"nieuw.forumlid.{uuid.uuid4().hex[:8]}@example.org", name="Nina Nieuw", role="forum",
                    invited_by=row(User, demo.users["director"]), school=row(School, demo.school), stakeholder_group="staff")
    db.session.commit()  # services flush; the test's setup is its own unit of work
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
    *[PageCase(role, "profile", lambda d: "/profiel", axe=role in ("coordinator", "pupil")) for role in DEMO_ROLES],
    *[PageCase(role, "notifications", lambda d: "/meldingen/", axe=role in ("coordinator", "forum")) for role in DEMO_ROLES],
    # The demo school, its people and its learning network.
    *[PageCase(role, "school home", lambda d: f"/scholen/{d.school.id}") for role in SCHOOL_ROLES],
    *[PageCase(role, "school people", lambda d: f"/scholen/{d.school.id}/mensen",
               axe=role in ("coordinator", "director", "flywheel_lead", "forum")) for role in SCHOOL_ROLES],
    *[PageCase(role, "network", lambda d: f"/netwerken/{d.network.id}", axe=role in ("adviser", "director"))
      for role in SCHOOL_ROLES],
    # The programme.
    *[PageCase(role, "programme overview", lambda d: "/programma") for role in PROGRAMME_ROLES],
    PageCase("coordinator", "cities", lambda d: "/programma/steden"),
    PageCase("coordinator", "edit city", lambda d: f"/programma/steden/{d.city.id}"),
    PageCase("coordinator", "networks", lambda d: "/programma/netwerken"),
    PageCase("coordinator", "edit network", lambda d: f"/programma/netwerken/{d.network.id}/bewerken"),
    PageCase("coordinator", "new school", lambda d: "/programma/scholen/nieuw"),
    PageCase("coordinator", "sso providers", lambda d: "/programma/aanmelddiensten"),
    PageCase("coordinator", "new sso provider", lambda d: "/programma/aanmelddiensten/nieuw"),
    PageCase("coordinator", "programme webhooks", lambda d: "/programma/koppelingen"),
    PageCase("coordinator", "survey settings", lambda d: "/programma/bevragingen-instellingen"),
    PageCase("pupil", "delete own account", lambda d: "/profiel/account-verwijderen"),
    PageCase("coordinator", "edit school", lambda d: f"/programma/scholen/{d.school.id}/bewerken"),
    PageCase("coordinator", "people", lambda d: "/programma/mensen"),
    PageCase("coordinator", "adviser assignments",
             lambda d: f"/programma/mensen/{d.users['adviser'].id}/toewijzingen"),
    # Issue 16: searches, structure corrections and their log, data in and out.
    PageCase("coordinator", "people search", lambda d: f"/programma/mensen?zoek=a&school_zoek={d.school.name[:4]}"),
    PageCase("coordinator", "merge school", lambda d: f"/programma/opschonen/school/{d.school.id}/samenvoegen"),
    PageCase("coordinator", "remove city", lambda d: f"/programma/opschonen/stad/{d.city.id}/verwijderen"),
    PageCase("coordinator", "structure log", lambda d: "/programma/logboek"),
    PageCase("coordinator", "data in and out", lambda d: "/programma/gegevens"),
    PageCase("coordinator", "import people", lambda d: "/programma/gegevens/mensen/importeren"),
    # Refusals.
    PageCase("forum", "forbidden", lambda d: "/programma", status=403),
    PageCase("director", "other school forbidden", lambda d: f"/scholen/{d.other_school.id}", status=403),
]


# --- the features' pages ------------------------------------------------------------------------
# One role per page where every role sees the same template the same way; a second role where the
# page differs (who may edit sees forms, the others read). The demo school is made busy once per
# module (`_busy`): sprint 1 running with three initiatives, one put to the forum with advice, a
# published vision. Intake pages use the other demo schools, which the demo gives an agreement in
# each state (the demo school itself starts without one, for the intake journey).


def _busy(demo) -> SimpleNamespace:
    """Sprint 1 running, a forum round with advice, a published vision, for the demo school (once)."""
    if getattr(demo, "busy", None) is not None:
        return demo.busy
    from tests.browser.journey import IDEAS, ready_for_forum, running_sprint_1
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.forum import services as forum
    from warmeveranderen.forum.models import ForumSession
    from warmeveranderen.programme.models import School
    from warmeveranderen.sprints.models import Initiative
    from warmeveranderen.timeutil import utcnow
    from warmeveranderen.vision import services as vision

    with current_app.test_request_context():
        sprint = running_sprint_1(demo)
        ready_for_forum(demo, IDEAS[0])
        lead = db.session.get(User, demo.users["flywheel_lead"].id)
        initiative = db.session.scalar(db.select(Initiative).where(Initiative.title == IDEAS[0],
                                                                   Initiative.school_id == demo.school.id))
        session = db.session.scalar(db.select(ForumSession).where(ForumSession.school_id == demo.school.id))
        advice_round = forum.open_round("initiative", initiative.id, "Starten we elke maandag met een praatronde?",
                                        utcnow() + timedelta(days=7), session, opened_by=lead,
                                        background="Tien minuten inchecken in de klas.")
        forum.give_advice(advice_round, db.session.get(User, demo.users["forum"].id), "objection",
                          "Op maandag is het eerste uur al druk.", objection_kind="personal")
        school = row(School, demo.school)
        vision.save_draft(school, lead, {"reason": "Wij zijn er zodat **elke jongere** zich thuis voelt."}, 0)
        vision.publish(school, lead, "Eerste versie.", 1)
        db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
        demo.busy = SimpleNamespace(sprint_id=sprint.id, initiative_id=initiative.id, round_id=advice_round.id,
                                    session_id=session.id)
    return demo.busy


def _demo_idea(demo) -> str:
    """An open idea of the demo pupil, supported by the parent (once), as the idea's address."""
    if getattr(demo, "idea_id", None) is None:
        from warmeveranderen.accounts.models import User
        from warmeveranderen.extensions import db
        from warmeveranderen.ideas import services as ideas
        from warmeveranderen.programme.models import School

        with current_app.test_request_context():
            idea = ideas.submit_idea(db.session.get(School, demo.school.id), db.session.get(User, demo.users["pupil"].id),
                                     "Een moestuin op de speelplaats", "Dan leren we **buiten**.")
            ideas.support(idea, db.session.get(User, demo.users["forum"].id))
            db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
            demo.idea_id = idea.id
    return f"{_school(demo)}/ideeen/{demo.idea_id}"


def _demo_initiative_from_an_idea(demo) -> str:
    """The demo initiative that came from the pupil's idea (ideas/demo.py): its page, with *Volgen*."""
    from warmeveranderen.extensions import db
    from warmeveranderen.ideas.models import Idea

    initiative_id = db.session.scalar(db.select(Idea.initiative_id).where(
        Idea.school_id == demo.school.id, Idea.state == "backlog", Idea.initiative_id.is_not(None)).limit(1))
    return f"/initiatieven/{initiative_id}"


def _decided_round_with_objections(demo) -> str:
    """A decided round whose decision shows how a principled and a personal objection were weighed (once)."""
    if getattr(demo, "weighed_round_id", None) is None:
        from datetime import timedelta

        from warmeveranderen.accounts.models import User
        from warmeveranderen.extensions import db
        from warmeveranderen.forum import services as forum
        from warmeveranderen.programme.models import School
        from warmeveranderen.timeutil import utcnow

        lead = db.session.get(User, demo.users["flywheel_lead"].id)
        school = db.session.get(School, demo.school.id)
        with current_app.test_request_context():
            advice_round = forum.ask_question(school, "Een schoolfeest in juni", "Organiseren we een schoolfeest?",
                                              utcnow() + timedelta(days=2), opened_by=lead)
            forum.give_advice(advice_round, db.session.get(User, demo.users["forum"].id), "objection",
                              "Ik werk op zaterdag.", objection_kind="personal")
            forum.give_advice(advice_round, db.session.get(User, demo.users["pupil"].id), "objection",
                              "Een feest kost geld dat we voor de leerlingen nodig hebben.", objection_kind="principled")
            [principled] = [a for a in advice_round.advice if a.objection_kind == "principled"]
            now = utcnow() + timedelta(days=3)
            forum.respond(principled, lead, "De ouderraad betaalt het feest.", now=now)
            forum.decide(advice_round, lead, "adopt", "We doen het, met de ouderraad.", now=now)
            db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
            demo.weighed_round_id = advice_round.id
    return f"{_forum(demo)}/rondes/{demo.weighed_round_id}"
def _running_scan(demo) -> str:
    """A self-scan of the demo school being filled in (one answer saved), as its address."""
    if getattr(demo, "scan_id", None) is None:
        from warmeveranderen.accounts.models import User
        from warmeveranderen.extensions import db
        from warmeveranderen.networks import services_more
        from warmeveranderen.programme.models import School

        with current_app.test_request_context():
            scan = services_more.start_scan(db.session.get(School, demo.school.id), "abc",
                                            db.session.get(User, demo.users["flywheel"].id))
            services_more.save_answers(scan, {"abc_safe": (2, "Pesten op de speelplaats.")}, complete=False)
            db.session.commit()
            demo.scan_id = scan.id
    return f"{_school(demo)}/zelfscan/{demo.scan_id}"


def _network_pages() -> list[PageCase]:
    """The learning networks' platform: questions, the library, the expertise network, self-scans."""
    from warmeveranderen.networks.models import LibraryItem, NetworkQuestion
    from warmeveranderen.networks.models_cases import StarCase
    from warmeveranderen.networks.models_more import Partner, SelfScan

    def question(d):
        return f"/netwerk/vragen/{_first_id(NetworkQuestion)}"

    def item(d):
        return f"/kennisbank/{_first_id(LibraryItem)}"

    def partner(d):
        return f"/expertisenetwerk/{_first_id(Partner)}"

    def scan_result(d):
        return f"{_school(d)}/zelfscan/{_first_id(SelfScan, school_id=d.school.id)}/resultaat"

    def case(state):
        return lambda d: f"/stercasussen/{_first_id(StarCase, state=state)}"

    return [
        PageCase("flywheel_lead", "platform home", lambda d: "/netwerk"),
        PageCase("director", "star cases", lambda d: "/stercasussen"),
        PageCase("board", "published star case", case("published")),
        PageCase("flywheel_lead", "draft star case", case("draft")),
        PageCase("adviser", "edit a star case", lambda d: f"{case('draft')(d)}/bewerken"),
        PageCase("flywheel", "new star case", lambda d: f"{_school(d)}/stercasussen/nieuw"),
        PageCase("director", "network questions", lambda d: "/netwerk/vragen?q=onthaal"),
        PageCase("flywheel", "ask a question", lambda d: "/netwerk/vragen/nieuw"),
        PageCase("flywheel_lead", "network question", question),
        PageCase("board", "network question (reader)", question, axe=False),
        PageCase("adviser", "library", lambda d: "/kennisbank?bouwsteen=culture"),
        PageCase("flywheel", "share in the library", lambda d: "/kennisbank/delen"),
        PageCase("director", "library item", item),
        PageCase("coordinator", "edit a library item", lambda d: f"{item(d)}/bewerken"),
        PageCase("pupil", "expertise network", lambda d: "/expertisenetwerk"),
        PageCase("adviser", "partner", partner),
        PageCase("coordinator", "new partner", lambda d: "/expertisenetwerk/nieuw"),
        PageCase("coordinator", "edit partner", lambda d: f"{partner(d)}/bewerken"),
        PageCase("flywheel_lead", "self-scans", lambda d: f"{_school(d)}/zelfscan"),
        PageCase("forum", "self-scans (reader)", lambda d: f"{_school(d)}/zelfscan", axe=False),
        PageCase("flywheel", "fill a self-scan", _running_scan),
        PageCase("flywheel_lead", "self-scan result", scan_result),
        PageCase("pupil", "self-scan result (reader)", scan_result),
    ]


def _school_id(name: str) -> int:
    from warmeveranderen.extensions import db
    from warmeveranderen.programme.models import School

    return db.session.scalar(db.select(School.id).where(School.name == name))


def _first_id(model, **where) -> int:
    from warmeveranderen.extensions import db

    return db.session.scalar(db.select(model.id).filter_by(**where).order_by(model.id).limit(1))


def _basket_item(demo) -> int:
    from warmeveranderen.sprints.models import BasketItem

    return _first_id(BasketItem)


def _school_session(demo) -> int:
    from warmeveranderen.tracking.models import CoachingSession

    return _first_id(CoachingSession, school_id=demo.school.id)


def _sprint(demo) -> str:
    return f"/sprints/{_busy(demo).sprint_id}"


def _school(demo) -> str:
    return f"/scholen/{demo.school.id}"


def _forum(demo) -> str:
    return f"/scholen/{demo.school.id}/forum"


ACTIVE_INTAKE, AWAITING_INTAKE, DRAFT_INTAKE = "GO! Lyceum Gent", "BenedictusPoort", "Kunsthumaniora Sint-Lucas"

FEATURE_PAGES: list[PageCase] = [
    # Intake.
    PageCase("coordinator", "intake overview", lambda d: "/programma/intake"),
    PageCase("coordinator", "programme terms", lambda d: "/programma/voorwaarden"),
    PageCase("director", "intake (none yet)", lambda d: f"{_school(d)}/intake"),
    PageCase("director", "school webhooks", lambda d: f"{_school(d)}/koppelingen"),
    PageCase("coordinator", "intake (active)", lambda d: f"/scholen/{_school_id(ACTIVE_INTAKE)}/intake"),
    PageCase("coordinator", "intake draft form", lambda d: f"/scholen/{_school_id(DRAFT_INTAKE)}/intake/concept"),
    PageCase("coordinator", "intake signing", lambda d: f"/scholen/{_school_id(AWAITING_INTAKE)}/intake/ondertekenen"),
    PageCase("coordinator", "intake print", lambda d: f"/scholen/{_school_id(ACTIVE_INTAKE)}/intake/afdrukken"),
    PageCase("coordinator", "intake history", lambda d: f"/scholen/{_school_id(ACTIVE_INTAKE)}/intake/geschiedenis"),
    PageCase("coordinator", "intake end form", lambda d: f"/scholen/{_school_id(ACTIVE_INTAKE)}/intake/beeindigen"),
    # Sprints.
    *[PageCase(role, "sprint calendar", lambda d: f"{_school(d)}/sprints") for role in ("flywheel_lead", "forum")],
    PageCase("director", "sprint calendar (own days forms)", lambda d: f"{_school(d)}/sprints"),
    PageCase("coordinator", "sprints off the school calendar", lambda d: "/programma/sprints/schoolkalender"),
    *[PageCase(role, "sprint", _sprint) for role in ("flywheel_lead", "pupil")],
    *[PageCase(role, "sprint board", lambda d: f"{_sprint(d)}/bord") for role in ("flywheel_lead", "forum")],
    PageCase("flywheel_lead", "sprint board in swimlanes, filtered",
             lambda d: f"{_sprint(d)}/bord?banen=bouwsteen&bouwsteen=culture"),
    PageCase("director", "the school's labels", lambda d: f"{_school(d)}/labels"),
    *[PageCase(role, "search", lambda d: f"{_school(d)}/zoeken?q=speelplaats") for role in ("pupil", "adviser")],
    PageCase("forum", "search, nothing found", lambda d: f"{_school(d)}/zoeken?q=zwembad", axe=False),
    *[PageCase(role, "backlog", lambda d: f"{_school(d)}/backlog") for role in ("flywheel_lead", "forum")],
    PageCase("flywheel_lead", "initiative", lambda d: f"/initiatieven/{_busy(d).initiative_id}"),
    PageCase("flywheel_lead", "new initiative", lambda d: f"{_school(d)}/initiatieven/nieuw"),
    PageCase("flywheel_lead", "edit initiative", lambda d: f"/initiatieven/{_busy(d).initiative_id}/bewerken"),
    PageCase("flywheel_lead", "flywheel meeting", lambda d: f"{_sprint(d)}/overleg"),
    PageCase("flywheel_lead", "close sprint", lambda d: f"{_sprint(d)}/afsluiten"),
    PageCase("coordinator", "move sprint", lambda d: f"{_sprint(d)}/verschuiven"),
    PageCase("director", "sprint charts", lambda d: f"{_school(d)}/sprints/grafieken"),
    PageCase("forum", "offer basket", lambda d: "/aanbodkorf"),
    PageCase("flywheel_lead", "basket item", lambda d: f"/aanbodkorf/{_basket_item(d)}"),
    PageCase("coordinator", "new basket item", lambda d: "/aanbodkorf/nieuw"),
    # Forum.
    *[PageCase(role, "forum overview", lambda d: (_busy(d), _forum(d))[1]) for role in ("flywheel_lead", "forum")],
    PageCase("director", "forum members", lambda d: f"{_forum(d)}/leden"),
    PageCase("flywheel_lead", "new forum session", lambda d: f"{_forum(d)}/bijeenkomsten/nieuw"),
    PageCase("pupil", "forum session", lambda d: f"{_forum(d)}/bijeenkomsten/{_busy(d).session_id}"),
    PageCase("flywheel_lead", "edit forum session", lambda d: f"{_forum(d)}/bijeenkomsten/{_busy(d).session_id}/bewerken"),
    PageCase("flywheel_lead", "forum minutes", lambda d: f"{_forum(d)}/bijeenkomsten/{_busy(d).session_id}/verslag"),
    PageCase("flywheel_lead", "new advice round", lambda d: f"{_forum(d)}/rondes/nieuw"),
    *[PageCase(role, "advice round", lambda d: f"{_forum(d)}/rondes/{_busy(d).round_id}")
      for role in ("forum", "flywheel_lead")],
    PageCase("board", "decision archive", lambda d: f"{_forum(d)}/besluiten"),
    # Tracking.
    *[PageCase(role, "school progress", lambda d: f"{_school(d)}/voortgang") for role in ("adviser", "director")],
    PageCase("adviser", "rate indicators", lambda d: f"{_school(d)}/indicatoren/scoren"),
    PageCase("adviser", "indicator history", lambda d: f"{_school(d)}/indicatoren"),
    PageCase("coordinator", "indicator definitions", lambda d: "/programma/indicatoren"),
    PageCase("coordinator", "edit indicator", lambda d: "/programma/indicatoren/1"),
    PageCase("adviser", "new school session", lambda d: f"{_school(d)}/sessies/nieuw"),
    PageCase("adviser", "new network session", lambda d: f"/netwerken/{d.network.id}/sessies/nieuw"),
    PageCase("director", "coaching session", lambda d: f"/sessies/{_school_session(d)}"),
    PageCase("adviser", "edit coaching session", lambda d: f"/sessies/{_school_session(d)}/bewerken"),
    PageCase("director", "milestones", lambda d: f"{_school(d)}/mijlpalen"),
    PageCase("director", "well-being", lambda d: f"{_school(d)}/welbevinden"),
    PageCase("director", "import well-being", lambda d: f"{_school(d)}/welbevinden/importeren"),
    PageCase("coordinator", "programme matrix", lambda d: "/programma/opvolging"),
    PageCase("coordinator", "programme report", lambda d: "/programma/rapport"),
    PageCase("coordinator", "import sessions", lambda d: "/programma/importeren/sessies"),
    # Notifications and the cadence keeper.
    PageCase("forum", "notification preferences", lambda d: "/meldingen/voorkeuren"),
    PageCase("coordinator", "scheduler", lambda d: "/meldingen/planner"),
    # Vision.
    *[PageCase(role, "vision", lambda d: (_busy(d), f"{_school(d)}/visie")[1]) for role in ("flywheel_lead", "forum")],
    PageCase("flywheel_lead", "vision draft", lambda d: f"{_school(d)}/visie/werkversie"),
    PageCase("flywheel_lead", "edit vision", lambda d: f"{_school(d)}/visie/werkversie/bewerken"),
    PageCase("board", "vision version", lambda d: (_busy(d), f"{_school(d)}/visie/versies/1")[1]),
    PageCase("forum", "vision AMORE", lambda d: (_busy(d), f"{_school(d)}/visie/versies/1/amore")[1]),
    PageCase("flywheel_lead", "vision endorsement", lambda d: (_busy(d), f"{_school(d)}/visie/versies/1/endorsement")[1]),
    PageCase("pupil", "current vision", lambda d: f"{_school(d)}/visie/huidig"),
    PageCase("director", "vision poster", lambda d: f"{_school(d)}/visie/affiche"),
    PageCase("director", "network visions", lambda d: f"/netwerken/{d.network.id}/visies"),
    # The idea box.
    PageCase("pupil", "idea box", lambda d: (_demo_idea(d), f"{_school(d)}/ideeen")[1]),
    PageCase("pupil", "new idea", lambda d: f"{_school(d)}/ideeen/nieuw"),
    PageCase("flywheel_lead", "idea to answer", _demo_idea),
    PageCase("forum", "idea", _demo_idea, axe=False),
    PageCase("forum", "school week", lambda d: (_demo_idea(d), f"{_school(d)}/ideeen/activiteit")[1]),
    # Issue 18: following an initiative from the idea box; the objections weighed on a decision.
    PageCase("pupil", "initiative to follow", _demo_initiative_from_an_idea),
    *[PageCase(role, "decision with objections weighed", _decided_round_with_objections, axe=role == "forum")
      for role in ("forum", "flywheel_lead")],
    *_network_pages(),
]
PAGES += FEATURE_PAGES


def _fresh_comment(demo) -> str:
    """A comment of the flywheel member just now (editable for 15 minutes); its edit page."""
    from warmeveranderen.accounts.models import User
    from warmeveranderen.discussion import services as discussion
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints.models import Initiative

    initiative = db.session.get(Initiative, _busy(demo).initiative_id)
    comment = discussion.post(initiative, row(User, demo.users["flywheel"]), "Ik neem **maandag** mee.", [])
    db.session.commit()
    return f"/reacties/{comment.id}/bewerken"


# Attachments (bijlagen) and the discussion per initiative: the initiative page above shows both
# (the demo's discussion, an example PDF and picture); these add the other roles' views and forms.
FILES_PAGES = [
    PageCase("pupil", "initiative with discussion", lambda d: f"/initiatieven/{_busy(d).initiative_id}"),
    PageCase("flywheel_lead", "add attachment", lambda d: f"/bijlagen/initiative/{_busy(d).initiative_id}/toevoegen"),
    PageCase("flywheel", "edit comment", _fresh_comment),
    PageCase("coordinator", "basket item with attachments", lambda d: f"/aanbodkorf/{_basket_item(d)}"),
    PageCase("director", "forum session with attachments",
             lambda d: f"{_forum(d)}/bijeenkomsten/{_busy(d).session_id}"),
]
PAGES += FILES_PAGES


def _planned_initiative(demo) -> int:
    """The demo school's initiative with the longest action plan (the demo gives it four tasks)."""
    from warmeveranderen.actionplan.demo import PLANS
    from warmeveranderen.sprints.models import Initiative

    return _first_id(Initiative, school_id=demo.school.id, title=next(iter(PLANS)))


def _first_task(demo) -> int:
    from warmeveranderen.actionplan.models import Task

    return _first_id(Task, initiative_id=_planned_initiative(demo))


def _lyceum_initiative(demo) -> int:
    from warmeveranderen.actionplan.demo import LYCEUM_INITIATIVE
    from warmeveranderen.sprints.models import Initiative

    return _first_id(Initiative, title=LYCEUM_INITIATIVE[0])


# The action plans (issue 19): the plan on an initiative's page, a task, its forms, the task list, and
# the link to the vision (GO! Lyceum Gent has an endorsed vision in the demo; its network's adviser reads it).
ACTIONPLAN_PAGES: list[PageCase] = [
    PageCase("flywheel_lead", "initiative with its action plan", lambda d: f"/initiatieven/{_planned_initiative(d)}"),
    PageCase("pupil", "initiative with its action plan (reader)", lambda d: f"/initiatieven/{_planned_initiative(d)}"),
    PageCase("flywheel_lead", "task", lambda d: f"/taken/{_first_task(d)}"),
    PageCase("forum", "task (reader)", lambda d: f"/taken/{_first_task(d)}", axe=False),
    PageCase("flywheel_lead", "new task", lambda d: f"/initiatieven/{_planned_initiative(d)}/taken/nieuw"),
    PageCase("flywheel_lead", "edit task", lambda d: f"/taken/{_first_task(d)}/bewerken"),
    PageCase("flywheel", "my tasks", lambda d: f"{_school(d)}/taken?wie=ik"),
    PageCase("director", "all tasks", lambda d: f"{_school(d)}/taken?afgerond=ja", axe=False),
    PageCase("flywheel_lead", "link to the vision", lambda d: f"/initiatieven/{_planned_initiative(d)}/visie"),
    PageCase("adviser", "vision with initiatives per ambition", lambda d: f"/scholen/{_school_id('GO! Lyceum Gent')}/visie"),
    PageCase("adviser", "initiative linked to the vision", lambda d: f"/initiatieven/{_lyceum_initiative(d)}"),
    PageCase("pupil", "sprint counted in tasks", lambda d: f"{_sprint(d)}?tellen=taken"),
    PageCase("director", "burn-up counted in tasks", lambda d: f"{_school(d)}/sprints/grafieken?tellen=taken"),
]
PAGES += ACTIONPLAN_PAGES
# --- the programme's bodies, evaluation moments and envelopes (governance) ---------------------------


def _steering_meeting(number: int) -> str:
    from warmeveranderen.extensions import db
    from warmeveranderen.governance.models import Body, Meeting

    body = db.session.scalar(db.select(Body).where(Body.kind == "steering_group"))
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == body.id, Meeting.number == number))
    return f"/overleg/{body.id}/vergaderingen/{meeting.id}"


def _lyceum_evaluation(suffix: str = "") -> str:
    from warmeveranderen.extensions import db
    from warmeveranderen.governance.models_funds import Evaluation
    from warmeveranderen.programme.models import School

    school = db.session.scalar(db.select(School).where(School.name == "GO! Lyceum Gent"))
    evaluation = db.session.scalar(db.select(Evaluation).where(Evaluation.school_id == school.id))
    return f"/scholen/{school.id}/evaluatie" + (f"/{evaluation.id}" if suffix == "evaluation" else "")


GOVERNANCE_PAGES = [
    PageCase("coordinator", "bodies", lambda d: "/overleg"),
    PageCase("director", "bodies and shared minutes", lambda d: "/overleg", axe=False),
    PageCase("coordinator", "new body", lambda d: "/overleg/nieuw"),
    PageCase("coordinator", "body", lambda d: _steering_meeting(1).split("/vergaderingen")[0]),
    PageCase("adviser", "body", lambda d: _steering_meeting(1).split("/vergaderingen")[0], axe=False),
    PageCase("coordinator", "edit body", lambda d: _steering_meeting(1).split("/vergaderingen")[0] + "/bewerken"),
    PageCase("coordinator", "meeting with minutes", lambda d: _steering_meeting(1)),
    PageCase("adviser", "next meeting", lambda d: _steering_meeting(2)),
    PageCase("adviser", "minutes form", lambda d: _steering_meeting(1) + "/verslag"),
    PageCase("coordinator", "move meeting", lambda d: _steering_meeting(2) + "/verplaatsen"),
    PageCase("coordinator", "support and envelopes", lambda d: "/overleg/ondersteuning"),
    PageCase("adviser", "evaluation and envelope", lambda d: _lyceum_evaluation()),
    PageCase("director", "evaluation and envelope without agreement", lambda d: f"/scholen/{d.school.id}/evaluatie"),
    PageCase("adviser", "evaluation moment", lambda d: _lyceum_evaluation("evaluation")),
]
PAGES += GOVERNANCE_PAGES
def _demo_survey(demo, group: str = "Personeel (voorbeeld)", moment: str = "pre", latest: bool = True):
    """A survey of the demo's (surveys/demo.py): this school year's, or last year's."""
    from warmeveranderen.extensions import db
    from warmeveranderen.surveys.models import Survey

    order = Survey.school_year.desc() if latest else Survey.school_year
    return db.session.scalar(db.select(Survey).where(Survey.school_id == demo.school.id, Survey.group_name == group,
                                                     Survey.moment == moment).order_by(order).limit(1))


def _survey_path(demo, **kwargs) -> str:
    return f"{_school(demo)}/bevragingen/{_demo_survey(demo, **kwargs).id}"


def _first_question(demo) -> str:
    from warmeveranderen.extensions import db
    from warmeveranderen.surveys.models import SurveyQuestion

    question = db.session.scalar(db.select(SurveyQuestion).where(SurveyQuestion.school_id.is_(None))
                                 .order_by(SurveyQuestion.id).limit(1))
    return f"/programma/bevragingen/vragen/{question.id}"


def _demo_observation(demo) -> None:
    from warmeveranderen.extensions import db
    from warmeveranderen.programme.models import School
    from warmeveranderen.surveys import services
    from warmeveranderen.timeutil import today

    services.record_observation(row(School, demo.school), "3A (voorbeeld)", today() - timedelta(days=3),
                                [0, 2, 6, 10, 4], 4, 3, today())
    db.session.commit()


SURVEY_PAGES = [
    PageCase("director", "surveys", lambda d: f"{_school(d)}/bevragingen"),
    PageCase("adviser", "surveys", lambda d: f"{_school(d)}/bevragingen", axe=False),
    PageCase("director", "open a survey", lambda d: f"{_school(d)}/bevragingen/nieuw"),
    PageCase("director", "survey with results", _survey_path),
    PageCase("board", "survey with too few answers", lambda d: _survey_path(d, group="Ouders (voorbeeld)")),
    PageCase("flywheel_lead", "survey pre to post", lambda d: _survey_path(d, moment="post", latest=False)),
    PageCase("flywheel", "own survey questions", lambda d: f"{_school(d)}/bevragingen/eigen-vragen"),
    PageCase("coordinator", "survey templates", lambda d: "/programma/bevragingen"),
    PageCase("coordinator", "survey template", lambda d: "/programma/bevragingen/staff"),
    PageCase("coordinator", "survey question", _first_question),
    PageCase("coordinator", "survey programme view", lambda d: "/programma/bevragingen/resultaten"),
    PageCase("adviser", "survey programme view", lambda d: "/programma/bevragingen/resultaten", axe=False),
    PageCase("anonymous", "answer a survey", lambda d: f"/bevraging/{_demo_survey(d).shared_token}"),
    PageCase("anonymous", "survey thanks", lambda d: "/bevraging/bedankt"),
    PageCase("anonymous", "survey link gone", lambda d: "/bevraging/bestaat-niet", status=410),
    PageCase("adviser", "classroom observations", lambda d: (_demo_observation(d), f"{_school(d)}/observaties")[1]),
]
PAGES += SURVEY_PAGES


def pages_for(role: str) -> list[PageCase]:
    return [case for case in PAGES if case.role == role]

