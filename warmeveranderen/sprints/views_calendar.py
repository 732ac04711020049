"""The school calendar on the sprints pages: a school's own days (typed or from an .ics file) and the
coordinator's overview of sprints that fall awkwardly. On the same blueprint as views.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.sprints import owndays, schooltime
from warmeveranderen.sprints.forms import OwnDayForm, OwnDaysImportForm
from warmeveranderen.sprints.models import OwnDay
from warmeveranderen.sprints.permissions import can_manage_own_days, can_manage_programme_days
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.sprints.views import _index_context, bp, show_refusal
from warmeveranderen.timeutil import today


def _moved() -> None:
    flash(_("De vrije dagen zijn bijgewerkt; sprints die nog moeten beginnen volgen de schoolkalender."), "success")


@bp.route("/scholen/<int:school_id>/sprints/vrije-dagen", methods=["POST"])
def add_own_day(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_manage_own_days(current_user, school))
    form = OwnDayForm()
    if form.validate_on_submit():
        everyone = form.everyone.data and can_manage_programme_days(current_user)
        try:
            owndays.add_own_day(None if everyone else school, form.day.data, form.name.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            _moved()
            return redirect(url_for("sprints.index", school_id=school.id, _anchor="schooljaar-heading"))
    return uow.invalid("sprints/index.html", **_index_context(school, own_day_form=form))


@bp.route("/scholen/<int:school_id>/sprints/vrije-dagen/inlezen", methods=["POST"])
def import_own_days(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_manage_own_days(current_user, school))
    form = OwnDaysImportForm()
    if form.validate_on_submit():
        try:
            added = owndays.import_ics(school, form.file.data.read(), current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("%(n)s vrije dagen ingelezen; sprints die nog moeten beginnen volgen de schoolkalender.",
                    n=added), "success")
            return redirect(url_for("sprints.index", school_id=school.id, _anchor="schooljaar-heading"))
    return uow.invalid("sprints/index.html", **_index_context(school, import_form=form))


@bp.route("/scholen/<int:school_id>/sprints/vrije-dagen/<int:day_id>/schrappen", methods=["POST"])
def remove_own_day(school_id: int, day_id: int):
    school = db.get_or_404(School, school_id)
    own = db.get_or_404(OwnDay, day_id)
    if own.school_id is None:
        authorize(can_manage_programme_days(current_user))
    else:
        authorize(own.school_id == school.id and can_manage_own_days(current_user, school))
    owndays.remove_own_day(own, current_user)
    _moved()
    return redirect(url_for("sprints.index", school_id=school.id, _anchor="schooljaar-heading"))


@bp.route("/programma/sprints/schoolkalender")
def awkward_sprints():
    authorize(can_manage_programme_days(current_user))
    return render_template("sprints/awkward.html", rows=schooltime.awkward_sprints(today()))
