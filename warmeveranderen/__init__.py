"""Warm Veranderen: a school's integral change journey in sprints, with a forum that advises."""

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
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension instances to this app."""
    from warmeveranderen import i18n
    from warmeveranderen.extensions import bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
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


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprint."""
    from warmeveranderen.accounts.views import bp as accounts_bp
    from warmeveranderen.core.views import bp as core_bp
    from warmeveranderen.forum.views import bp as forum_bp
    from warmeveranderen.intake.views import bp as intake_bp
    from warmeveranderen.notifications.views import bp as notifications_bp
    from warmeveranderen.programme.views import bp as programme_bp
    from warmeveranderen.sprints.views import bp as sprints_bp
    from warmeveranderen.tracking.views import bp as tracking_bp
    from warmeveranderen.vision.views import bp as vision_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(programme_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(vision_bp)
    app.register_blueprint(sprints_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(forum_bp)


def register_request_hooks(app: Flask) -> None:
    """Login by default, security headers on every response (and the query count, when asked)."""
    from warmeveranderen import querycount, security

    security.init_app(app)
    querycount.init_app(app)


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
