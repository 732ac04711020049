"""Writing through the API: an idea for the idea box, an initiative on the backlog, a task in its plan.

The same services as the forms (their checks, notifications and transaction rule) with a token
of scope `write`; a refusal of a service (a ServiceError) is a 422 problem with its Dutch message
(`problems.init_blueprint`)."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from warmeveranderen.actionplan import services as actionplan
from warmeveranderen.actionplan.permissions import can_edit_action_plan
from warmeveranderen.api import auth, problems, schemas
from warmeveranderen.api.common import require, visible_initiative, visible_school
from warmeveranderen.ideas import services as ideas
from warmeveranderen.ideas.permissions import can_submit_idea
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.permissions import can_edit_sprints

blp = Blueprint("api_write", __name__, url_prefix="/api/v1", description="Schrijven (sleutel met schrijfrecht)")
# Tokens only (never the session cookie); errors as problem documents; ETags on reads.
auth.init_blueprint(blp)
problems.init_blueprint(blp)


@blp.route("/schools/<int:school_id>/ideas", methods=["POST"])
@blp.arguments(schemas.IdeaIn)
@blp.response(201, schemas.IdeaSchema)
@blp.alt_response(422, description="De invoer klopt niet (met de reden).")
def create_idea(data, school_id):
    """Submit an idea to the school's idea box, as yourself."""
    school = visible_school(school_id)
    require(can_submit_idea(current_user, school))
    return ideas.submit_idea(school, current_user, data["title"], data["body"], data["building_block"])


@blp.route("/schools/<int:school_id>/initiatives", methods=["POST"])
@blp.arguments(schemas.InitiativeIn)
@blp.response(201, schemas.InitiativeSchema)
@blp.alt_response(422, description="De invoer klopt niet (met de reden).")
def create_initiative(data, school_id):
    """Add an initiative at the bottom of the school's backlog."""
    school = visible_school(school_id)
    require(can_edit_sprints(current_user, school))
    return sprints.create_initiative(school, data, current_user)


@blp.route("/initiatives/<int:initiative_id>/tasks", methods=["POST"])
@blp.arguments(schemas.TaskIn)
@blp.response(201, schemas.TaskSchema)
@blp.alt_response(422, description="De invoer klopt niet (met de reden).")
def create_task(data, initiative_id):
    """Record a task in the initiative's action plan (people are put on it in the app)."""
    initiative = visible_initiative(initiative_id)
    require(can_edit_action_plan(current_user, initiative))
    return actionplan.add_task(initiative, current_user, data["title"], notes=data["notes"],
                               due_date=data["due_date"])
