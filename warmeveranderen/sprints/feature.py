"""Sprints: the cadence, backlog, board, review and retrospective.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.sprints import jobs, parts, permissions, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, jobs."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs)
