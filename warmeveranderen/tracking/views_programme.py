"""Advisers' follow-up, the programme-wide pages: the programme page, the report (page, charts, CSV)
and the coordinators' imports."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from warmeveranderen import pagecache, uow
from warmeveranderen.charts import svg_data_uri, svg_response
from warmeveranderen.domain import INDICATOR_LEVELS, SCHOOL_LEVELS
from warmeveranderen.parts import report_sections_for
from warmeveranderen.pdf import pdf_response
from warmeveranderen.permissions import can_view_programme, require
from warmeveranderen.programme.filters import filter_options, programme_totals, rendered_from
from warmeveranderen.security import csv_rows
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import charts, dashboards, exports, imports, queries, services, tabular
from warmeveranderen.tracking.forms import UploadForm
from warmeveranderen.tracking.permissions import can_export_data, can_import_data
from warmeveranderen.tracking.views import bp
from warmeveranderen.tracking.windows import is_school_year, school_year, school_year_bounds

# --- the programme page ------------------------------------------------------------------------------------------------


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


@bp.route("/programma/opvolging")
@require(can_view_programme)
def programme_matrix():
    # Kept per viewer (an adviser sees the schools they coach) and the versions of all schools; the
    # filters are in the address, which is part of the key (pagecache.programme_wide).
    return pagecache.page("programme-matrix", pagecache.programme_wide(), "tracking/programme.html", _matrix_page,
                          viewer=pagecache.personal(current_user))


def _matrix_page() -> dict:
    definitions = queries.indicators()
    score = request.args.get("score") or None
    filters = dashboards.MatrixFilters(
        city_id=_int_arg("stad"),
        network_id=_int_arg("netwerk"),
        level=request.args.get("niveau") if request.args.get("niveau") in SCHOOL_LEVELS else None,
        adviser_id=_int_arg("adviseur") if current_user.is_coordinator else None,
        indicator_id=next((d.id for d in definitions if d.number == request.args.get("indicator", type=int)), None),
        score=score if score in INDICATOR_LEVELS or score == "none" else None,
        stalled=request.args.get("signalen") if request.args.get("signalen") in ("ja", "nee") else None,
        page=request.args.get("pagina", 1, type=int),
    )
    matrix = dashboards.programme_matrix(current_user, filters, [d.id for d in definitions])
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return {"matrix": matrix, "definitions": definitions, "args": args,
            "options": filter_options(current_user, filters.city_id, filters.network_id),
            "indicator_number": request.args.get("indicator", type=int)}


# --- the programme report -----------------------------------------------------------------------------------------------


def _programme_wide(scope, filters, key: str, fn):
    """fn(scope, filters) through the short-lived totals cache: one entry per set of schools in view and filters."""
    if scope is None and filters.empty:
        return programme_totals(key, lambda: fn(None, filters))
    schools = "all" if scope is None else hashlib.sha1(repr(scope).encode()).hexdigest()
    return programme_totals(f"{key}:{schools}:{filters!r}", lambda: fn(scope, filters))


def _report_scope(filters: dashboards.ReportFilters) -> list[int] | None:
    """The ids of the schools in the report (an adviser's, a warm city's, a network's), None for all."""
    scope = None if current_user.is_coordinator else dashboards.adviser_scope(current_user.id)
    return dashboards.schools_in_view(scope, filters)


def _date_arg(name: str):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _report_filters() -> dashboards.ReportFilters:
    """From the URL: ?schooljaar=2025-2026 or ?van=…&tot=… (ISO dates), ?stad=<id>, ?netwerk=<id>."""
    start, end = _date_arg("van"), _date_arg("tot")
    year = request.args.get("schooljaar", "")
    if is_school_year(year):
        start, end = school_year_bounds(year)
    return dashboards.ReportFilters(start=start, end=end, city_id=_int_arg("stad"), network_id=_int_arg("netwerk"))


def _report_args() -> dict:
    return {k: v for k, v in request.args.items() if k in ("schooljaar", "van", "tot", "stad", "netwerk") and v}


# Up to this many schools the report lists each school's sessions; beyond it, per network (the CSV has them all).
REPORT_SCHOOL_ROWS = 200


def _report_context() -> dict:
    """Everything the report shows, for the page and the PDF alike (the same figures from the same queries)."""
    filters = _report_filters()
    scope = _report_scope(filters)
    definitions = queries.indicators()
    counts, total = _programme_wide(scope, filters, "indicators", dashboards.indicator_distribution)
    sessions = _programme_wide(scope, filters, "sessions", dashboards.session_counts)
    schools_listed = sum(len(n["schools"]) for n in sessions)
    first_year = int(school_year(today())[:4])
    options = filter_options(current_user, filters.city_id, filters.network_id)
    school_rows = schools_listed <= REPORT_SCHOOL_ROWS
    return dict(
        definitions=definitions, counts=counts, total=total, sessions=sessions, school_rows=school_rows,
        # One row per network (and school): rendered once per computation of the figures.
        sessions_rows=Markup(rendered_from("report:sessions", sessions, lambda: render_template(
            "tracking/_report_sessions_rows.html", sessions=sessions, school_rows=school_rows), extra=school_rows)),
        totals=_programme_wide(scope, filters, "wellbeing",
                               lambda s, f: dashboards.wellbeing_totals(s, filters=f)),
        scoped=scope is not None, filters=filters, args=_report_args(), options=options,
        scope_names=_scope_names(options, filters),
        school_years=[f"{y}-{y + 1}" for y in range(first_year, 2016, -1)],
        chosen_year=request.args.get("schooljaar", "") if is_school_year(request.args.get("schooljaar", "")) else "",
        generated_on=today(),
        collective_total=sum(n["collective"] for n in sessions),
        individual_total=sum(n["individual"] for n in sessions),
        planned_total=sum(n["collective_planned"] + n["individual_planned"] for n in sessions),
        report_sections=report_sections_for(
            current_user, filters.schools(scope),
            request.args.get("schooljaar", "") if is_school_year(request.args.get("schooljaar", "")) else ""),
    )


def _scope_names(options, filters) -> list[str]:
    """The chosen warm city and network by name, for the printed and PDF report's heading."""
    names = [name for id_, name in options.get("cities", []) if id_ == filters.city_id]
    names += [name for id_, name in options.get("networks", []) if id_ == filters.network_id]
    return names


@bp.route("/programma/rapport")
@require(can_view_programme)
def report():
    return render_template("tracking/report.html", **_report_context())


@bp.route("/programma/rapport.pdf")
@require(can_view_programme)
def report_pdf():
    """The report as the programme's own document: the same filters, figures and charts as the page."""
    context = _report_context()
    context["chart_images"] = {
        "indicators": svg_data_uri(charts.indicator_chart(context["definitions"], context["counts"])),
        "wellbeing": svg_data_uri(charts.wellbeing_trend_chart(
            context["totals"], _("Welbevinden en betrokkenheid, alle scholen"))) if context["totals"] else None,
    }
    name = "-".join(["programmarapport", *context["args"].values()])
    return pdf_response("tracking/report_pdf.html", name, **context)


@bp.route("/programma/rapport/indicatoren.svg")
@require(can_view_programme)
def report_indicator_chart():
    definitions = queries.indicators()
    filters = _report_filters()
    counts, _total = _programme_wide(_report_scope(filters), filters, "indicators", dashboards.indicator_distribution)
    return svg_response(charts.indicator_chart(definitions, counts))


@bp.route("/programma/rapport/welbevinden.svg")
@require(can_view_programme)
def report_wellbeing_chart():
    filters = _report_filters()
    totals = _programme_wide(_report_scope(filters), filters, "wellbeing",
                             lambda s, f: dashboards.wellbeing_totals(s, filters=f))
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
    filters = _report_filters()
    scope = _report_scope(filters)
    part = request.args.get("deel", "sessies")
    if part == "sessies":
        return _csv_response(dashboards.SESSION_HEADER, dashboards.session_rows(scope, filters), "sessies.csv")
    if part == "indicatoren":
        counts, total = dashboards.indicator_distribution(scope, filters)
        rows = []
        for d in queries.indicators():
            row = counts.get(d.id, {})
            rows.append([d.number, d.title, *[row.get(code, 0) for code in INDICATOR_LEVELS],
                         total - sum(row.values())])
        return _csv_response(["indicator", "title", *INDICATOR_LEVELS, "not_rated"], rows, "indicatoren.csv")
    if part == "welbevinden":
        rows = [
            [t["school_year"], t["moment"], t["schools"], t["groups"], *t["wellbeing"]["counts"],
             *t["involvement"]["counts"], *t["emotional"]["counts"]]
            for t in dashboards.wellbeing_totals(scope, filters=filters)
        ]
        return _csv_response(["school_year", "moment", "schools", "groups", *services.COUNT_FIELDS,
                              *services.EMOTIONAL_FIELDS], rows,
                             "welbevinden.csv")
    abort(404)


EXPORTS = {
    "sessies": (exports.SESSION_EXPORT, exports.session_export_rows),
    "scores": (exports.RATING_EXPORT, exports.rating_export_rows),
}


@bp.route("/programma/export/<part>.<fmt>")
@require(can_export_data)
def export_rows(part: str, fmt: str):
    """Every session or rating in the report's period and scope, one per row, as the import reads it."""
    if part not in EXPORTS or fmt not in ("csv", "xlsx"):
        abort(404)
    columns, rows = EXPORTS[part]
    write = tabular.csv_response if fmt == "csv" else tabular.xlsx_response
    return write(columns, rows(_report_filters()), part)


# --- imports for coordinators ---------------------------------------------------------------------------------------------


IMPORTS = {
    "structuur": (imports.STRUCTURE_COLUMNS, imports.import_structure),
    "sessies": (imports.SESSION_COLUMNS, lambda rows: imports.import_sessions(rows, author=current_user)),
    "scores": (imports.RATING_COLUMNS, imports.import_ratings),
}


@bp.route("/programma/importeren/<kind>", methods=["GET", "POST"])
@require(can_import_data)
def import_data(kind: str):
    if kind not in IMPORTS:
        abort(404)
    columns, run = IMPORTS[kind]
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        try:
            rows = imports.read_csv(form.file.data.read(), columns)
            result = run(rows)
        except services.TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("Import klaar: %(created)s nieuw, %(unchanged)s al aanwezig.",
                        created=result.created, unchanged=result.unchanged), "success")
                if result.people_without_login:
                    flash(_("Adviseurs zonder account, bewaard als persoon zonder login: %(emails)s.",
                            emails=", ".join(result.people_without_login)), "info")
                return redirect(url_for("tracking.import_data", kind=kind))
    # A file whose rows were refused fails too (nothing of it is saved).
    return uow.form_page("tracking/import.html", form, failed=result is not None or bool(form.errors),
                         kind=kind, columns=columns, result=result)
