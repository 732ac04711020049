"""Sprints: the cadence, backlog, board, review and retrospective.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.sprints import attachments, cadence, jobs, parts, permissions, replan, views, views_backlog, views_calendar

# One blueprint, "sprints", with its pages in two modules that both add their routes to views.bp:
# views (the cadence, a sprint, the board, the charts), views_backlog (initiatives, the basket) and
# views_calendar (the school's own days, the coordinator's awkward sprints).
PAGES = (views, views_backlog, views_calendar)


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, reminder rules and
    calendar sources (jobs), and the sweep's upkeep that keeps every cadence's next sprint ready (cadence) and
    replans the future sprints of cadences from before the school calendar (replan)."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs, cadence, replan, attachments)
