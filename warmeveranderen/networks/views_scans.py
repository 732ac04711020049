"""A school's self-scans (zelfscan): start one, fill it in together, see strengths and gaps, gaps to the backlog."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.networks import queries, results, services_more
from warmeveranderen.networks.catalogue import SCAN_KINDS, SCAN_SCALE
from warmeveranderen.networks.forms import GapForm, ScanAnswersForm, ScanStartForm
from warmeveranderen.networks.permissions import can_fill_scan, can_scan_to_backlog, can_use_platform, can_view_scans
from warmeveranderen.networks.services import NetworkError
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School

bp = Blueprint("selfscan", __name__, url_prefix="/scholen/<int:school_id>/zelfscan")


def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_view_scans(current_user, school))
    return school


def _scan(school: School, scan_id: int):
    scan = results.load_scan(scan_id)
    if scan is None or scan.school_id != school.id:
        abort(404)
    return scan


def _start_form() -> ScanStartForm:
    form = ScanStartForm()
    form.kind.choices = [(k.code, k.title) for k in SCAN_KINDS.values()]
    return form


@bp.route("")
def index(school_id: int):
    school = _school(school_id)
    return uow.form_page("networks/scans.html", _start_form(), school=school, scans=results.scans_of(school),
                         kinds=SCAN_KINDS)


@bp.route("/nieuw", methods=["POST"])
def start(school_id: int):
    school = _school(school_id)
    authorize(can_fill_scan(current_user, school))
    form = _start_form()
    if form.validate_on_submit():
        try:
            scan = services_more.start_scan(school, form.kind.data, current_user)
        except NetworkError as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("selfscan.fill", school_id=school.id, scan_id=scan.id))
    return uow.form_page("networks/scans.html", form, failed=True, school=school, scans=results.scans_of(school),
                         kinds=SCAN_KINDS)


def _typed(kind) -> tuple[dict, dict]:
    """The scores and notes as posted, and the problems with them (per field name)."""
    answers, errors = {}, {}
    for question in kind.questions:
        raw = request.form.get(f"score_{question.code}", "")
        score = int(raw) if raw.isdigit() and int(raw) in SCAN_SCALE else None
        if raw and score is None:
            errors[f"score_{question.code}"] = _("Kies een score op de schaal.")
        answers[question.code] = (score, request.form.get(f"note_{question.code}", ""))
    return answers, errors


@bp.route("/<int:scan_id>", methods=["GET", "POST"])
def fill(school_id: int, scan_id: int):
    school = _school(school_id)
    scan = _scan(school, scan_id)
    kind = SCAN_KINDS[scan.kind]
    may_fill = can_fill_scan(current_user, school)
    if request.method == "POST":
        authorize(may_fill)
    if scan.completed_at is not None:
        return redirect(url_for("selfscan.result", school_id=school.id, scan_id=scan.id))
    form = ScanAnswersForm()
    typed = {a.question: (a.score, a.note) for a in scan.answers}
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed, errors = _typed(kind)
        if form.validate_on_submit() and not errors:
            try:
                services_more.save_answers(scan, typed, complete="afronden" in request.form)
            except NetworkError as exc:
                errors[exc.field or "_form"] = str(exc)
            else:
                if scan.completed_at is not None:
                    flash(_("De zelfscan is afgerond. Dit zijn jullie sterktes en werkpunten."), "success")
                    return redirect(url_for("selfscan.result", school_id=school.id, scan_id=scan.id))
                flash(_("Tussentijds bewaard."), "success")
                return redirect(url_for("selfscan.fill", school_id=school.id, scan_id=scan.id))
        elif not errors:
            errors["_form"] = _("Je formulier was te lang open en is verlopen. Verstuur het opnieuw; je invoer staat er nog.")
    return uow.form_page("networks/scan_fill.html", failed=bool(errors), school=school, scan=scan, kind=kind,
                         typed=typed, errors=errors, may_fill=may_fill, scale=SCAN_SCALE, form=form)


@bp.route("/<int:scan_id>/resultaat")
def result(school_id: int, scan_id: int):
    school = _school(school_id)
    scan = _scan(school, scan_id)
    previous = results.previous_scan(scan)
    themes = results.result(scan, previous)
    gaps = results.gaps(themes)
    may_backlog = can_scan_to_backlog(current_user, school)
    help_for = {}
    for row in gaps:
        q = row.question
        help_for[q.code] = {
            "basket": results.matching_basket(school.programme_id, q.building_block, q.health_level, q.health_strategy),
            "partners": results.helpers_for(school.programme_id, q.building_block, q.health_level, q.health_strategy,
                                            school.city_id),
            "library": (queries.matching_library(current_user, q.building_block, q.health_level, q.health_strategy)
                        if can_use_platform(current_user) else []),
        }
    return render_template("networks/scan_result.html", school=school, scan=scan, kind=SCAN_KINDS[scan.kind],
                           previous=previous, themes=themes, strengths=results.strengths(themes), gaps=gaps,
                           help_for=help_for, may_backlog=may_backlog, gap_form=GapForm(), scale=SCAN_SCALE)


@bp.route("/<int:scan_id>/naar-backlog", methods=["POST"])
def to_backlog(school_id: int, scan_id: int):
    school = _school(school_id)
    scan = _scan(school, scan_id)
    authorize(can_scan_to_backlog(current_user, school))
    form = GapForm()
    if form.validate_on_submit():
        try:
            initiative = services_more.gap_to_backlog(scan, form.question.data, current_user)
        except NetworkError as exc:
            flash(str(exc), "danger")
            uow.refuse()
        else:
            flash(_("“%(t)s” staat op de backlog.", t=initiative.title), "success")
    return redirect(url_for("selfscan.result", school_id=school.id, scan_id=scan.id, _anchor="werkpunten"))
