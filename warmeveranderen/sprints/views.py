"""Sprint pages."""

from flask import Blueprint

from warmeveranderen.sprints import models  # noqa: F401  (registers the tables)

bp = Blueprint("sprints", __name__)
