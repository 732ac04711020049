"""Advisers' follow-up: one school's well-being and involvement (counts, import, charts)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.charts import svg_response
from warmeveranderen.extensions import db
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import charts, dashboards, exports, imports, queries, services, tabular
from warmeveranderen.tracking.forms import MeasurementForm, UploadForm
from warmeveranderen.tracking.models import WellbeingMeasurement
from warmeveranderen.tracking.permissions import can_enter_wellbeing, can_view_wellbeing
from warmeveranderen.tracking.views import bp
from warmeveranderen.tracking.windows import is_school_year, school_year

# --- well-being and involvement ----------------------------------------------------------------------------------------


def _year_choices(rows) -> list[str]:
    current = school_year(today())
    first = int(current[:4])
    years = {current, f"{first - 1}-{first}", f"{first - 2}-{first - 1}"} | {r.school_year for r in rows}
    return sorted(years, reverse=True)


@bp.route("/scholen/<int:school_id>/welbevinden", methods=["GET", "POST"])
def wellbeing(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    rows = queries.measurements(school)
    may_enter = can_enter_wellbeing(current_user, school)
    form = MeasurementForm()
    form.school_year.choices = [(y, y) for y in _year_choices(rows)]
    if request.method == "GET":
        form.school_year.data = school_year(today())
        editing = request.args.get("meting", type=int)
        row = next((r for r in rows if r.id == editing), None)
        if row is not None:
            form.school_year.data, form.moment.data, form.group_name.data = row.school_year, row.moment, row.group_name
            for name in services.STORED_FIELDS:
                getattr(form, name).data = getattr(row, name)
    if request.method == "POST":
        authorize(may_enter)
        if form.validate_on_submit():
            try:
                services.save_measurement(school, form.data, current_user)
            except services.TrackingError as exc:
                form.form_errors.append(str(exc))
            else:
                flash(_("De meting voor %(group)s is opgeslagen.", group=form.group_name.data), "success")
                return redirect(url_for("tracking.wellbeing", school_id=school.id, jaar=form.school_year.data))
    years = sorted({r.school_year for r in rows}, reverse=True)
    year = request.args.get("jaar")
    if year not in years:
        year = years[0] if years else school_year(today())
    return uow.form_page("tracking/wellbeing.html", form, school=school, may_enter=may_enter, years=years,
                     view=dashboards.school_wellbeing(rows, year), totals=dashboards.wellbeing_totals(school_id=school.id))


@bp.route("/scholen/<int:school_id>/welbevinden/<int:measurement_id>/verwijderen", methods=["POST"])
def delete_measurement(school_id: int, measurement_id: int):
    school = db.get_or_404(School, school_id)
    measurement = db.get_or_404(WellbeingMeasurement, measurement_id)
    if measurement.school_id != school.id:
        abort(404)
    authorize(can_enter_wellbeing(current_user, school))
    services.delete_measurement(measurement)
    flash(_("De meting is verwijderd."), "success")
    return redirect(url_for("tracking.wellbeing", school_id=school.id, jaar=measurement.school_year))


@bp.route("/scholen/<int:school_id>/welbevinden/importeren", methods=["GET", "POST"])
def import_wellbeing(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_enter_wellbeing(current_user, school))
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        try:
            rows = imports.read_csv(form.file.data.read(), imports.WELLBEING_COLUMNS)
            result = imports.import_wellbeing(school, rows, current_user)
        except services.TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("%(created)s groepen ingelezen, %(unchanged)s ongewijzigd.",
                        created=result.created, unchanged=result.unchanged), "success")
                return redirect(url_for("tracking.wellbeing", school_id=school.id))
    # A file whose rows were refused fails too (nothing of it is saved).
    return uow.form_page("tracking/import_wellbeing.html", form, failed=result is not None or bool(form.errors),
                         school=school, result=result,
                     columns=imports.WELLBEING_COLUMNS)


@bp.route("/scholen/<int:school_id>/welbevinden.<fmt>")
def export_wellbeing(school_id: int, fmt: str):
    """The school's counts, one group and moment per row, as the well-being import reads them."""
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    if fmt not in ("csv", "xlsx"):
        abort(404)
    write = tabular.csv_response if fmt == "csv" else tabular.xlsx_response
    return write(exports.WELLBEING_EXPORT, exports.wellbeing_export_rows(school), "welbevinden")


def _scale_arg() -> str:
    scale = request.args.get("schaal", "wellbeing")
    return scale if scale in ("wellbeing", "involvement", "emotional") else "wellbeing"


@bp.route("/scholen/<int:school_id>/welbevinden/verdeling.svg")
def wellbeing_distribution_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    year = request.args.get("jaar", school_year(today()))
    moment = request.args.get("moment", "pre")
    if not is_school_year(year) or moment not in ("pre", "post"):
        abort(404)
    rows = [r for r in queries.measurements(school) if r.school_year == year and r.moment == moment]
    return svg_response(charts.group_distribution_chart(rows, _scale_arg(), year, moment))


@bp.route("/scholen/<int:school_id>/welbevinden/evolutie.svg")
def wellbeing_evolution_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    year = request.args.get("jaar", school_year(today()))
    if not is_school_year(year):
        abort(404)
    scale = _scale_arg()
    view = dashboards.school_wellbeing(queries.measurements(school), year)
    return svg_response(charts.evolution_chart(view["evolution"][scale], scale, year))


@bp.route("/scholen/<int:school_id>/welbevinden/trend.svg")
def wellbeing_trend_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    totals = dashboards.wellbeing_totals(school_id=school.id)
    return svg_response(charts.wellbeing_trend_chart(totals, _("Welbevinden en betrokkenheid, hele school")))
