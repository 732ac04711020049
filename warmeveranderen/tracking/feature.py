"""Advisers' follow-up: indicators, coaching sessions, well-being and the programme report.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.accounts.loading import load_page_numbers
from warmeveranderen.programme.filters import clear_when_changed
from warmeveranderen.tracking import cli, jobs, parts, permissions, queries, views, views_programme, views_wellbeing
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, WellbeingMeasurement

# The blueprint's pages, in three modules that each add their routes to `views.bp`.
PAGES = (views, views_wellbeing, views_programme)


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: permissions, parts, jobs, commands."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, parts, jobs)
    # The programme report's cached totals count ratings, sessions and well-being counts.
    clear_when_changed(IndicatorRating, CoachingSession, WellbeingMeasurement)
    # The school home's panel counts the rated indicators: read with the person.
    load_page_numbers("core.school_home", rated_indicators=queries.rated_indicators_column)
    for command in cli.COMMANDS:
        app.cli.add_command(command)
