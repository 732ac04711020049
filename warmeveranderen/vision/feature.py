"""The prototype vision: drafts, versions, AMORE scores and endorsement by the forum.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.vision import anchors, forum_link, parts, permissions, views


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, anchors)
    forum_link.register_forum_subject()  # a vision version can be put to the forum
