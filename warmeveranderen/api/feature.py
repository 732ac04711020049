"""The API plugs in at the app level: it reads every feature, as the home pages do."""

from __future__ import annotations

import functools
import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from warmeveranderen import plugins
from warmeveranderen.api import events, views_read, views_webhooks, views_write
from warmeveranderen.extensions import csrf


class ProblemSchema(Schema):
    """An error (RFC 9457 problem document)."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Not Found"})
    status = fields.Integer(required=True, metadata={"example": 404})
    detail = fields.String(metadata={"description": "Wat er mis is, in het Nederlands."})
    errors = fields.Dict(metadata={"description": "Per plaats (json, query) en veld: de redenen (422)."})


class _Api(Api):
    """flask-smorest's Api without its app-wide error handler: the app keeps its Dutch error pages;
    the API's own errors are problem documents (`problems`), and the description says so."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            kind = "application/json"
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                kind = "application/problem+json"
            prepare_response(response, self.spec, kind)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Een fout (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, "application/problem+json")
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def _public(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.is_public = True
    return wrapped


def init_app(app: Flask) -> None:
    events.install()
    app.register_blueprint(views_webhooks.bp)
    plugins.register(views_webhooks)
    app.config.setdefault("API_TITLE", "Warm Veranderen")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Lees en schrijf wat je ook in de app mag: scholen, sprints, initiatieven, "
                                "ideeën, adviesrondes, besluiten en indicatoren. Authenticatie met een "
                                "persoonlijke API-sleutel (Profiel → API-sleutels)."},
        "security": [{"bearer": []}],
    })
    api = _Api(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                                   "description": "Een persoonlijke API-sleutel (wv_…)."})
    for blp in (views_read.blp, views_write.blp):
        api.register_blueprint(blp)
        csrf.exempt(blp)
    # The API authenticates every request itself (tokens only, never the session cookie), so the
    # app's login-by-default hook lets it through; the description is public.
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(("api_read.", "api_write.", "api-docs.")):
            app.view_functions[endpoint] = _public(view)
