"""Sprints: the cadence, backlog, board, review and retrospective.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.accounts.loading import load_page_object
from warmeveranderen.sprints import (
    announce,
    attachments,
    cadence,
    jobs,
    parts,
    permissions,
    replan,
    search,
    views,
    views_backlog,
    views_board,
    views_calendar,
)
from warmeveranderen.sprints.models import Initiative, Sprint

# One blueprint, "sprints", with its pages in modules that all add their routes to views.bp:
# views (the cadence, a sprint, the charts), views_backlog (initiatives, the basket), views_board (the
# board and the school's labels) and views_calendar (the school's own days, the coordinator's awkward sprints).
PAGES = (views, views_backlog, views_board, views_calendar)


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, reminder rules and
    calendar sources (jobs), and the sweep's upkeep that keeps every cadence's next sprint ready (cadence) and
    replans the future sprints of cadences from before the school calendar (replan), and the search source."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs, announce, cadence, replan, search, attachments)
    # A sprint's page and board, and an initiative's page, read it (and its school) with the person.
    for endpoint in ("sprints.sprint", "sprints.board"):
        load_page_object(endpoint, Sprint, "sprint_id", with_school=True)
    load_page_object("sprints.initiative", Initiative, "initiative_id", with_school=True)
