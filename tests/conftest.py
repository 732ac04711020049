"""Shared fixtures: the app on a real database built by the migrations, clients, logins and a small world.

The database is SQLite in a temporary folder, or PostgreSQL when WARMEVERANDEREN_TEST_DATABASE_URL
names one (.ci/run does both). Every test starts from empty tables.
"""

from __future__ import annotations

import contextvars
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from tests.factories import PASSWORD, AdviserAssignmentFactory, MembershipFactory, SchoolFactory, UserFactory
from warmeveranderen import create_app, pagecache
from warmeveranderen.extensions import db

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_configure(config):
    """Compile the translations when the .mo files are missing or older than the .po files.

    bin/test does this already (bin/_setup); this covers running pytest directly.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = Path(__file__).resolve().parent.parent / "warmeveranderen" / "translations"
    for po in translations.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as fh:
                catalog = read_po(fh)
            tmp = mo.with_suffix(f".mo.{os.getpid()}")
            with tmp.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=True)
            tmp.replace(mo)


def pytest_report_header(config):
    url = os.environ.get("WARMEVERANDEREN_TEST_DATABASE_URL")
    return f"database: {'PostgreSQL ' + url if url else 'SQLite (temporary file)'}"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as in production.

    Without this, a request reuses the test's app context, and with it Flask-Login's cached
    user and the test's database session.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        """A CSRF token valid for this client's session."""
        response = self.get("/inloggen" if not self._logged_in() else "/profiel")
        if response.status_code == 302:  # a session whose login has ended (e.g. password changed)
            response = self.get("/inloggen")
        match = CSRF_RE.search(response.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def _logged_in(self) -> bool:
        with self.session_transaction() as session:
            return "_user_id" in session

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        """POST a form as a browser would, with the session's CSRF token."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=payload, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, request) -> str:
    # xdist's worker id ("gw0", ...) or "master"; also without the xdist plugin (-p no:xdist).
    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    url = os.environ.get("WARMEVERANDEREN_TEST_DATABASE_URL")
    if url:
        return url if worker_id == "master" else _worker_database(url, worker_id)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _worker_database(url: str, worker_id: str) -> str:
    """With pytest -n, each worker gets its own PostgreSQL database (<name>_<worker>), created on demand."""
    import sqlalchemy

    base = sqlalchemy.make_url(url)
    name = f"{base.database}_{worker_id}"
    engine = sqlalchemy.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One app for the session; the schema comes from the migrations, not from create_all()."""
    outbox = tmp_path_factory.mktemp("outbox")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "MAIL_OUTBOX_DIR": str(outbox),
            # Attachments go to a temporary folder (tests/test_files_storage.py also runs them on S3).
            "FILES_DIR": str(tmp_path_factory.mktemp("files")),
            "BASE_URL": "http://localhost",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 1000,
            # Tests share one app; tests/test_report_cache.py turns the cache on for itself.
            "REPORT_CACHE_SECONDS": 0,
            # The transaction rule (warmeveranderen/uow.py): a GET that writes or a request that
            # commits twice fails the request, so every HTTP test checks it.
            "STRICT_UNIT_OF_WORK": os.environ.get("WARMEVERANDEREN_STRICT_UOW", "1") == "1",
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database_url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
    yield app


def _empty_tables() -> None:
    """Delete every row, children first.

    On PostgreSQL this is one round trip of DELETEs: TRUNCATE of every table costs ~0.2 s per test,
    DELETE on the few rows a test leaves costs milliseconds.
    """
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    # Rows come back with the same ids and versions: the part cache must not remember the last test's.
    pagecache.clear()
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in tables))
        else:
            for table in tables:
                conn.execute(table.delete())


# Tests marked "keeps_database" (the access matrix's read-only cases) leave their rows for the next
# such test; any other test first empties the tables they left. "generation" counts the emptyings,
# so a kept world knows whether it still exists.
DATABASE_STATE = {"generation": 0, "dirty": False}


def _empty_and_count() -> None:
    _empty_tables()
    DATABASE_STATE["generation"] += 1
    DATABASE_STATE["dirty"] = False


@pytest.fixture(autouse=True)
def _clean_database(app, request):
    """Each test runs inside an app context and starts from empty tables and an empty outbox."""
    keeps = request.node.get_closest_marker("keeps_database") is not None
    with app.app_context():
        if DATABASE_STATE["dirty"] and not keeps:
            _empty_and_count()
        yield
        db.session.remove()
        if keeps:
            DATABASE_STATE["dirty"] = True
        else:
            _empty_and_count()
    for path in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        path.unlink()


@pytest.fixture
def client(app) -> IsolatedClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """The messages written to the outbox, oldest first, parsed."""
    import email
    from email import policy

    def read():
        paths = sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]

    return read


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, app):
        self._app = app

    def client_for(self, user, password: str = PASSWORD) -> IsolatedClient:
        client = self._app.test_client()
        self.login(client, user.email, password)
        return client

    def login(self, client, email: str, password: str = PASSWORD):
        response = client.post_form("/inloggen", {"email": email, "password": password})
        assert response.status_code == 302, f"login failed for {email}"
        return response

    def logout(self, client):
        return client.post_form("/uitloggen")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of the tests' own on a free port (the part cache's and the throttle's Redis stores)."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it for these tests")
        pytest.skip("needs redis-server (apt-get install redis-server) for the throttle's Redis store")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture
def auth(app) -> AuthActions:
    return AuthActions(app)


ROLES = (
    "anonymous",
    "coordinator",
    "adviser",
    "director",
    "board",
    "flywheel_lead",
    "flywheel",
    "forum",
    "pupil",
    "outsider",
)


def build_world() -> SimpleNamespace:
    """Two schools in two networks; one person per role in school A; a director and forum member of B.

    'outsider' is the director of school B: every page of school A must refuse them.
    """
    school = SchoolFactory(name="Warme School A")
    other = SchoolFactory(name="Andere School B")
    w = SimpleNamespace(school=school, other_school=other, users={}, memberships={})
    w.users["coordinator"] = UserFactory(name="Coördinator", is_coordinator=True)
    adviser = UserFactory(name="Adviseur", is_adviser=True)
    AdviserAssignmentFactory(adviser=adviser, school=school)
    w.users["adviser"] = adviser
    for key, role, extra in [
        ("director", "director", {}),
        ("board", "board", {}),
        ("flywheel_lead", "flywheel", {"is_lead": True}),
        ("flywheel", "flywheel", {}),
        ("forum", "forum", {"stakeholder_group": "parent"}),
        ("pupil", "forum", {"stakeholder_group": "pupil"}),
    ]:
        m = MembershipFactory(school=school, role=role, user__name=key.replace("_", " ").title(), **extra)
        w.users[key] = m.user
        w.memberships[key] = m
    outsider = MembershipFactory(school=other, role="director", user__name="Buitenstaander").user
    MembershipFactory(school=other, role="forum", user=outsider, stakeholder_group="staff")
    w.users["outsider"] = outsider
    return w


@pytest.fixture
def world(app) -> SimpleNamespace:
    return build_world()


def pytest_collection_modifyitems(config, items):
    """Give tests marked 'postgres' or 'browser' a clear skip when their service is missing."""
    on_ci = os.environ.get("CI") == "true"
    for item in items:
        if "postgres" in item.keywords and not _postgres_available():
            if on_ci:
                continue  # on CI the test runs and fails loudly instead
            reason = f"PostgreSQL niet bereikbaar op {postgres_url()}; PostgreSQL-tests overgeslagen"
            item.add_marker(pytest.mark.skip(reason=reason))
        if "browser" in item.keywords and not Path("/usr/bin/chromium").exists():
            if on_ci:
                continue
            reason = "Chromium niet gevonden (/usr/bin/chromium); browsertests overgeslagen (apt-get install chromium)"
            item.add_marker(pytest.mark.skip(reason=reason))


def postgres_url() -> str:
    return os.environ.get("WARMEVERANDEREN_TEST_POSTGRES_URL", POSTGRES_DEFAULT)


_pg_state: dict[str, bool] = {}


def _postgres_available() -> bool:
    if "ok" not in _pg_state:
        import sqlalchemy

        try:
            engine = sqlalchemy.create_engine(postgres_url())
            with engine.connect():
                pass
            engine.dispose()
            _pg_state["ok"] = True
        except Exception:
            _pg_state["ok"] = False
    return _pg_state["ok"]
