"""Advisers' follow-up, the programme-wide pages: the programme page, the report (page, charts, CSV)
and the coordinators' imports."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen.charts import svg_response
from warmeveranderen.domain import INDICATOR_LEVELS, SCHOOL_LEVELS
from warmeveranderen.permissions import can_view_programme, require
from warmeveranderen.programme.filters import filter_options, programme_totals
from warmeveranderen.security import csv_rows
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import charts, dashboards, imports, queries, services
from warmeveranderen.tracking.forms import UploadForm
from warmeveranderen.tracking.permissions import can_import_data
from warmeveranderen.tracking.views import bp, form_page

# --- the programme page ------------------------------------------------------------------------------------------------


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


@bp.route("/programma/opvolging")
@require(can_view_programme)
def programme_matrix():
    definitions = queries.indicators()
    score = request.args.get("score") or None
    filters = dashboards.MatrixFilters(
        city_id=_int_arg("stad"),
        network_id=_int_arg("netwerk"),
        level=request.args.get("niveau") if request.args.get("niveau") in SCHOOL_LEVELS else None,
        adviser_id=_int_arg("adviseur") if current_user.is_coordinator else None,
        indicator_id=next((d.id for d in definitions if d.number == request.args.get("indicator", type=int)), None),
        score=score if score in INDICATOR_LEVELS or score == "none" else None,
        page=request.args.get("pagina", 1, type=int),
    )
    matrix = dashboards.programme_matrix(current_user, filters, [d.id for d in definitions])
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template("tracking/programme.html", matrix=matrix, definitions=definitions,
                           options=filter_options(current_user, filters.city_id, filters.network_id), args=args,
                           indicator_number=request.args.get("indicator", type=int))


# --- the programme report -----------------------------------------------------------------------------------------------


def _programme_wide(scope, key: str, fn):
    """fn(scope); for the whole programme (scope None) through the short-lived totals cache."""
    if scope is None:
        return programme_totals(key, lambda: fn(None))
    return fn(scope)


def _report_scope():
    return None if current_user.is_coordinator else dashboards.adviser_scope(current_user.id)


# Up to this many schools the report lists each school's sessions; beyond it, per network (the CSV has them all).
REPORT_SCHOOL_ROWS = 200


@bp.route("/programma/rapport")
@require(can_view_programme)
def report():
    scope = _report_scope()
    definitions = queries.indicators()
    counts, total = _programme_wide(scope, "indicators", dashboards.indicator_distribution)
    sessions = _programme_wide(scope, "sessions", dashboards.session_counts)
    schools_listed = sum(len(n["schools"]) for n in sessions)
    return render_template(
        "tracking/report.html", definitions=definitions, counts=counts, total=total, sessions=sessions,
        school_rows=schools_listed <= REPORT_SCHOOL_ROWS,
        totals=_programme_wide(scope, "wellbeing", dashboards.wellbeing_totals), scoped=scope is not None,
        generated_on=today(),
        collective_total=sum(n["collective"] for n in sessions),
        individual_total=sum(s["individual"] for n in sessions for s in n["schools"]),
    )


@bp.route("/programma/rapport/indicatoren.svg")
@require(can_view_programme)
def report_indicator_chart():
    definitions = queries.indicators()
    counts, _total = _programme_wide(_report_scope(), "indicators", dashboards.indicator_distribution)
    return svg_response(charts.indicator_chart(definitions, counts))


@bp.route("/programma/rapport/welbevinden.svg")
@require(can_view_programme)
def report_wellbeing_chart():
    totals = _programme_wide(_report_scope(), "wellbeing", dashboards.wellbeing_totals)
    return svg_response(charts.wellbeing_trend_chart(totals, _("Welbevinden en betrokkenheid, alle scholen")))


def _csv_response(header: list[str], rows: list, name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_rows([header, *rows]))
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/programma/rapport.csv")
@require(can_view_programme)
def report_csv():
    scope = _report_scope()
    part = request.args.get("deel", "sessies")
    if part == "sessies":
        return _csv_response(["network", "school", "collective_sessions", "individual_sessions"],
                             dashboards.session_rows(scope), "sessies.csv")
    if part == "indicatoren":
        counts, total = dashboards.indicator_distribution(scope)
        rows = []
        for d in queries.indicators():
            row = counts.get(d.id, {})
            rows.append([d.number, d.title, *[row.get(code, 0) for code in INDICATOR_LEVELS],
                         total - sum(row.values())])
        return _csv_response(["indicator", "title", *INDICATOR_LEVELS, "not_rated"], rows, "indicatoren.csv")
    if part == "welbevinden":
        rows = [
            [t["school_year"], t["moment"], t["schools"], t["groups"], *t["wellbeing"]["counts"],
             *t["involvement"]["counts"]]
            for t in dashboards.wellbeing_totals(scope)
        ]
        return _csv_response(["school_year", "moment", "schools", "groups", *services.COUNT_FIELDS], rows,
                             "welbevinden.csv")
    abort(404)


# --- imports for coordinators ---------------------------------------------------------------------------------------------


@bp.route("/programma/importeren/<kind>", methods=["GET", "POST"])
@require(can_import_data)
def import_data(kind: str):
    if kind not in ("structuur", "sessies"):
        abort(404)
    columns = imports.STRUCTURE_COLUMNS if kind == "structuur" else imports.SESSION_COLUMNS
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        try:
            rows = imports.read_csv(form.file.data.read(), columns)
            result = (imports.import_structure(rows) if kind == "structuur"
                      else imports.import_sessions(rows, author=current_user))
        except services.TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("Import klaar: %(created)s nieuw, %(unchanged)s al aanwezig.",
                        created=result.created, unchanged=result.unchanged), "success")
                return redirect(url_for("tracking.import_data", kind=kind))
    return form_page("tracking/import.html", form, refused=result is not None, kind=kind, columns=columns, result=result)
