"""What every API view shares: the school a caller may see (404 otherwise), the cursor pages."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user
from marshmallow import RAISE, Schema, fields, validate

from warmeveranderen.extensions import db
from warmeveranderen.permissions import can_view_school, is_coordinator
from warmeveranderen.programme.models import School
from warmeveranderen.programme.services import advised_schools

MAX_LIMIT = 100


class PageArgs(Schema):
    class Meta:
        unknown = RAISE  # a misspelt parameter is a 422, not silently ignored

    cursor = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9]{1,12}$"),
                           metadata={"description": "De `next_cursor` van de vorige pagina."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True,
                                     metadata={"description": "Geef dit mee als `cursor` voor de volgende pagina; "
                                                              "null op de laatste."}),
    })


def _decode(cursor: str | None) -> int | None:
    return int(cursor) if cursor else None


def _encode(last_id: int) -> str:
    return str(last_id)


def paginate(query, model, args: dict, order=None) -> dict:
    """One page of `query` in the order of `model.id` (stable under inserts), and the next cursor."""
    after = _decode(args.get("cursor"))
    limit = args["limit"]
    if after is not None:
        query = query.where(model.id > after)
    rows = list(db.session.scalars(query.order_by(model.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = _encode(rows[-1].id) if more and rows else None
    return {"items": rows, "next_cursor": cursor}


def link_next(page: dict, endpoint: str, **values) -> dict:
    """A `Link: <…>; rel="next"` header for a page (RFC 8288), as well as the cursor in the body."""
    if not page["next_cursor"]:
        return {}
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    url = url_for(endpoint, **values, **args, cursor=page["next_cursor"], _external=True)
    return {"Link": f'<{url}>; rel="next"'}


def visible_school(school_id: int) -> School:
    """The school, if the caller may see it; 404 otherwise (as for a school that does not exist)."""
    school = db.session.get(School, school_id)
    if school is None or not can_view_school(current_user, school):
        abort(404)
    return school


def visible_school_ids_query():
    """The ids of the schools the caller may see, as a query (all of them for the coordinator)."""
    if is_coordinator(current_user):
        return None
    ids = {m.school_id for m in current_user.memberships} | {s.id for s in advised_schools(current_user)}
    return ids


def require(allowed: bool) -> None:
    """A school the caller sees, an action they may not take there: 403 (the page would say the same)."""
    if not allowed:
        abort(403, description="Dit mag je niet met deze sleutel.")


def visible_initiative(initiative_id: int):
    """The initiative, if the caller may see its school; 404 otherwise."""
    from warmeveranderen.sprints.models import Initiative

    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not can_view_school(current_user, initiative.school):
        abort(404)
    return initiative
