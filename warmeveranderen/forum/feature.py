"""The forum: advice rounds, decisions, sessions and minutes.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.accounts.loading import load_page_object
from warmeveranderen.forum import attachments, initiatives, jobs, parts, permissions, questions, search, telling, views
from warmeveranderen.forum.models import AdviceRound


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, jobs, initiatives."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs, initiatives, search, attachments, telling)
    load_page_object("forum.round", AdviceRound, "round_id")  # read with the person (its school too: school_id)
    initiatives.register_forum_subject()  # an initiative can be put to the forum
    questions.register_forum_subject()  # and any question of the flywheel
