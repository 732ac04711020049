"""The programme: warm cities, learning networks, schools, people and memberships.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import pagecache, plugins
from warmeveranderen.accounts.loading import load_page_numbers, load_page_object
from warmeveranderen.programme import parts, views, views_cleanup, views_search
from warmeveranderen.programme.models import LearningNetwork

# The blueprint's pages, in three modules that each add their routes to `views.bp`.
PAGES = (views, views_cleanup, views_search)


def init_app(app: Flask) -> None:
    """Register the blueprint, and what the feature contributes: parts."""
    app.register_blueprint(views.bp)
    plugins.register(parts)
    # A learning network's page: the network and its schools' versions read with the person.
    load_page_object("programme.network", LearningNetwork, "network_id")
    load_page_numbers("programme.network", network_version=views.network_version_column)
    pagecache.replayable("network", pagecache.network_version_column)  # its page, before the view (fastpath.py)
