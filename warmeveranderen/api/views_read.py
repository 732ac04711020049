"""Reading through the API: schools, sprints, initiatives, ideas, advice rounds, decisions, indicators."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from warmeveranderen.actionplan.models import Task
from warmeveranderen.actionplan.permissions import can_view_action_plan
from warmeveranderen.api import auth, problems, schemas
from warmeveranderen.api.common import (
    PageArgs,
    link_next,
    page_schema,
    paginate,
    require,
    visible_initiative,
    visible_school,
    visible_school_ids_query,
)
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound, Decision
from warmeveranderen.forum.permissions import can_view_forum
from warmeveranderen.ideas.models import Idea
from warmeveranderen.ideas.permissions import can_view_ideas
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative, Sprint
from warmeveranderen.sprints.permissions import can_view_sprints
from warmeveranderen.tracking.models import IndicatorRating
from warmeveranderen.tracking.permissions import can_view_indicator_history

blp = Blueprint("api_read", __name__, url_prefix="/api/v1", description="Lezen")
# Tokens only (never the session cookie); errors as problem documents; ETags on reads.
auth.init_blueprint(blp)
problems.init_blueprint(blp)

SchoolPage = page_schema(schemas.SchoolSchema, "SchoolPage")
SprintPage = page_schema(schemas.SprintSchema, "SprintPage")
InitiativePage = page_schema(schemas.InitiativeSchema, "InitiativePage")
IdeaPage = page_schema(schemas.IdeaSchema, "IdeaPage")
RoundPage = page_schema(schemas.AdviceRoundSchema, "AdviceRoundPage")
DecisionPage = page_schema(schemas.DecisionSchema, "DecisionPage")
RatingPage = page_schema(schemas.IndicatorRatingSchema, "IndicatorRatingPage")
TaskPage = page_schema(schemas.TaskSchema, "TaskPage")


def _listing(school_id, endpoint, model, predicate, page_args):
    school = visible_school(school_id)
    require(predicate(current_user, school))
    page = paginate(db.select(model).where(model.school_id == school.id), model, page_args)
    return page, 200, link_next(page, endpoint, school_id=school.id)


@blp.route("/schools")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SchoolPage)
def schools(page_args):
    """The schools you may see."""
    query = db.select(School)
    ids = visible_school_ids_query()
    if ids is not None:
        query = query.where(School.id.in_(ids or [-1]))
    page = paginate(query, School, page_args)
    return page, 200, link_next(page, "api_read.schools")


@blp.route("/schools/<int:school_id>")
@blp.response(200, schemas.SchoolSchema)
def school(school_id):
    """One school."""
    return visible_school(school_id)


@blp.route("/schools/<int:school_id>/sprints")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SprintPage)
def sprints(page_args, school_id):
    """The school's sprints, oldest first."""
    return _listing(school_id, "api_read.sprints", Sprint, can_view_sprints, page_args)


@blp.route("/schools/<int:school_id>/initiatives")
@blp.arguments(PageArgs, location="query")
@blp.response(200, InitiativePage)
def initiatives(page_args, school_id):
    """The initiatives of the school's backlog and sprints."""
    return _listing(school_id, "api_read.initiatives", Initiative, can_view_sprints, page_args)


@blp.route("/schools/<int:school_id>/ideas")
@blp.arguments(PageArgs, location="query")
@blp.response(200, IdeaPage)
def ideas(page_args, school_id):
    """The ideas of the school's idea box, with their public answer."""
    return _listing(school_id, "api_read.ideas", Idea, can_view_ideas, page_args)


@blp.route("/schools/<int:school_id>/advice-rounds")
@blp.arguments(PageArgs, location="query")
@blp.response(200, RoundPage)
def advice_rounds(page_args, school_id):
    """The forum's advice rounds (how many gave advice, never who advised what)."""
    return _listing(school_id, "api_read.advice_rounds", AdviceRound, can_view_forum, page_args)


@blp.route("/schools/<int:school_id>/decisions")
@blp.arguments(PageArgs, location="query")
@blp.response(200, DecisionPage)
def decisions(page_args, school_id):
    """The recorded decisions (a correction points at the decision it replaces)."""
    return _listing(school_id, "api_read.decisions", Decision, can_view_forum, page_args)


@blp.route("/schools/<int:school_id>/indicator-ratings")
@blp.arguments(PageArgs, location="query")
@blp.response(200, RatingPage)
def indicator_ratings(page_args, school_id):
    """The advisers' ratings of the nine indicators (for those who may see the school's progress)."""
    return _listing(school_id, "api_read.indicator_ratings", IndicatorRating, can_view_indicator_history, page_args)


@blp.route("/initiatives/<int:initiative_id>/tasks")
@blp.arguments(PageArgs, location="query")
@blp.response(200, TaskPage)
def tasks(page_args, initiative_id):
    """The tasks of an initiative's action plan, in the order of the plan's creation."""
    initiative = visible_initiative(initiative_id)
    require(can_view_action_plan(current_user, initiative))
    page = paginate(db.select(Task).where(Task.initiative_id == initiative.id), Task, page_args)
    return page, 200, link_next(page, "api_read.tasks", initiative_id=initiative.id)
