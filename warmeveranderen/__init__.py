"""Warm Veranderen: a school's integral change journey in sprints, with a forum that advises.

The layers, each importing only from those before it (tests/test_layers.py checks this):
base (extensions, config, domain, permissions, plugins, parts, markdown, mail, time and formats)
→ accounts → programme → notifications and files → the features (intake, tracking, sprints, forum, vision, ideas,
discussion, actionplan, networks, exchange, governance, surveys)
→ the app level (this module, the home pages in `core`, the CLI, the demo loader, the scheduler).

The register_* steps import what they register inside the function: importing any module of the
package (`warmeveranderen.domain`, say) runs this file first, and must not pull in the whole app.
"""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, then each registration step in turn."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from warmeveranderen.config import load_config

    load_config(app, test_config)
    register_extensions(app)
    register_request_hooks(app)
    register_features(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    # Last: its after_request function must run first (fastpath.py).
    from warmeveranderen import fastpath

    fastpath.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension instances to this app."""
    from warmeveranderen import fulltext, i18n, pagecache
    from warmeveranderen.extensions import bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), include_object=fulltext.include_in_autogenerate)
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    pagecache.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    _configure_sqlite(app)


def _configure_sqlite(app: Flask) -> None:
    """Switch on foreign keys for SQLite connections (off by default there)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from warmeveranderen.extensions import db

    with app.app_context():
        engine: Engine = db.engine

    @event.listens_for(engine, "connect")
    def _enable_foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # WAL lets the scheduler and the web server read while the other writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL is safe against corruption and avoids an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _begin_before_savepoint(connection, _name):
        # Python's sqlite3 opens a transaction only before a write, so a SAVEPOINT that comes first
        # would start one of its own, and releasing it would commit at once: a later rollback of
        # the request could not undo it. Opening the transaction first keeps one unit of work.
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")


def register_features(app: Flask) -> None:
    """Plug in every feature, in this order: each `feature.init_app(app)` registers its blueprint and
    hands its contributions (permissions, parts, reminder rules, calendar sources, forum subjects,
    commands) to `plugins.register`. Adding a feature is adding it to this list."""
    # Imported here rather than at the top: importing any module of the package runs this file
    # first, and a base module must not pull in every feature.
    from warmeveranderen import permissions, plugins
    from warmeveranderen.accounts import feature as accounts
    from warmeveranderen.actionplan import feature as actionplan
    from warmeveranderen.api import feature as api
    from warmeveranderen.core import feature as home
    from warmeveranderen.discussion import feature as discussion
    from warmeveranderen.exchange import feature as exchange
    from warmeveranderen.files import feature as files
    from warmeveranderen.forum import feature as forum
    from warmeveranderen.governance import feature as governance
    from warmeveranderen.ideas import feature as ideas
    from warmeveranderen.intake import feature as intake
    from warmeveranderen.networks import feature as networks
    from warmeveranderen.notifications import feature as notifications
    from warmeveranderen.privacy import feature as privacy
    from warmeveranderen.programme import feature as programme
    from warmeveranderen.sprints import feature as sprints
    from warmeveranderen.surveys import feature as surveys
    from warmeveranderen.tracking import feature as tracking
    from warmeveranderen.vision import feature as vision

    plugins.register(permissions)
    for feature in (accounts, programme, notifications, files, intake, tracking, sprints, forum, vision, ideas,
                    discussion, actionplan, networks, exchange, governance, surveys, home, api, privacy):
        feature.init_app(app)


def register_request_hooks(app: Flask) -> None:
    """Login by default, security headers, one unit of work per request (and the query count, when asked)."""
    from warmeveranderen import querycount, security, uow

    security.init_app(app)
    querycount.init_app(app)
    uow.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    """Dutch error pages."""
    from warmeveranderen.core import errors

    errors.init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals shared by all templates."""
    from warmeveranderen import markdown, templating

    markdown.init_app(app)
    templating.init_app(app)


def register_commands(app: Flask) -> None:
    """flask commands (demo, create-coordinator, ...)."""
    from warmeveranderen import cli

    cli.init_app(app)
