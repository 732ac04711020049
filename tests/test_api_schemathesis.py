"""schemathesis against the API's own OpenAPI description: generated requests (valid and invalid) to
every operation, with a write token of a school's director; no answer may be a server error or break
the description (status codes, content types, response bodies).

The description is read from an app made for collection (as tests/test_access_matrix.py lists the
routes); each case is then sent to the test app, whose database holds the world and the token."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from warmeveranderen import create_app
from warmeveranderen.accounts import api_tokens
from warmeveranderen.api import auth as api_auth
from warmeveranderen.extensions import db

_described = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _described)
@pytest.fixture
def token(app, world):
    """A write token of school A's director (one world for all generated cases of an operation)."""
    _token, secret = api_tokens.create(db.session.merge(world.users["director"]), "schemathesis", "write")
    db.session.commit()
    return {"secret": secret, "school": world.school.id}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_description(case, app, token):
    api_auth.reset_limits()
    school_id = (case.path_parameters or {}).get("school_id")
    if isinstance(school_id, int) and school_id % 2 == 0:
        case.path_parameters["school_id"] = token["school"]  # half of them: the school the token sees
    # A case that tests the security scheme (negative headers) goes without our token.
    from schemathesis.core.parameters import ParameterLocation

    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    own = {k.lower() for k in (case.headers or {})}
    headers = {} if negative_headers or "authorization" in own else {"Authorization": f"Bearer {token['secret']}"}
    with app.app_context():  # one request's `g` (the unit of work counts its commits there)
        case.call_and_validate(app=app, headers=headers)
