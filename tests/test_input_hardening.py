"""Issue 15, input hardening: every free-text field has a maximum, one-line fields refuse control
characters, oversized posts and huge ids get the app's own page, CSV cells are no formulas."""

import importlib
import inspect
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import warmeveranderen
from warmeveranderen.forms_common import NoNulBytes, SingleLine


def _form_classes():
    for info in pkgutil.walk_packages(warmeveranderen.__path__, "warmeveranderen."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, FlaskForm) and cls.__module__ == module.__name__:
                yield cls


# Not free text a person types and the app stores or shows: hidden fields (ids, revision numbers,
# `next`: each checked on its own) and passwords (hashed, never stored or shown). The request size
# limit (MAX_CONTENT_LENGTH) bounds them.
EXEMPT = (HiddenField, PasswordField)


def test_every_text_field_of_every_form_has_a_maximum():
    missing = []
    forms = list(_form_classes())
    assert len(forms) > 30  # the walk found the app's forms
    for cls in forms:
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if not isinstance(unbound, UnboundField) or not issubclass(unbound.field_class, StringField):
                continue
            if issubclass(unbound.field_class, EXEMPT):
                continue
            validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
            if not any(isinstance(v, Length) and v.max not in (None, -1) for v in validators):
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not missing, "Text fields without a maximum: " + ", ".join(missing)


class _Field:
    def __init__(self, data):
        self.data = data


@pytest.mark.parametrize("text", ["Jan\r\nBcc: x@example.org", "Jan\nPeeters", "Jan\x00", "Jan\tP", "a\x1bb", "a\x7f"])
def test_single_line_refuses_control_characters(app, text):
    from wtforms.validators import ValidationError

    with app.test_request_context(), pytest.raises(ValidationError):
        SingleLine()(None, _Field(text))


def test_single_line_accepts_ordinary_names(app):
    with app.test_request_context():
        SingleLine()(None, _Field("Anaïs Van den Broeck-O'Neill"))


def test_text_refuses_nul_but_keeps_line_breaks(app):
    from wtforms.validators import ValidationError

    with app.test_request_context():
        NoNulBytes()(None, _Field("regel 1\r\nregel 2\tmet tab"))
        with pytest.raises(ValidationError):
            NoNulBytes()(None, _Field("a\x00b"))


def test_profile_form_refuses_a_line_break_in_the_name_and_keeps_what_was_typed(auth, world):
    client = auth.client_for(world.users["director"])
    response = client.post_form("/profiel", {"name": "Jan\r\nPeeters", "locale": "nl", "submit": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Gebruik één regel zonder tabs of regeleinden." in page
    assert "Jan" in page and "Peeters" in page


def _notification(user, title: str, status: str = "pending"):
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.models import Notification

    n = Notification(user_id=user.id, category="forum", title=title, body="", url="/", email_status=status)
    db.session.add(n)
    db.session.commit()
    return n.id


def test_a_line_break_in_a_name_does_not_stop_the_other_emails(world, outbox):
    """Issue 15: building one message raised ValueError and the whole sweep stopped (no heartbeat)."""
    from datetime import datetime, timedelta

    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.delivery import MAX_EMAIL_ATTEMPTS
    from warmeveranderen.notifications.models import Notification, SchedulerHeartbeat
    from warmeveranderen.notifications.sweep import sweep

    bad_user, good_user = world.users["pupil"], world.users["director"]
    bad_user.name = "Jan\r\nBcc: iedereen@example.org"  # inserted directly, as an old profile could be
    db.session.commit()
    bad = _notification(bad_user, f"Nieuw advies van {bad_user.name}")
    _notification(good_user, "Nieuw advies van An")
    _notification(world.users["board"], "Een tweede bericht")
    now = datetime(2026, 12, 1, 8, 0)
    report = sweep(now)
    assert sorted(m["To"] for m in outbox()) == sorted([good_user.email, world.users["board"].email])
    assert report.emails_sent == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(SchedulerHeartbeat)) == 1
    db.session.expire_all()
    row = db.session.get(Notification, bad)
    assert row.email_status == "retry" and row.email_attempts == 1 and "ValueError" in row.email_last_error
    # It counts an attempt each time and gives up after the maximum; it never blocks later email.
    for i in range(1, MAX_EMAIL_ATTEMPTS):
        sweep(now + timedelta(days=i))
    db.session.expire_all()
    row = db.session.get(Notification, bad)
    assert row.email_status == "failed" and row.email_attempts == MAX_EMAIL_ATTEMPTS
    _notification(good_user, "Later bericht")
    assert sweep(now + timedelta(days=30)).emails_sent == 1


# --- 500s on bad input (run on SQLite and, with WARMEVERANDEREN_TEST_DATABASE_URL, on PostgreSQL) ---

HUGE = 2**31  # one beyond PostgreSQL's integer


def test_an_id_beyond_the_integer_range_is_a_dutch_404(world, auth):
    client = auth.client_for(world.users["coordinator"])
    for url in (f"/scholen/{HUGE}", f"/scholen/{10**20}", f"/initiatieven/{HUGE}/bewerken"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get(f"/scholen/{world.school.id}").status_code == 200  # in range: still fine


def test_a_page_number_beyond_the_integer_range_is_a_dutch_404(world, auth):
    client = auth.client_for(world.users["coordinator"])
    response = client.get(f"/meldingen/?pagina={HUGE}")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get("/meldingen/?pagina=2").status_code == 200


def test_a_nul_byte_in_text_is_refused_with_a_dutch_400(world, auth):
    client = auth.client_for(world.users["director"])
    response = client.post_form("/profiel", {"name": "Jan\x00Peeters", "locale": "nl", "submit": "1"})
    assert response.status_code == 400
    assert "Dit verzoek klopt niet" in response.get_data(as_text=True)
    assert client.get("/meldingen/?pagina=1\x00").status_code == 400
    from warmeveranderen.extensions import db

    db.session.expire_all()
    assert "\x00" not in db.session.get(type(world.users["director"]), world.users["director"].id).name


def test_a_post_over_the_size_limit_gets_the_dutch_413_page_and_stores_nothing(app, world, auth):
    client = auth.client_for(world.users["director"])
    big = "[" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post_form("/profiel", {"name": big, "locale": "nl", "submit": "1"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Wat je verstuurde is te groot: hoogstens 2 MB voor een formulier, 5 MB voor een CSV-bestand." in page


def test_an_error_page_after_a_failed_statement_still_renders(app, world):
    """On PostgreSQL a failed statement aborts the transaction; the error page must roll back first."""
    from flask import abort
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from tests.factories import PASSWORD
    from warmeveranderen import create_app
    from warmeveranderen.extensions import db

    fresh = create_app({
        "TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False, "PROPAGATE_EXCEPTIONS": False,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
        "STRICT_UNIT_OF_WORK": False,
    })

    def broken():
        from flask_login import current_user

        # As after a commit: the person's attributes are expired, so the page reloads them.
        db.session.expire(current_user._get_current_object())
        try:
            db.session.execute(text("SELECT * FROM no_such_table_issue15"))
        except DBAPIError:
            abort(409)  # e.g. a double submit that hit a unique constraint

    fresh.add_url_rule("/_test/kapot", "test_broken", broken, methods=["POST"])
    with fresh.test_client() as client:
        user = world.users["director"]
        assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 302
        response = client.post("/_test/kapot")
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "Dat lukte niet" in page and user.name in page  # the app's own page, with the menu
        assert client.get("/").status_code == 200  # the connection went back to the pool clean


# --- one safe-URL helper for `next` and evidence links ---

@pytest.mark.parametrize("target", [
    "/\\evil.example/x", "/\t/evil.example", "/\n/evil.example", "//evil.example", "https://evil.example",
    "javascript:alert(1)", "/%09/evil.example".replace("%09", "\t"), "", None, "evil.example",
])
def test_unsafe_next_targets_are_refused(app, target):
    from warmeveranderen.security import is_local_path, safe_next

    with app.test_request_context():
        assert not is_local_path(target)
        assert safe_next(target, "/thuis") == "/thuis"


def test_local_paths_are_followed(app):
    from warmeveranderen.security import safe_next

    with app.test_request_context():
        assert safe_next("/scholen/1/backlog?x=1#top", "/") == "/scholen/1/backlog?x=1#top"


@pytest.mark.parametrize(("link", "ok"), [
    ("/scholen/1/voortgang", True), ("https://example.org/visie.pdf", True), ("http://example.org", True),
    ("/\\evil.example/x", False), ("/\t/evil.example", False), ("https:/\\evil.example", False),
    ("javascript:alert(1)", False), ("//evil.example", False), ("https://", False),
])
def test_evidence_links(link, ok):
    from warmeveranderen.security import is_safe_link

    assert is_safe_link(link) is ok


def test_evidence_with_a_backslash_path_is_refused_on_the_form(world, auth):
    from tests.test_tracking_indicators import rating_form
    from warmeveranderen.timeutil import today

    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren",
                                 rating_form(today(), **{"i1-evidence": "/\\evil.example/x"}))
    assert response.status_code == 422 and "is geen link" in response.get_data(as_text=True)


def test_sprint_forms_do_not_follow_a_next_with_a_tab(world, auth):
    from tests.factories_sprints import InitiativeFactory

    idea = InitiativeFactory(school=world.school, title="A", position=1)
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(f"/initiatieven/{idea.id}/volgorde", {"direction": "up", "next": "/\t/evil.example"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


# --- CSV exports: no formulas ---

@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"https://evil.example\")", "'=HYPERLINK(\"https://evil.example\")"),
    ("+1", "'+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Atheneum", "Atheneum"), (-5, -5), (0, 0), ("", ""),
])
def test_csv_cells_are_neutralised(value, cell):
    from warmeveranderen.security import csv_cell

    assert csv_cell(value) == cell


def test_the_programme_report_csv_exports_no_formulas(app, auth):
    import csv
    import io

    from tests.factories import UserFactory
    from warmeveranderen.extensions import db
    from warmeveranderen.tracking import imports

    imports.import_structure([{"warm_city": "Gent", "network": "@netwerk", "school": "=HYPERLINK(\"https://x\")"}])
    db.session.commit()
    client = auth.client_for(UserFactory(is_coordinator=True))
    text = client.get("/programma/rapport.csv?deel=sessies").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'@netwerk" in cells and "'=HYPERLINK(\"https://x\")" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


# --- the maxima on the form and in the service ---

def test_a_too_long_comment_is_refused_on_the_form_with_the_text_kept(world, auth):
    from tests.factories_forum import AdviceRoundFactory
    from warmeveranderen.domain import SHORT_TEXT_MAX
    from warmeveranderen.extensions import db
    from warmeveranderen.forum.models import RoundComment

    advice_round = AdviceRoundFactory(school=world.school)
    client = auth.client_for(world.users["forum"])
    text = "[" * (SHORT_TEXT_MAX + 1)
    response = client.post_form(f"/scholen/{world.school.id}/forum/rondes/{advice_round.id}/opmerking", {"body": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze tekst is te lang: 2.001 tekens, hoogstens 2.000." in page and text in page
    assert db.session.scalar(db.select(db.func.count()).select_from(RoundComment)) == 0


def test_the_forum_services_refuse_too_long_text_too(world):
    from tests.factories_forum import AdviceRoundFactory
    from warmeveranderen.domain import LONG_TEXT_MAX, SHORT_TEXT_MAX
    from warmeveranderen.forum import services

    advice_round = AdviceRoundFactory(school=world.school)
    with pytest.raises(services.ForumError, match="te lang"):
        services.add_comment(advice_round, world.users["forum"], "x" * (SHORT_TEXT_MAX + 1))
    with pytest.raises(services.ForumError, match="te lang"):
        services.give_advice(advice_round, world.users["forum"], "objection", "[" * (LONG_TEXT_MAX + 1),
                             objection_kind="principled")
    with pytest.raises(services.ForumError, match="ongeldig teken"):
        services.add_comment(advice_round, world.users["forum"], "a\x00b")
    services.add_comment(advice_round, world.users["forum"], "x" * SHORT_TEXT_MAX)  # the maximum itself is fine


def test_the_profile_service_refuses_a_line_break_in_a_name(world):
    from warmeveranderen.accounts import services

    with pytest.raises(services.AccountError):
        services.update_profile(world.users["director"], "Jan\r\nPeeters", "nl")
