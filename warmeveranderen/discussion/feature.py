"""The discussion per initiative (issue 19): comments, @mentions, edit history, read by, attachments.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.discussion import parts, permissions, views


def init_app(app: Flask) -> None:
    """The blueprint, the permissions, the initiative's section and comments as attachment parents."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts)
