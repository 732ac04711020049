"""Classroom observations in a sample (issue 20, seed 003): per observed class the number of pupils at each
level of involvement, and a rating of the class climate and the teaching style (1 to 5)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.surveys import services
from warmeveranderen.surveys.forms import ArchiveForm, ObservationForm
from warmeveranderen.surveys.models import RATINGS, ClassroomObservation
from warmeveranderen.surveys.permissions import can_enter_observations, can_view_survey_results
from warmeveranderen.timeutil import today

bp = Blueprint("observations", __name__, url_prefix="/scholen/<int:school_id>/observaties")


def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_view_survey_results(current_user, school))
    return school


def _page(school, form, failed=False):
    rows = db.session.scalars(db.select(ClassroomObservation).where(ClassroomObservation.school_id == school.id)
                              .order_by(ClassroomObservation.observed_on.desc(), ClassroomObservation.id)).all()
    return uow.form_page("surveys/observations.html", form, failed=failed, school=school, rows=rows,
                         may_enter=can_enter_observations(current_user, school), delete_form=ArchiveForm(),
                         ratings=RATINGS)


@bp.route("", methods=["GET", "POST"])
def index(school_id: int):
    school = _school(school_id)
    form = ObservationForm()
    if form.is_submitted():
        authorize(can_enter_observations(current_user, school))
    if form.validate_on_submit():
        try:
            services.record_observation(school, form.class_name.data, form.observed_on.data,
                                        [form[f"involvement_{n}"].data or 0 for n in range(1, 6)],
                                        form.class_climate.data, form.teaching_style.data, today())
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("De observatie van %(c)s is opgeslagen.", c=form.class_name.data), "success")
            return redirect(url_for("observations.index", school_id=school.id))
    return _page(school, form, failed=form.is_submitted())


@bp.route("/<int:observation_id>/verwijderen", methods=["POST"])
def delete(school_id: int, observation_id: int):
    school = _school(school_id)
    authorize(can_enter_observations(current_user, school))
    row = db.session.get(ClassroomObservation, observation_id)
    if row is None or row.school_id != school.id:
        abort(404)
    if ArchiveForm().validate_on_submit():
        services.delete_observation(row)
        flash(_("De observatie is verwijderd."), "success")
    return redirect(url_for("observations.index", school_id=school.id))
