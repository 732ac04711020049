"""Advisers' follow-up: indicators, coaching sessions, well-being and the programme report.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.tracking import cli, jobs, parts, permissions, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, jobs."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs)
    for command in cli.COMMANDS:
        app.cli.add_command(command)
