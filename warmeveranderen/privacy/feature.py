"""People's own data: the download, the erasure (by the person or the coordinator), retention.

App level: it reads every feature's tables (found from the schema, `records.sources`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.privacy import permissions, retention, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    plugins.register(permissions, retention)
