"""The home pages: each role's home, a school's home (built from every feature's parts), the
school switcher and the language switch. App level: it shows what the features contribute.
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen.core import views


def init_app(app: Flask) -> None:
    """Register the home pages' blueprint."""
    app.register_blueprint(views.bp)
