"""Local URLs of the vision's pages, also outside a request (notifications sent from the CLI or a test)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path(endpoint: str, **values) -> str:
    """A local URL for a notification, also when the service runs outside a request (CLI, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path
