"""The action plan (actieplan) of an initiative: tasks with people, due dates and checklists, their
progress on the initiative's and the sprint's pages, reminders and calendar events, and the link of an
initiative to the ambitions and guiding principles of the vision.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.actionplan import attachments, jobs, parts, permissions, search, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, reminders, calendar,
    and tasks as a parent of attachments."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs, attachments, search)
