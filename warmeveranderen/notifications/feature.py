"""Notifications: the in-app list, preferences, calendar feeds and the scheduler page.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import pagecache, plugins
from warmeveranderen.accounts.loading import LOAD_WITH, load_page_numbers
from warmeveranderen.notifications import parts, permissions, services, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, the bell's count."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts)
    app.jinja_env.globals["unread_notifications"] = parts.unread_notifications
    LOAD_WITH["unread"] = services.unread_column  # read with the person: no round trip of its own
    load_page_numbers("notifications.index", notifications_state=services.list_state_column)  # the list's key, likewise
    pagecache.replayable("notifications", services.list_state_column, own=True)  # the kept list, before the view
