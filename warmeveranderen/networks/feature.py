"""Learning networks that learn together: questions between schools, the library (kennisbank),
self-scans that feed the backlog and the expertise network.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.networks import (
    attachments,
    parts,
    permissions,
    views,
    views_cases,
    views_library,
    views_partners,
    views_scans,
)
from warmeveranderen.networks.catalogue import SCAN_KINDS
from warmeveranderen.networks.vocabulary import CASE_STATES, LIBRARY_KINDS, QUESTION_STATES


def init_app(app: Flask) -> None:
    """Register the blueprints, and what the feature contributes: permissions and parts."""
    for module in (views, views_library, views_scans, views_partners, views_cases):
        app.register_blueprint(module.bp)
    plugins.register(permissions, parts, attachments)
    app.jinja_env.globals.update(LIBRARY_KINDS=LIBRARY_KINDS, QUESTION_STATES=QUESTION_STATES,
                               SCAN_KINDS=SCAN_KINDS, CASE_STATES=CASE_STATES)
