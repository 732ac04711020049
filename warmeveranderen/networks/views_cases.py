"""Star cases (stercasussen): the published cases, writing one for a school, submitting, publishing, print and PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pdf, uow
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.forms_common import field_error
from warmeveranderen.networks import cases, services_cases
from warmeveranderen.networks.forms import CaseActionForm, StarCaseForm
from warmeveranderen.networks.permissions import (
    can_edit_star_case,
    can_publish_star_case,
    can_use_platform,
    can_view_star_case,
    can_write_star_case,
)
from warmeveranderen.networks.services import NetworkError
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School

bp = Blueprint("starcases", __name__)


def _form(school: School, obj=None) -> StarCaseForm:
    get = request.method == "GET" and obj is not None
    form = StarCaseForm(obj=obj if get else None, **({"journey": obj.process} if get else {}))
    form.moments.choices = [(m.key, f"{format_day(m.on)} · {m.title}") for m in cases.candidates(school)]
    if request.method == "GET" and obj is not None:
        form.moments.data = [f"{m.kind}:{m.ref_id}" for m in obj.moments]
    return form


def _data(form: StarCaseForm) -> dict:
    return {"title": form.title.data, "result": form.result.data, "process": form.journey.data, "videos": form.videos.data}


def _case(case_id: int):
    case = cases.load_case(case_id)
    if case is None:
        abort(404)
    authorize(can_view_star_case(current_user, case))
    return case


@bp.route("/stercasussen")
@require(can_use_platform)
def index():
    published, working = cases.cases_for(current_user)
    return render_template("networks/cases.html", published=published, working=working)


@bp.route("/scholen/<int:school_id>/stercasussen/nieuw", methods=["GET", "POST"])
def new(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_write_star_case(current_user, school))
    form = _form(school)
    if form.validate_on_submit():
        try:
            case = services_cases.create_case(school, current_user, _data(form), form.moments.data)
        except NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("De stercasus is bewaard als concept."), "success")
            return redirect(url_for("starcases.detail", case_id=case.id))
    return uow.form_page("networks/case_form.html", form, school=school, case=None)


@bp.route("/stercasussen/<int:case_id>")
def detail(case_id: int):
    case = _case(case_id)
    return render_template("networks/case.html", case=case, timeline=cases.timeline(case), action_form=CaseActionForm())


@bp.route("/stercasussen/<int:case_id>/pdf")
def as_pdf(case_id: int):
    case = _case(case_id)
    return pdf.pdf_response("networks/case_print.html", f"stercasus-{case.id}", case=case, timeline=cases.timeline(case))


@bp.route("/stercasussen/<int:case_id>/bewerken", methods=["GET", "POST"])
def edit(case_id: int):
    case = _case(case_id)
    authorize(can_edit_star_case(current_user, case))
    form = _form(case.school, case)
    if form.validate_on_submit():
        try:
            services_cases.update_case(case, _data(form), form.moments.data)
        except NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("starcases.detail", case_id=case.id))
    return uow.form_page("networks/case_form.html", form, school=case.school, case=case)


def _action(case_id: int, allowed, act, done: str):
    case = _case(case_id)
    authorize(allowed(current_user, case))
    if CaseActionForm().validate_on_submit():
        try:
            act(case)
        except NetworkError as exc:
            flash(str(exc), "danger")
        else:
            flash(done, "success")
    return redirect(url_for("starcases.detail", case_id=case.id))


@bp.route("/stercasussen/<int:case_id>/indienen", methods=["POST"])
def submit(case_id: int):
    return _action(case_id, can_edit_star_case, lambda c: services_cases.submit_case(c, current_user),
                   _("Ingediend: de coördinator leest de stercasus en publiceert hem."))


@bp.route("/stercasussen/<int:case_id>/publiceren", methods=["POST"])
def publish(case_id: int):
    return _action(case_id, can_publish_star_case, lambda c: services_cases.publish_case(c, current_user),
                   _("Gepubliceerd: alle scholen van het programma lezen deze stercasus."))


@bp.route("/stercasussen/<int:case_id>/terugnemen", methods=["POST"])
def unpublish(case_id: int):
    return _action(case_id, can_publish_star_case, services_cases.unpublish_case,
                   _("Teruggenomen: de stercasus is weer een concept."))
