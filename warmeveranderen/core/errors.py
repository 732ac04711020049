"""Error pages in the user's language."""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from warmeveranderen.api import problems
from warmeveranderen.extensions import db

PAGES = {400, 403, 404, 405, 409, 410, 413, 429, 500}


def _forget_failed_transaction() -> None:
    """An error page never touches a failed transaction (PostgreSQL refuses every query in one)."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the page must still render
        db.session.remove()


def render_error(error):
    code = getattr(error, "code", 500) or 500
    _forget_failed_transaction()
    if request.path.startswith(problems.API_PREFIX):  # machines get a problem document, not a page
        return problems.handle(error if isinstance(error, HTTPException) else _as_http(error, code))
    mb = 1024 * 1024
    limits = {"form": (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // mb,
              "upload": (current_app.config.get("UPLOAD_MAX_CONTENT_LENGTH") or 0) // mb}
    return render_template("errors/error.html", code=code, limits=limits), code


def _as_http(error, code: int) -> HTTPException:
    return {409: Conflict, 503: ServiceUnavailable}.get(code, InternalServerError)()


def render_double_submit(error):
    """A unique constraint said no (the same form sent twice, or someone else was first): 409, not 500."""
    error.code = 409
    return render_error(error)


def render_database_busy(error):
    """SQLite's "database is locked" after its busy timeout: ask to try again (503) instead of a 500."""
    error.code = 503 if "locked" in str(getattr(error, "orig", error)).lower() else 500
    if error.code == 500:
        current_app.logger.exception("database error", exc_info=error)
    return render_error(error)


def render_csrf_error(error):
    _forget_failed_transaction()
    return render_template("errors/csrf.html"), 400


def init_app(app) -> None:
    for code in PAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(IntegrityError, render_double_submit)
    app.register_error_handler(OperationalError, render_database_busy)
