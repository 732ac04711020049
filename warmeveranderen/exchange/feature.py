"""Data in and out (issue 16): the programme's structure, people and roles, and intake agreements as
spreadsheets that re-import without changes. Sessions, ratings and well-being are tracking's own.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.exchange import permissions, views


def init_app(app: Flask) -> None:
    """Register the blueprint and the feature's permission."""
    app.register_blueprint(views.bp)
    plugins.register(permissions)
