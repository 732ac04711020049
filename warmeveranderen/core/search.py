"""The school's search: one box over everything its features let this person see (`@search_source`)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from warmeveranderen.core.views import bp
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import QUERY_MAX, Search, search_school
from warmeveranderen.permissions import authorize, can_view_school
from warmeveranderen.programme.models import School

HITS_PER_SOURCE = 20


@bp.route("/scholen/<int:school_id>/zoeken")
def search(school_id: int):
    """Search the school's initiatives, ideas, decisions and minutes (and whatever else a feature adds)."""
    school = db.get_or_404(School, school_id)
    authorize(can_view_school(current_user, school))
    query = Search(request.args.get("q", ""), db.engine.dialect.name)
    groups = search_school(current_user, school, query, HITS_PER_SOURCE)
    return render_template("core/search.html", school=school, query=query, groups=groups,
                           total=sum(len(hits) for _label, hits in groups), query_max=QUERY_MAX,
                           per_source=HITS_PER_SOURCE)
