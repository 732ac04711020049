"""Surveys (bevragingen) of staff, parents and pupils, before and after, answered anonymously.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.programme.filters import clear_when_changed
from warmeveranderen.surveys import (
    jobs,
    parts,
    permissions,
    views,
    views_answer,
    views_observations,
    views_programme,
    views_questions,
)
from warmeveranderen.surveys.defaults import THEMES
from warmeveranderen.surveys.models import (
    AUDIENCES,
    LIKERT,
    MOMENTS,
    QUESTION_KINDS,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveySettings,
    SurveyTemplate,
)


def init_app(app: Flask) -> None:
    """Register the blueprints, and what the feature contributes: permissions, parts, the reminder."""
    app.register_blueprint(views.bp)
    app.register_blueprint(views_answer.bp)
    app.register_blueprint(views_questions.bp)
    app.register_blueprint(views_programme.bp)
    app.register_blueprint(views_observations.bp)
    plugins.register(permissions, parts, jobs)
    # The programme's survey results are cached (surveys/programme.py): a change to what they are
    # computed from (a new response included) clears them.
    clear_when_changed(Survey, SurveyResponse, SurveyQuestion, SurveyTemplate, SurveySettings)
    # The surveys' vocabularies, for their templates.
    app.jinja_env.globals["survey_words"] = {
        "audiences": AUDIENCES, "moments": MOMENTS, "likert": LIKERT, "kinds": QUESTION_KINDS, "themes": THEMES,
    }
