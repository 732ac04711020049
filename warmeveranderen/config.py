"""Configuration: defaults here, then instance/config.py, then WARMEVERANDEREN_* environment variables."""

import hashlib
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app, has_request_context, request

from warmeveranderen.domain import SPRINT_WEEKS

ENV_PREFIX = "WARMEVERANDEREN_"


class Defaults:
    """Development defaults; production overrides them through the instance file or the environment."""

    ENV = "development"
    SQLALCHEMY_DATABASE_URI = None  # filled in with instance/warmeveranderen.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("nl", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    # "Stay logged in" lasts at most 30 days (Flask-Login's default is a year); logout ends it earlier.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10
    # zxcvbn's score (0-4) a new password needs: 3 is "safely unguessable" (about 10^8 guesses or more).
    PASSWORD_MIN_SCORE = 3
    PASSWORD_RESET_MAX_AGE = 2 * 3600
    INVITATION_MAX_AGE = 14 * 24 * 3600
    # Single sign-on (OpenID Connect): a login in progress (and a first link waiting for the person's
    # confirmation) is valid this long. Plain-http providers on this machine (127.0.0.1) only with
    # SSO_ALLOW_HTTP_LOOPBACK (tests and local trials; never in production).
    SSO_STATE_SECONDS = 600
    # Requests per minute per API token (per web process).
    API_RATE_LIMIT = 120
    # Webhooks to 127.0.0.1 and private networks: allowed outside production only (see notifications.webhooks).
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    # Retention (README "Privacy"): invitations nobody took up (and the accounts made only for them),
    # and read notifications, are removed after these many days; unread notifications after twice as long.
    RETENTION_INVITATION_DAYS = 180
    RETENTION_NOTIFICATION_DAYS = 365
    SSO_ALLOW_HTTP_LOOPBACK = False
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_THROTTLE_WINDOW = 15 * 60
    # Issue 15: a request body is at most 2 MB (every text field has a maximum far below that); a
    # multipart post (the CSV imports) at most 5 MB. Beyond: the Dutch 413 page, nothing stored.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    UPLOAD_MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # A CSV import reads at most this many rows (more: a Dutch message, nothing imported).
    IMPORT_MAX_ROWS = 10_000
    MAIL_BACKEND = "outbox"  # "outbox" writes files to instance/outbox/; "smtp" sends
    MAIL_OUTBOX_DIR = None  # default: instance/outbox
    MAIL_DEFAULT_SENDER = "Warm Veranderen <no-reply@warmeveranderen.localhost>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 10
    BASE_URL = "http://127.0.0.1:5000"
    DEMO_PASSWORD = "warmeschool2026"
    SCHEDULER_ENABLED = False
    SCHEDULER_SWEEP_MINUTES = 5
    PREFERRED_URL_SCHEME = "http"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    PROXY_FIX = 0
    # Programme default sprint length in weeks; the coordinator may override it per school.
    SPRINT_WEEKS_DEFAULT = SPRINT_WEEKS.default
    # A rest of the school year before the summer shorter than half a sprint: "merge" (into the sprint
    # before it; one forum fewer in the busy last weeks of June) or "shorten" (a short sprint of its own).
    SPRINT_SHORT_BEFORE_SUMMER = "merge"
    # The proposed forum day: "last_school_day" of the sprint, or "thursday_before" (the Thursday of its last week).
    FORUM_DAY = "last_school_day"
    # How long (seconds) the programme-wide report's totals are reused before they are counted again;
    # a change to ratings, sessions, well-being counts or schools in the same process clears them at once. 0 = off.
    REPORT_CACHE_SECONDS = 60
    # For this long after that, a request gets the previous totals while one background thread of the
    # process counts them again (a refresh never lands on a reader's request under steady use).
    REPORT_CACHE_STALE_SECONDS = 600
    # Rendered parts of school pages are kept this many seconds at most (and only while nothing of the
    # school changed: warmeveranderen/pagecache.py). 0 = off. In-process per web server unless
    # CACHE_REDIS_URL (redis://host:6379/0) points all web servers at one Redis.
    PART_CACHE_SECONDS = 60
    CACHE_REDIS_URL = None
    # The release the kept parts belong to (e.g. the deployed commit): in every part's key, so that a
    # deploy never serves parts the previous release rendered into Redis. Unset: a fingerprint of the
    # code, templates, static files and translations (`code_fingerprint`), the same in every worker.
    RELEASE = None
    # The login throttle's counters: in the database, or in this Redis (default: CACHE_REDIS_URL's).
    THROTTLE_REDIS_URL = None
    # On PostgreSQL a GET reads in autocommit (no BEGIN and ROLLBACK round trips; warmeveranderen/uow.py).
    READ_AUTOCOMMIT = True
    # The benchmark's X-Query-Count response header (warmeveranderen/querycount.py).
    COUNT_QUERIES = False
    # Attachments (bijlagen): stored under FILES_DIR (default instance/files), or in S3-compatible
    # object storage when FILES_S3_BUCKET is set (several web servers then share the files).
    FILES_DIR = None
    FILES_MAX_BYTES = 10 * 1024 * 1024
    FILES_MAX_PER_PARENT = 20
    # An image with more pixels is refused (a "decompression bomb" would take the server's memory).
    FILES_MAX_IMAGE_PIXELS = 40_000_000
    FILES_S3_BUCKET = None
    FILES_S3_ENDPOINT_URL = None
    FILES_S3_ACCESS_KEY = None
    FILES_S3_SECRET_KEY = None
    FILES_S3_REGION = None
    FILES_S3_PREFIX = ""
    # A GET that writes or a request that commits twice is an error (tests); off: rolled back quietly.
    STRICT_UNIT_OF_WORK = False
    # Surveys (bevragingen): no result of a group with fewer answers than this, on any page or export.
    SURVEY_MIN_RESPONSES = 5
    # A shared survey link takes at most this many answers per window of so many seconds.
    SURVEY_LINK_MAX_PER_WINDOW = 60
    SURVEY_LINK_WINDOW_SECONDS = 600
    # From screening to action: a group with at least this share (%) at levels 1–2 of a scale, or a survey
    # question whose mean fell by at least this much (1–5 scale) from pre to post, suggests basket items.
    SCREENING_NOTABLE_LOW_SHARE = 25
    SURVEY_CLEAR_FALL = 0.5


# Settings that are always text, even when the value looks like a number ("12345" as a password).
TEXT_SETTINGS = {"SECRET_KEY", "MAIL_USERNAME", "MAIL_PASSWORD", "SQLALCHEMY_DATABASE_URI", "RELEASE"}


def _coerce(key: str, value: str):
    """Read an environment value as JSON where it parses (numbers, booleans), else as a string."""
    if key in TEXT_SETTINGS or isinstance(getattr(Defaults, key, None), str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_config(app, test_config=None) -> None:
    """Apply the configuration layers in order and fill in what depends on the instance folder."""
    app.config.from_object(Defaults)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for key, value in os.environ.items():
            if key.startswith(ENV_PREFIX):
                name = key[len(ENV_PREFIX):]
                app.config[name] = _coerce(name, value)
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.update(test_config)

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{instance / 'warmeveranderen.sqlite3'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri[len("postgres://"):]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri

    # Set in instance/config.py, the environment or a test config: authoritative. Else (development)
    # links follow the address the app is reached on: see base_url() and `flask serve`.
    app.config["BASE_URL_CONFIGURED"] = app.config["BASE_URL"] != Defaults.BASE_URL
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = str(instance / "outbox")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    if app.config["SSO_ALLOW_HTTP_LOOPBACK"] and app.config["ENV"] != "production":
        # Authlib refuses plain http unless told; the issuer form still allows it only for 127.0.0.1.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    else:
        app.config["SSO_ALLOW_HTTP_LOOPBACK"] = False
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"


# What the rendered HTML is made from, beside the data: the package (code and translations), the
# templates and the static files whose addresses pages name.
FINGERPRINTED = (("warmeveranderen", (".py", ".mo")), ("templates", (".html", ".txt")),
                 ("static", (".css", ".js", ".svg", ".png", ".ico")))
_fingerprints: dict[Path, str] = {}


def code_fingerprint(root: Path | None = None) -> str:
    """A short hash of the files under `root` (the project) that decide what a page renders: it changes
    with any deploy that changes them. Once per process (about 60 ms)."""
    root = root or Path(__file__).resolve().parent.parent
    if root not in _fingerprints:
        digest = hashlib.sha256()
        for folder, suffixes in FINGERPRINTED:
            for path in sorted((root / folder).rglob("*")):
                if path.suffix in suffixes and path.is_file():
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        _fingerprints[root] = digest.hexdigest()[:16]
    return _fingerprints[root]


def _instance_secret(instance: Path) -> str:
    """Generate the secret key into the instance folder on first run, so it survives restarts."""
    path = instance / "secret_key"
    if not path.exists():
        # Several workers may start at once: write aside, then link atomically; the first one wins.
        tmp = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def base_url() -> str:
    """Where absolute links (emails, invitations, calendar feeds) point to, without a trailing slash.

    A configured BASE_URL always wins, and in production only BASE_URL counts. In development
    without one, a link made during a request follows the address of that request (so
    `PORT=5101 bin/run` links to port 5101); outside a request it is BASE_URL, which `flask serve`
    sets to the address it listens on.
    """
    config = current_app.config
    if not config.get("BASE_URL_CONFIGURED") and config["ENV"] != "production" and has_request_context():
        return request.host_url.rstrip("/")
    return config["BASE_URL"].rstrip("/")
