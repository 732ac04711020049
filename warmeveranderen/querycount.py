"""An X-Query-Count header on every response, for the benchmark (COUNT_QUERIES; off by default).

With WARMEVERANDEREN_COUNT_QUERIES=1 the app counts the SQL statements each request runs through
SQLAlchemy's cursor events and reports the number in the X-Query-Count response header.
"""

from flask import g, has_request_context
from sqlalchemy import event

from warmeveranderen.extensions import db

HEADER = "X-Query-Count"


def _count(*_args) -> None:
    if has_request_context():
        g.query_count = g.get("query_count", 0) + 1


def _add_header(response):
    response.headers[HEADER] = str(g.get("query_count", 0))
    return response


def init_app(app) -> None:
    if not app.config.get("COUNT_QUERIES"):
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)
    app.after_request(_add_header)
