"""The idea box (ideeënbus): everyone of the school proposes ideas; the flywheel answers publicly.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.ideas import jobs, parts, permissions, search, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, the reminder."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs, search)
