"""The home pages: each role's home, a school's home (built from every feature's parts), the
school switcher, the language switch and the school's search (over every feature's search sources).
App level: it shows what the features contribute.
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import pagecache
from warmeveranderen.accounts.loading import load_page_numbers
from warmeveranderen.core import search, vendor, views

# The home pages, the school's search (search) and the front-end libraries from npm (vendor) share one
# blueprint, views.bp; importing the modules adds their routes to it.
PAGES = (views, search, vendor)


def init_app(app: Flask) -> None:
    """Register the home pages' blueprint and what the templates need to load the npm libraries."""
    app.register_blueprint(views.bp)
    vendor.init_app(app)
    # An adviser's home is kept by the versions of the schools they coach: read with the person.
    load_page_numbers("core.home", person_versions=pagecache.person_versions_column)
