"""A school's surveys: the list, opening one from a template, its links, results, exports and charts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.surveys import charts, exports, queries, services
from warmeveranderen.surveys.forms import InviteForm, OpenSurveyForm, ReopenForm, SurveyActionForm
from warmeveranderen.surveys.models import Survey
from warmeveranderen.surveys.permissions import can_manage_surveys, can_read_open_answers, can_view_survey_results
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.tabular import csv_response, xlsx_response
from warmeveranderen.tracking.windows import school_year

bp = Blueprint("surveys", __name__, url_prefix="/scholen/<int:school_id>/bevragingen")


def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_view_survey_results(current_user, school))
    return school


def _survey_of(school: School, survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.school_id != school.id:
        abort(404)
    return survey


def _year_choices() -> list[tuple[str, str]]:
    now = today()
    this = school_year(now)
    first = int(this[:4])
    years = [this, f"{first + 1}-{first + 2}", f"{first - 1}-{first}"]
    return [(y, y) for y in years]


@bp.route("")
def index(school_id: int):
    school = _school(school_id)
    pagecache.versions(school.id)
    return pagecache.page("surveys", school, "surveys/index.html",
                          lambda: dict(school=school, surveys=queries.surveys_of(school), today=today(),
                                       minimum=queries.min_group()),
                          viewer=pagecache.roles_of(current_user, school))


@bp.route("/nieuw", methods=["GET", "POST"])
def new(school_id: int):
    school = _school(school_id)
    authorize(can_manage_surveys(current_user, school))
    form = OpenSurveyForm()
    form.school_year.choices = _year_choices()
    if not form.is_submitted():
        form.school_year.data = school_year(today())
        form.moment.data = "pre" if today().month >= 8 or today().month <= 1 else "post"
    if form.validate_on_submit():
        try:
            survey = services.open_survey(
                school, current_user, audience=form.audience.data, school_year=form.school_year.data,
                moment=form.moment.data, group_name=form.group_name.data, closes_on=form.closes_on.data,
                max_responses=form.max_responses.data, shared_link=form.shared_link.data, today=today())
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("De bevraging is open. Deel de link of stuur persoonlijke links."), "success")
            return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))
    return uow.form_page("surveys/new.html", form, school=school, templates=queries.templates())


def _detail(school: School, survey: Survey, *, invite_form=None, reopen_form=None, failed=False):
    # The survey and its counterpart (pre <-> post), their answers read together.
    other = queries.counterpart(survey)
    found = queries.results_of([survey, *([other] if other is not None else [])])
    result, pair = found[survey.id], None
    if other is not None:
        pre, post = (other, survey) if survey.moment == "post" else (survey, other)
        pair = found[pre.id], found[post.id]
    changes = queries.comparison(*pair) if pair else []
    may_read = can_read_open_answers(current_user, school)
    return uow.form_page(
        "surveys/detail.html", failed=failed, school=school, survey=survey, result=result, changes=changes,
        pair=pair, counterpart=other, today=today(),
        open_answers=queries.open_answers(survey) if may_read and result.shown else {},
        may_manage=can_manage_surveys(current_user, school),
        invite_form=invite_form or InviteForm(formdata=None), action_form=SurveyActionForm(),
        reopen_form=reopen_form or ReopenForm(formdata=None),
    )


@bp.route("/<int:survey_id>")
def detail(school_id: int, survey_id: int):
    school = _school(school_id)
    return _detail(school, _survey_of(school, survey_id))


def _managed(school_id: int, survey_id: int) -> tuple[School, Survey]:
    school = _school(school_id)
    authorize(can_manage_surveys(current_user, school))
    return school, _survey_of(school, survey_id)


@bp.route("/<int:survey_id>/uitnodigen", methods=["POST"])
def invite(school_id: int, survey_id: int):
    school, survey = _managed(school_id, survey_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            sent = services.send_invites(survey, services.parse_addresses(form.addresses.data), today())
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("%(n)s persoonlijke links verstuurd. De adressen worden niet bewaard.", n=sent), "success")
            return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))
    return _detail(school, survey, invite_form=form, failed=True)


@bp.route("/<int:survey_id>/link", methods=["POST"])
def new_link(school_id: int, survey_id: int):
    school, survey = _managed(school_id, survey_id)
    if SurveyActionForm().validate_on_submit():
        services.new_shared_link(survey)
        flash(_("Er is een nieuwe gedeelde link; de oude werkt niet meer."), "success")
    return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))


@bp.route("/<int:survey_id>/link-stoppen", methods=["POST"])
def stop_link(school_id: int, survey_id: int):
    school, survey = _managed(school_id, survey_id)
    if SurveyActionForm().validate_on_submit():
        services.stop_shared_link(survey)
        flash(_("De gedeelde link werkt niet meer. Persoonlijke links blijven werken."), "success")
    return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))


@bp.route("/<int:survey_id>/sluiten", methods=["POST"])
def close(school_id: int, survey_id: int):
    school, survey = _managed(school_id, survey_id)
    if SurveyActionForm().validate_on_submit():
        services.close_survey(survey)
        flash(_("De bevraging is gesloten."), "success")
    return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))


@bp.route("/<int:survey_id>/heropenen", methods=["POST"])
def reopen(school_id: int, survey_id: int):
    school, survey = _managed(school_id, survey_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_survey(survey, form.closes_on.data, today())
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("De bevraging is weer open."), "success")
            return redirect(url_for("surveys.detail", school_id=school.id, survey_id=survey.id))
    return _detail(school, survey, reopen_form=form, failed=True)


@bp.route("/<int:survey_id>/resultaten.<fmt>")
def export(school_id: int, survey_id: int, fmt: str):
    """The aggregated results only (never a response); nothing below the minimum group size."""
    school = _school(school_id)
    survey = _survey_of(school, survey_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    result = queries.results(survey)
    if not result.shown:
        abort(404)
    name = f"bevraging-{survey.school_year}-{survey.moment}-{survey.id}"
    write = csv_response if fmt == "csv" else xlsx_response
    return write(exports.COLUMNS, exports.rows(result), name)


@bp.route("/<int:survey_id>/grafiek.svg")
def chart(school_id: int, survey_id: int):
    school = _school(school_id)
    result = queries.results(_survey_of(school, survey_id))
    if not result.likert:
        abort(404)
    return charts.svg(charts.distribution_chart(result))


@bp.route("/<int:survey_id>/evolutie.svg")
def evolution_chart(school_id: int, survey_id: int):
    school = _school(school_id)
    pair = queries.pre_and_post(_survey_of(school, survey_id))
    changes = queries.comparison(*pair) if pair else []
    if not changes:
        abort(404)
    return charts.svg(charts.change_chart(changes))
