"""Advisers' follow-up: indicators, coaching sessions, milestones, well-being, dashboards, the report, imports."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen.charts import svg_response
from warmeveranderen.domain import INDICATOR_LEVELS, SCHOOL_LEVELS
from warmeveranderen.extensions import db
from warmeveranderen.parts import facts_for, network_sections_for, progress_sections_for
from warmeveranderen.permissions import authorize, can_view_programme, require
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import charts, dashboards, services
from warmeveranderen.tracking.forms import (
    IndicatorDefinitionForm,
    MeasurementForm,
    MilestoneForm,
    SessionForm,
    UploadForm,
    make_rating_form,
)
from warmeveranderen.tracking.models import CoachingSession, Milestone, WellbeingMeasurement
from warmeveranderen.tracking.permissions import (
    can_edit_indicators,
    can_edit_session,
    can_enter_wellbeing,
    can_import_data,
    can_log_network_session,
    can_log_school_session,
    can_manage_milestones,
    can_rate_indicators,
    can_read_session_notes,
    can_view_indicator_history,
    can_view_progress,
    can_view_session,
    can_view_wellbeing,
)
from warmeveranderen.tracking.windows import is_school_year, school_year

bp = Blueprint("tracking", __name__)


@bp.record_once
def _template_globals(state) -> None:
    """The network page (a core template) renders the registered network sections; templates need today."""
    state.app.jinja_env.globals["network_sections_for"] = network_sections_for
    state.app.jinja_env.globals["tracking_today"] = today


# --- the school's progress page -------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/voortgang")
def school_progress(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_progress(current_user, school))
    return render_template("tracking/progress.html", school=school,
                           sections=progress_sections_for(current_user, school))


# --- indicators ---------------------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/indicatoren/scoren", methods=["GET", "POST"])
def rate(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_rate_indicators(current_user, school))
    definitions = services.indicators()
    form = make_rating_form(definitions)
    if request.method == "GET":
        form.measured_on.data = today()
    if form.validate_on_submit():
        entries = [
            services.RatingEntry(d.number, getattr(form, f"i{d.number}").level.data or "",
                                 getattr(form, f"i{d.number}").remark.data or "",
                                 getattr(form, f"i{d.number}").evidence.data or "")
            for d in definitions
        ]
        try:
            services.rate_indicators(school, current_user, form.measured_on.data, entries)
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De scores voor %(school)s zijn opgeslagen.", school=school.name), "success")
            return redirect(url_for("tracking.school_progress", school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/rate.html", school=school, form=form, definitions=definitions,
                           current=services.current_ratings(school), facts=facts_for(school)), status


@bp.route("/scholen/<int:school_id>/indicatoren")
def indicator_history(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_indicator_history(current_user, school))
    return render_template("tracking/history.html", school=school, definitions=services.indicators(),
                           history=services.rating_history(school))


@bp.route("/programma/indicatoren")
@require(can_view_programme)
def indicator_definitions():
    return render_template("tracking/definitions.html", definitions=services.indicators())


@bp.route("/programma/indicatoren/<int:number>", methods=["GET", "POST"])
@require(can_edit_indicators)
def edit_indicator(number: int):
    definition = services.indicator(number)
    if definition is None:
        abort(404)
    form = IndicatorDefinitionForm(obj=definition)
    if form.validate_on_submit():
        try:
            services.save_indicator(definition, form.data)
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Indicator %(n)s is opgeslagen.", n=number), "success")
            return redirect(url_for("tracking.indicator_definitions"))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/edit_indicator.html", form=form, definition=definition), status


# --- coaching sessions ----------------------------------------------------------------------------------------------


def _session_form(obj=None) -> SessionForm:
    form = SessionForm(obj=obj)
    form.advisers.choices = [(u.id, u.name) for u in services.adviser_choices()]
    if request.method == "GET":
        if obj is not None:
            form.advisers.data = [u.id for u in obj.advisers]
        else:
            form.held_on.data = today()
            if current_user.is_adviser:
                form.advisers.data = [current_user.id]
    return form


def _session_data(form: SessionForm) -> dict:
    from warmeveranderen.accounts.models import User

    chosen = form.advisers.data or []
    advisers = db.session.scalars(db.select(User).where(User.id.in_(chosen), User.is_adviser.is_(True))).all()
    return {
        "held_on": form.held_on.data,
        "duration_minutes": form.duration_minutes.data,
        "participants": form.participants.data,
        "summary": form.summary.data,
        "notes": form.notes.data,
        "advisers": advisers,
    }


@bp.route("/scholen/<int:school_id>/sessies/nieuw", methods=["GET", "POST"])
def new_school_session(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_log_school_session(current_user, school))
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = services.log_session(_session_data(form), author=current_user, school=school)
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De individuele sessie is opgeslagen."), "success")
            return redirect(url_for("tracking.session_detail", session_id=session.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/session_form.html", form=form, school=school, network=None, session=None), status


@bp.route("/netwerken/<int:network_id>/sessies/nieuw", methods=["GET", "POST"])
def new_network_session(network_id: int):
    network = db.get_or_404(LearningNetwork, network_id)
    authorize(can_log_network_session(current_user, network))
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = services.log_session(_session_data(form), author=current_user, network=network)
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De collectieve sessie is opgeslagen."), "success")
            return redirect(url_for("tracking.session_detail", session_id=session.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/session_form.html", form=form, school=None, network=network, session=None), status


@bp.route("/sessies/<int:session_id>")
def session_detail(session_id: int):
    session = db.get_or_404(CoachingSession, session_id)
    authorize(can_view_session(current_user, session))
    return render_template("tracking/session.html", session=session,
                           show_notes=can_read_session_notes(current_user, session))


@bp.route("/sessies/<int:session_id>/bewerken", methods=["GET", "POST"])
def edit_session(session_id: int):
    session = db.get_or_404(CoachingSession, session_id)
    authorize(can_edit_session(current_user, session))
    form = _session_form(session)
    if form.validate_on_submit():
        try:
            services.update_session(session, _session_data(form))
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De sessie is opgeslagen."), "success")
            return redirect(url_for("tracking.session_detail", session_id=session.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/session_form.html", form=form, school=session.school,
                           network=session.network if session.is_collective else None, session=session), status


@bp.route("/sessies/<int:session_id>/verwijderen", methods=["POST"])
def delete_session(session_id: int):
    session = db.get_or_404(CoachingSession, session_id)
    authorize(can_edit_session(current_user, session))
    target = (url_for("programme.network", network_id=session.network_id) if session.is_collective
              else url_for("tracking.school_progress", school_id=session.school_id))
    services.delete_session(session)
    flash(_("De sessie is verwijderd."), "success")
    return redirect(target)


# --- milestones ---------------------------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/mijlpalen", methods=["GET", "POST"])
def milestones(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_manage_milestones(current_user, school))
    form = MilestoneForm()
    if request.method == "GET":
        form.happened_on.data = today()
    if form.validate_on_submit():
        try:
            services.record_milestone(school, form.kind.data, form.happened_on.data, form.note.data)
        except services.TrackingError as exc:
            form.kind.errors.append(str(exc))
        else:
            flash(_("De mijlpaal is opgeslagen."), "success")
            return redirect(url_for("tracking.milestones", school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/milestones.html", school=school, form=form,
                           milestones=services.milestones(school)), status


@bp.route("/scholen/<int:school_id>/mijlpalen/<int:milestone_id>/verwijderen", methods=["POST"])
def delete_milestone(school_id: int, milestone_id: int):
    school = db.get_or_404(School, school_id)
    milestone = db.get_or_404(Milestone, milestone_id)
    if milestone.school_id != school.id:
        abort(404)
    authorize(can_manage_milestones(current_user, school))
    services.delete_milestone(milestone)
    flash(_("De mijlpaal is verwijderd."), "success")
    return redirect(url_for("tracking.milestones", school_id=school.id))


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
    rows = services.measurements(school)
    may_enter = can_enter_wellbeing(current_user, school)
    form = MeasurementForm()
    form.school_year.choices = [(y, y) for y in _year_choices(rows)]
    if request.method == "GET":
        form.school_year.data = school_year(today())
        editing = request.args.get("meting", type=int)
        row = next((r for r in rows if r.id == editing), None)
        if row is not None:
            form.school_year.data, form.moment.data, form.group_name.data = row.school_year, row.moment, row.group_name
            for name in services.COUNT_FIELDS:
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
    status = 422 if request.method == "POST" else 200
    return render_template(
        "tracking/wellbeing.html", school=school, form=form, may_enter=may_enter, years=years,
        view=dashboards.school_wellbeing(rows, year), totals=dashboards.wellbeing_totals(school_id=school.id),
    ), status


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
            rows = services.read_csv(form.file.data.read(), services.WELLBEING_COLUMNS)
            result = services.import_wellbeing(school, rows, current_user)
        except services.TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("%(created)s groepen ingelezen, %(unchanged)s ongewijzigd.",
                        created=result.created, unchanged=result.unchanged), "success")
                return redirect(url_for("tracking.wellbeing", school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/import_wellbeing.html", school=school, form=form, result=result,
                           columns=services.WELLBEING_COLUMNS), status


def _scale_arg() -> str:
    scale = request.args.get("schaal", "wellbeing")
    return scale if scale in ("wellbeing", "involvement") else "wellbeing"


@bp.route("/scholen/<int:school_id>/welbevinden/verdeling.svg")
def wellbeing_distribution_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    year = request.args.get("jaar", school_year(today()))
    moment = request.args.get("moment", "pre")
    if not is_school_year(year) or moment not in ("pre", "post"):
        abort(404)
    rows = [r for r in services.measurements(school) if r.school_year == year and r.moment == moment]
    return svg_response(charts.group_distribution_chart(rows, _scale_arg(), year, moment))


@bp.route("/scholen/<int:school_id>/welbevinden/evolutie.svg")
def wellbeing_evolution_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    year = request.args.get("jaar", school_year(today()))
    if not is_school_year(year):
        abort(404)
    scale = _scale_arg()
    view = dashboards.school_wellbeing(services.measurements(school), year)
    return svg_response(charts.evolution_chart(view["evolution"][scale], scale, year))


@bp.route("/scholen/<int:school_id>/welbevinden/trend.svg")
def wellbeing_trend_chart(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_wellbeing(current_user, school))
    totals = dashboards.wellbeing_totals(school_id=school.id)
    return svg_response(charts.wellbeing_trend_chart(totals, _("Welbevinden en betrokkenheid, hele school")))


# --- the programme page ------------------------------------------------------------------------------------------------


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


@bp.route("/programma/opvolging")
@require(can_view_programme)
def programme_matrix():
    definitions = services.indicators()
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
                           options=dashboards.filter_options(current_user, filters.city_id, filters.network_id), args=args,
                           indicator_number=request.args.get("indicator", type=int))


# --- the programme report -----------------------------------------------------------------------------------------------


def _programme_wide(scope, key: str, fn):
    """fn(scope); for the whole programme (scope None) through the short-lived totals cache."""
    if scope is None:
        return dashboards.programme_totals(key, lambda: fn(None))
    return fn(scope)


def _report_scope():
    return None if current_user.is_coordinator else dashboards.adviser_scope(current_user.id)


# Up to this many schools the report lists each school's sessions; beyond it, per network (the CSV has them all).
REPORT_SCHOOL_ROWS = 200


@bp.route("/programma/rapport")
@require(can_view_programme)
def report():
    scope = _report_scope()
    definitions = services.indicators()
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
    definitions = services.indicators()
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
    writer.writerow(header)
    writer.writerows(rows)
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
        for d in services.indicators():
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
    columns = services.STRUCTURE_COLUMNS if kind == "structuur" else services.SESSION_COLUMNS
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        try:
            rows = services.read_csv(form.file.data.read(), columns)
            result = (services.import_structure(rows) if kind == "structuur"
                      else services.import_sessions(rows, author=current_user))
        except services.TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("Import klaar: %(created)s nieuw, %(unchanged)s al aanwezig.",
                        created=result.created, unchanged=result.unchanged), "success")
                return redirect(url_for("tracking.import_data", kind=kind))
    status = 422 if request.method == "POST" else 200
    return render_template("tracking/import.html", form=form, kind=kind, columns=columns, result=result), status

