"""Error pages in the user's language."""

from flask import render_template
from flask_wtf.csrf import CSRFError

PAGES = {400, 403, 404, 405, 410, 413, 429, 500}


def render_error(error):
    code = getattr(error, "code", 500) or 500
    return render_template("errors/error.html", code=code), code


def render_csrf_error(error):
    return render_template("errors/csrf.html"), 400


def init_app(app) -> None:
    for code in PAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)
