"""Advisers' follow-up, one school's pages: progress, indicators, coaching sessions, milestones.

The blueprint's other pages: well-being (views_wellbeing.py) and the programme-wide pages
(views_programme.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import formats, pagecache, uow
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.parts import PERSONAL, PROGRESS_SECTIONS, facts_for, network_sections_for, rendered_sections
from warmeveranderen.permissions import authorize, can_view_programme, require
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import queries, services
from warmeveranderen.tracking.forms import IndicatorDefinitionForm, MilestoneForm, SessionForm, make_rating_form
from warmeveranderen.tracking.models import CoachingSession, Milestone
from warmeveranderen.tracking.permissions import (
    can_edit_indicators,
    can_edit_session,
    can_log_network_session,
    can_log_school_session,
    can_manage_milestones,
    can_rate_indicators,
    can_read_session_notes,
    can_view_indicator_history,
    can_view_progress,
    can_view_session,
)
from warmeveranderen.tracking.windows import school_year, windows_of

bp = Blueprint("tracking", __name__)


@bp.app_template_filter("percent")
def percent_filter(value) -> str:
    """45.8 -> "45,8 %" in Dutch, "45.8 %" in English (one decimal, through Babel); empty for None."""
    if value is None:
        return "–"
    return f"{formats.decimal(value, '#,##0.0')}\u00a0%"


@bp.record_once
def _template_globals(state) -> None:
    """The network page (a core template) renders the registered network sections; templates need today."""
    state.app.jinja_env.globals["network_sections_for"] = network_sections_for
    state.app.jinja_env.globals["tracking_today"] = today
    # The programme's measurement windows of the current school year, shown as settings (tracking/_settings.html).
    state.app.jinja_env.globals["measurement_windows_of_year"] = lambda: windows_of(school_year(today()))


# --- the school's progress page -------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/voortgang")
def school_progress(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_progress(current_user, school))
    # Rendered once per version of the school and set of roles, as one page (its parts are kept too:
    # a new version renders only what changed): warmeveranderen/pagecache.py.
    pagecache.versions(school.id)
    roles = pagecache.roles_of(current_user, school)

    def context() -> dict:
        header = pagecache.part("progress:header", school,
                                lambda: render_template("tracking/_progress_header.html", school=school), viewer=roles)
        return dict(school=school, header=header, sections=rendered_sections("section", current_user, school))

    # Per person if a section shows something of the person's own (none does now).
    personal = any(fn in PERSONAL for _order, _template, fn in PROGRESS_SECTIONS)
    return pagecache.page("progress", school, "tracking/progress.html", context,
                          viewer=pagecache.personal(current_user) if personal else roles)


# --- indicators ---------------------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/indicatoren/scoren", methods=["GET", "POST"])
def rate(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_rate_indicators(current_user, school))
    definitions = queries.indicators()
    form = make_rating_form(definitions)
    if request.method == "GET":
        form.measured_on.data = today()
    if form.validate_on_submit():
        try:
            services.rate_indicators(school, current_user, form.measured_on.data, _rating_entries(form, definitions))
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De scores voor %(school)s zijn opgeslagen.", school=school.name), "success")
            return redirect(url_for("tracking.school_progress", school_id=school.id))
    return uow.form_page("tracking/rate.html", form, school=school, definitions=definitions,
                     current=queries.current_ratings(school), facts=facts_for(school))


def _rating_entries(form, definitions) -> list[services.RatingEntry]:
    entries = []
    for d in definitions:
        entry = getattr(form, f"i{d.number}")
        entries.append(services.RatingEntry(d.number, entry.level.data or "", entry.remark.data or "",
                                            entry.evidence.data or ""))
    return entries


@bp.route("/scholen/<int:school_id>/indicatoren")
def indicator_history(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_indicator_history(current_user, school))
    return render_template("tracking/history.html", school=school, definitions=queries.indicators(),
                           history=queries.rating_history(school))


@bp.route("/programma/indicatoren")
@require(can_view_programme)
def indicator_definitions():
    return render_template("tracking/definitions.html", definitions=queries.indicators())


@bp.route("/programma/indicatoren/<int:number>", methods=["GET", "POST"])
@require(can_edit_indicators)
def edit_indicator(number: int):
    definition = queries.indicator(number)
    if definition is None:
        abort(404)
    form = IndicatorDefinitionForm(obj=definition)
    if form.validate_on_submit():
        try:
            services.save_indicator(number, form.data)
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Indicator %(n)s is opgeslagen.", n=number), "success")
            return redirect(url_for("tracking.indicator_definitions"))
    return uow.form_page("tracking/edit_indicator.html", form, definition=definition)


# --- coaching sessions ----------------------------------------------------------------------------------------------


def _session_form(obj=None) -> SessionForm:
    form = SessionForm(obj=obj)
    form.advisers.choices = [(u.id, u.name) for u in queries.adviser_choices()]
    if request.method == "GET":
        if obj is not None:
            form.advisers.data = [u.id for u in obj.advisers]
        else:
            form.held_on.data = today()
            if current_user.is_adviser:
                form.advisers.data = [current_user.id]
    return form


def _session_data(form: SessionForm) -> dict:
    chosen = form.advisers.data or []
    advisers = db.session.scalars(db.select(User).where(User.id.in_(chosen), User.is_adviser.is_(True))).all()
    return {
        "held_on": form.held_on.data,
        "duration_minutes": form.duration_minutes.data,
        "participants": form.participants.data,
        "summary": form.summary.data,
        "notes": form.notes.data,
        "advisers": advisers,
        "cancelled": bool(form.cancelled.data),
        "allow_duplicate": bool(form.allow_duplicate.data),
    }


@bp.route("/scholen/<int:school_id>/sessies/nieuw", methods=["GET", "POST"])
def new_school_session(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_log_school_session(current_user, school))
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = services.log_session(_session_data(form), author=current_user, school=school)
        except services.DuplicateSession as exc:
            form.allow_duplicate.errors = [str(exc)]
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De individuele sessie is opgeslagen."), "success")
            return redirect(url_for("tracking.session_detail", session_id=session.id))
    return uow.form_page("tracking/session_form.html", form, school=school, network=None, session=None)


@bp.route("/netwerken/<int:network_id>/sessies/nieuw", methods=["GET", "POST"])
def new_network_session(network_id: int):
    network = db.get_or_404(LearningNetwork, network_id)
    authorize(can_log_network_session(current_user, network))
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = services.log_session(_session_data(form), author=current_user, network=network)
        except services.DuplicateSession as exc:
            form.allow_duplicate.errors = [str(exc)]
        except services.TrackingError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("De collectieve sessie is opgeslagen."), "success")
            return redirect(url_for("tracking.session_detail", session_id=session.id))
    return uow.form_page("tracking/session_form.html", form, school=None, network=network, session=None)


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
    return uow.form_page("tracking/session_form.html", form, school=session.school,
                     network=session.network if session.is_collective else None, session=session)


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
    return uow.form_page("tracking/milestones.html", form, school=school, milestones=queries.milestones(school))


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
