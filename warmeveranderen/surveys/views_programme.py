"""The programme-wide survey results (coordinators; advisers for the schools they coach)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from warmeveranderen.permissions import can_view_programme, require
from warmeveranderen.programme.filters import filter_options
from warmeveranderen.surveys import programme
from warmeveranderen.surveys.models import AUDIENCES
from warmeveranderen.tracking.dashboards import ReportFilters, user_scope

bp = Blueprint("survey_programme", __name__)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


@bp.route("/programma/bevragingen/resultaten")
@require(can_view_programme)
def results():
    years = programme.school_years()
    year = request.args.get("schooljaar") if request.args.get("schooljaar") in years else (years[0] if years else "")
    audience = request.args.get("voor") if request.args.get("voor") in AUDIENCES else "staff"
    filters = ReportFilters(city_id=_int_arg("stad"), network_id=_int_arg("netwerk"))
    found = programme.results(filters.schools(user_scope(current_user)), year, audience)
    return render_template("surveys/programme.html", years=years, year=year, audience=audience, filters=filters,
                           options=filter_options(current_user, filters.city_id, filters.network_id), **found)
