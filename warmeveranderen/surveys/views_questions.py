"""The questions: the coordinator edits the programme's templates; a school adds a few questions of its own."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys import settings as survey_settings
from warmeveranderen.surveys.forms import ArchiveForm, OwnQuestionForm, QuestionForm, SettingsForm, TemplateForm
from warmeveranderen.surveys.models import AUDIENCES, SurveyQuestion
from warmeveranderen.surveys.permissions import can_edit_survey_templates, can_manage_surveys

bp = Blueprint("survey_questions", __name__)


def _question_data(form) -> dict:
    return dict(kind=form.kind.data, text=form.text.data, text_en=form.text_en.data, choices=form.choices.data,
                choices_en=form.choices_en.data, theme=form.theme.data or "")


# --- the coordinator's templates ---------------------------------------------------------------

@bp.route("/programma/bevragingen")
@require(can_edit_survey_templates)
def templates():
    return render_template("surveys/templates.html", templates=queries.templates(),
                           programme_questions=queries.programme_questions, archive_form=ArchiveForm())


@bp.route("/programma/bevragingen/<audience>", methods=["GET", "POST"])
@require(can_edit_survey_templates)
def edit_template(audience: str):
    if audience not in AUDIENCES:
        abort(404)
    template = queries.template_of(audience)
    form = TemplateForm(obj=template)
    question_form = QuestionForm(formdata=None)
    if form.validate_on_submit():
        template = services.ensure_templates()[audience]
        try:
            services.update_template(template, form.title.data, form.intro.data)
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("Het sjabloon is opgeslagen."), "success")
            return redirect(url_for("survey_questions.templates"))
    return uow.form_page("surveys/template_edit.html", form, survey_template=template, question_form=question_form)


@bp.route("/programma/bevragingen/<audience>/vragen", methods=["POST"])
@require(can_edit_survey_templates)
def add_question(audience: str):
    if audience not in AUDIENCES:
        abort(404)
    question_form = QuestionForm()
    if question_form.validate_on_submit():
        template = services.ensure_templates()[audience]
        try:
            services.add_question(template, **_question_data(question_form))
        except services.SurveyError as exc:
            field_error(question_form, exc)
        else:
            flash(_("De vraag is toegevoegd."), "success")
            return redirect(url_for("survey_questions.templates", _anchor=f"sjabloon-{audience}"))
    template = queries.template_of(audience)
    return uow.form_page("surveys/template_edit.html", TemplateForm(obj=template), survey_template=template,
                         question_form=question_form, failed=True)


def _programme_question(survey_question_id: int) -> SurveyQuestion:
    question = db.get_or_404(SurveyQuestion, survey_question_id)
    if question.school_id is not None:
        abort(404)
    return question


@bp.route("/programma/bevragingen/vragen/<int:survey_question_id>", methods=["GET", "POST"])
@require(can_edit_survey_templates)
def edit_question(survey_question_id: int):
    question = _programme_question(survey_question_id)
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            services.edit_question(question, **_question_data(form))
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("De vraag is opgeslagen; eerdere antwoorden blijven bij deze vraag horen."), "success")
            return redirect(url_for("survey_questions.templates", _anchor=f"sjabloon-{question.template.audience}"))
    return uow.form_page("surveys/question_edit.html", form, question=question,
                         answered=services.has_answers(question))


@bp.route("/programma/bevragingen/vragen/<int:survey_question_id>/archiveren", methods=["POST"])
@require(can_edit_survey_templates)
def archive_question(survey_question_id: int):
    question = _programme_question(survey_question_id)
    if ArchiveForm().validate_on_submit():
        services.set_archived(question, not question.archived)
        flash(_("De vraag is gearchiveerd.") if question.archived else _("De vraag wordt weer gesteld."), "success")
    return redirect(url_for("survey_questions.templates", _anchor=f"sjabloon-{question.template.audience}"))


# --- a school's own questions ------------------------------------------------------------------

def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_manage_surveys(current_user, school))
    return school


@bp.route("/scholen/<int:school_id>/bevragingen/eigen-vragen", methods=["GET", "POST"])
def own_questions(school_id: int):
    school = _school(school_id)
    form = OwnQuestionForm()
    if form.validate_on_submit():
        template = services.ensure_templates()[form.audience.data]
        try:
            services.add_question(template, school=school, **_question_data(form))
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("Je vraag staat in de bevraging van de school. Ze wordt gesteld bij elk meetmoment."), "success")
            return redirect(url_for("survey_questions.own_questions", school_id=school.id))
    return uow.form_page("surveys/own_questions.html", form, school=school, questions=queries.own_questions(school),
                         archive_form=ArchiveForm(), maximum=services.MAX_OWN_QUESTIONS)


@bp.route("/scholen/<int:school_id>/bevragingen/eigen-vragen/<int:own_question_id>/archiveren", methods=["POST"])
def archive_own_question(school_id: int, own_question_id: int):
    school = _school(school_id)
    question = db.get_or_404(SurveyQuestion, own_question_id)
    if question.school_id != school.id:
        abort(404)
    if ArchiveForm().validate_on_submit():
        try:
            services.set_archived(question, not question.archived)
        except services.SurveyError as exc:
            flash(str(exc), "warning")
    return redirect(url_for("survey_questions.own_questions", school_id=school.id))


# --- the programme's survey settings -------------------------------------------------------------

@bp.route("/programma/bevragingen-instellingen", methods=["GET", "POST"])
@require(can_edit_survey_templates)
def settings_page():
    current = queries.settings()
    current["clear_fall"] = Decimal(str(current["clear_fall"]))
    form = SettingsForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            survey_settings.save(current_user, min_responses=form.min_responses.data,
                                 notable_low_share=form.notable_low_share.data, clear_fall=form.clear_fall.data)
        except services.SurveyError as exc:
            field_error(form, exc)
        else:
            flash(_("De instellingen van de bevragingen zijn bewaard."), "success")
            return redirect(url_for("survey_questions.templates"))
    return uow.form_page("surveys/settings.html", form)
