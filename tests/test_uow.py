"""The transaction rule (warmeveranderen/uow.py): one commit per request, none for a GET."""

from __future__ import annotations

import pytest
from flask import Blueprint, request

from warmeveranderen import uow
from warmeveranderen.accounts.forms import ForgotPasswordForm
from warmeveranderen.extensions import csrf, db
from warmeveranderen.programme.models import Programme as City


def _cities() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(City.name)))


def test_a_savepoint_that_comes_first_is_undone_with_its_request(app):
    """On SQLite too: releasing a savepoint is not a commit of the request."""
    with app.app_context():
        with db.session.begin_nested():
            db.session.add(City(name="Savepointstad"))
        db.session.rollback()
        assert "Savepointstad" not in _cities()


@pytest.fixture
def probe_app(app):
    """Routes that break or keep the rule, on the test app (added once; a programme stands in for any row)."""
    if "uow_probe.write_on_get" not in app.view_functions:
        bp = Blueprint("uow_probe", __name__)

        @bp.route("/_uow/get-writes")
        def write_on_get():
            db.session.add(City(name="Getstad"))
            db.session.flush()
            return "ok"

        @bp.route("/_uow/autocommit", methods=["GET", "POST"])
        def autocommit():
            # Whether the request's connection reads without a transaction (BEGIN and ROLLBACK).
            return str(db.session.connection().connection.dbapi_connection.autocommit)

        @bp.route("/_uow/get-bulk-update")
        def bulk_update_on_get():
            db.session.execute(db.update(City).values(name="Bulkstad"))
            return "ok"

        @bp.route("/_uow/post-commits-twice", methods=["POST"])
        def commit_twice():
            db.session.add(City(name="Tweestad"))
            db.session.commit()
            db.session.add(City(name="Driestad"))
            return "ok"

        @bp.route("/_uow/post-refused", methods=["POST"])
        def refused():
            db.session.add(City(name="Weigerstad"))
            db.session.flush()
            try:
                raise uow.ServiceError("Nee.")
            except uow.ServiceError:
                return "shown as a message", 303

        @bp.route("/_uow/post-ok", methods=["POST"])
        def ok():
            db.session.add(City(name="Okstad"))
            db.session.flush()
            return "ok", 303

        @bp.route("/_uow/form", methods=["GET", "POST"])
        def form():
            # A form that fails on an empty e-mail address; what the request wrote before is undone.
            form = ForgotPasswordForm(meta={"csrf": False})
            if request.method == "POST":
                db.session.add(City(name="Formulierstad"))
                db.session.flush()
                form.validate()
            return uow.form_page("accounts/forgot_password.html", form, failed=request.args.get("failed", type=int))

        for view in (write_on_get, autocommit, bulk_update_on_get, commit_twice, refused, ok, form):
            view.is_public = True
        csrf.exempt(bp)
        app._got_first_request = False
        app.register_blueprint(bp)
    return app


def test_the_request_commits_once_and_a_refusal_rolls_back(probe_app):
    client = probe_app.test_client()
    with probe_app.app_context():
        assert client.post("/_uow/post-ok").status_code == 303
        assert client.post("/_uow/post-refused").status_code == 303
        cities = _cities()
    assert "Okstad" in cities and "Weigerstad" not in cities


def test_strict_mode_fails_a_get_that_writes_and_a_second_commit(probe_app):
    probe_app.config["STRICT_UNIT_OF_WORK"] = True
    client = probe_app.test_client()
    try:
        with pytest.raises(uow.UnitOfWorkError, match="wrote"):
            client.get("/_uow/get-writes")
        with pytest.raises(uow.UnitOfWorkError, match="committed 2 times"):
            client.post("/_uow/post-commits-twice")
    finally:
        probe_app.config["STRICT_UNIT_OF_WORK"] = False
    with probe_app.app_context():
        assert "Getstad" not in _cities()


def test_on_postgresql_a_get_reads_in_autocommit_and_a_write_never_reaches_the_database(probe_app):
    """Issue 24: no BEGIN and ROLLBACK round trips for a page that only reads. A GET that would write
    (a flush, a bulk statement) is refused before the statement is sent: in autocommit it would stay."""
    client = probe_app.test_client()
    with probe_app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        before = _cities()
    if not postgresql:
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    assert client.get("/_uow/autocommit").get_data(as_text=True) == "True"
    assert client.post("/_uow/autocommit").get_data(as_text=True) == "False"
    probe_app.config["READ_AUTOCOMMIT"] = False
    try:
        assert client.get("/_uow/autocommit").get_data(as_text=True) == "False"
    finally:
        probe_app.config["READ_AUTOCOMMIT"] = True
    # Outside the strict mode of the tests, as in production: the person gets the error page.
    for path in ("/_uow/get-writes", "/_uow/get-bulk-update"):
        with pytest.raises(uow.UnitOfWorkError, match="wrote to the database"):
            client.get(path)
    with probe_app.app_context():
        assert _cities() == before  # neither Getstad nor Bulkstad


def test_form_page_is_200_as_asked_and_422_with_a_rollback_when_the_form_failed(probe_app):
    probe_app.config["STRICT_UNIT_OF_WORK"] = True
    client = probe_app.test_client()
    try:
        asked = client.get("/_uow/form")
        assert asked.status_code == 200 and b'name="email"' in asked.data
        failed = client.post("/_uow/form", data={"email": ""})
        assert failed.status_code == 422
        assert b'name="email"' in failed.data and b"is-invalid" in failed.data  # the page again, with the errors
        # `failed` decides when given: a view that knows it failed (422) ...
        assert client.post("/_uow/form?failed=1", data={"email": "a@example.org"}).status_code == 422
        assert "Formulierstad" not in _cities()  # both rolled back
        # ... or one that shows errors without refusing anything (200, committed).
        assert client.post("/_uow/form?failed=0", data={"email": ""}).status_code == 200
    finally:
        probe_app.config["STRICT_UNIT_OF_WORK"] = False
    assert "Formulierstad" in _cities()


def test_a_double_submit_or_a_locked_database_gets_the_apps_own_page(app):
    """Issue 15: a unique constraint that says no is a 409, SQLite's "database is locked" a 503, never a 500."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    if "uow_errors.unique_clash" not in app.view_functions:
        bp = Blueprint("uow_errors", __name__)

        @bp.route("/_uow/unique-clash", methods=["POST"])
        def unique_clash():
            raise IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))

        @bp.route("/_uow/locked", methods=["POST"])
        def locked():
            raise OperationalError("UPDATE …", {}, Exception("database is locked"))

        for view in (unique_clash, locked):
            view.is_public = True
        csrf.exempt(bp)
        app._got_first_request = False
        app.register_blueprint(bp)
    client = app.test_client()
    clash = client.post("/_uow/unique-clash")
    assert clash.status_code == 409 and "twee keer verstuurd" in clash.get_data(as_text=True)
    busy = client.post("/_uow/locked")
    assert busy.status_code == 503 and "op hetzelfde moment" in busy.get_data(as_text=True)
