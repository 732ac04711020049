"""Errors of the API as problem documents (RFC 9457, `application/problem+json`), and ETags.

The app's HTML error pages stay for people; anything under /api/ answers JSON, also a URL that
matches no route and a body that is not JSON."""

from __future__ import annotations

import hashlib

from flask import current_app, g, json, request
from werkzeug.exceptions import HTTPException

from warmeveranderen.uow import ServiceError

API_PREFIX = "/api/"


def problem(status: int, title: str, detail: str | None = None, **extra):
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = current_app.response_class(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="warmeveranderen"'
    if status == 429 and getattr(g, "retry_after", None):
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def handle(error: HTTPException):
    extra = {}
    data = getattr(error, "data", None)  # webargs' validation messages (422)
    if isinstance(data, dict) and data.get("messages"):
        extra["errors"] = data["messages"]
    detail = error.description if error.description and error.code not in (404, 405) else None
    response = problem(error.code or 500, error.name, detail, **extra)
    if getattr(error, "valid_methods", None):  # 405: say which methods there are
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def refused(error: ServiceError):
    """A service said no (the unit of work is already rolled back): 422 with its Dutch reason."""
    return problem(422, "Unprocessable Content", str(error))


def init_blueprint(blp) -> None:
    blp.register_error_handler(HTTPException, handle)
    blp.register_error_handler(ServiceError, refused)
    blp.after_request(_etag)


def _etag(response):
    """A strong ETag on successful GETs; If-None-Match answers 304 without a body."""
    if request.method == "GET" and response.status_code == 200 and response.is_json:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(request)
    return response
