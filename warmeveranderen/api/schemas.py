"""The API's resources as marshmallow schemas (they are the OpenAPI description's components)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from warmeveranderen.domain import BUILDING_BLOCKS, IDEA_STATES, INITIATIVE_STATUSES, SPRINT_STATES
from warmeveranderen.forum.models import OUTCOME_CODES
from warmeveranderen.tracking.models import LEVEL_CODES

BLOCKS = sorted(BUILDING_BLOCKS)
# What the services accept: a title with something visible on one line; a text with something visible
# and no NUL (the same rules as the forms, `domain.text_problem`).
ONE_LINE = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"
SOME_TEXT = r"^[^\x00]*\S[^\x00]*$"


class UtcDateTime(fields.DateTime):
    """A stored (naive UTC) moment as RFC 3339 with its offset: 2026-11-30T09:15:00+00:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.replace(tzinfo=UTC).isoformat() if value.tzinfo is None else value.isoformat()


class SchoolSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    city = fields.Function(lambda s: s.city.name if s.city else None, allow_none=True,
                           metadata={"type": "string", "nullable": True})
    network = fields.Function(lambda s: s.network.name if s.network else None, allow_none=True,
                              metadata={"type": "string", "nullable": True})


class SprintSchema(Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    goal = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(sorted(SPRINT_STATES)))


class InitiativeSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    building_block = fields.String(required=True, validate=validate.OneOf(BLOCKS))
    status = fields.String(required=True, validate=validate.OneOf(sorted(INITIATIVE_STATUSES)))
    sprint_id = fields.Integer(allow_none=True, required=True)
    created_at = UtcDateTime(required=True)


class IdeaSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    building_block = fields.String(allow_none=True, required=True)
    state = fields.String(required=True, validate=validate.OneOf(sorted(IDEA_STATES)))
    answer_reason = fields.String(required=True)
    initiative_id = fields.Integer(allow_none=True, required=True)
    supporters = fields.Function(lambda i: len(i.supports), required=True, metadata={"type": "integer"})
    created_at = UtcDateTime(required=True)


class AdviceRoundSchema(Schema):
    id = fields.Integer(required=True)
    subject_kind = fields.String(required=True)
    subject_title = fields.String(required=True)
    question = fields.String(required=True)
    deadline = UtcDateTime(required=True)
    state = fields.Function(lambda r: r.state(), required=True,
                            metadata={"type": "string", "enum": ["open", "closed", "decided"]})
    advice_given = fields.Function(lambda r: len(r.advice), required=True, metadata={"type": "integer"})


class DecisionSchema(Schema):
    id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOME_CODES))
    reasons = fields.String(required=True)
    subject_title = fields.String(required=True)
    decided_at = UtcDateTime(required=True)
    corrects_id = fields.Integer(allow_none=True, required=True)


class IndicatorRatingSchema(Schema):
    id = fields.Integer(required=True)
    indicator = fields.Function(lambda r: r.indicator.number, required=True, metadata={"type": "integer"})
    school_year = fields.String(required=True)
    measured_on = fields.Date(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVEL_CODES))


class IdeaIn(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), validate.Regexp(ONE_LINE)])
    body = fields.String(required=True, validate=[validate.Length(min=1, max=20000), validate.Regexp(SOME_TEXT)],
                         metadata={"description": "Wat je wilt veranderen en waarom."})
    building_block = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(BLOCKS))


class InitiativeIn(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), validate.Regexp(ONE_LINE)])
    description = fields.String(load_default="", validate=[validate.Length(max=20000), validate.Regexp(r"^[^\x00]*$")])
    building_block = fields.String(required=True, validate=validate.OneOf(BLOCKS))


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    initiative_id = fields.Integer(required=True)
    title = fields.String(required=True)
    notes = fields.String(required=True)
    due_date = fields.Date(allow_none=True, required=True)
    done = fields.Boolean(required=True)
    created_at = UtcDateTime(required=True)


class TaskIn(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), validate.Regexp(ONE_LINE)])
    notes = fields.String(load_default="", validate=[validate.Length(max=2000), validate.Regexp(r"^[^\x00]*$")])
    due_date = fields.Date(load_default=None, allow_none=True)
