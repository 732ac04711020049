"""The programme's governance: its bodies' meeting series, evaluation moments that decide, support
delivered against the package, and the investment envelopes.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.governance import jobs, parts, permissions, views, views_funds


def init_app(app: Flask) -> None:
    """Register the blueprints, and what the feature contributes: permissions, parts, reminders, calendar events."""
    app.register_blueprint(views.bp)
    app.register_blueprint(views_funds.bp)
    plugins.register(permissions, parts, jobs)
