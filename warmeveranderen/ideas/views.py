"""The idea box's pages: the school's ideas, submitting one, and an idea with supports, comments and answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.ideas import feed, queries, services
from warmeveranderen.ideas.forms import AnswerForm, CommentForm, IdeaForm, SupportForm
from warmeveranderen.ideas.models import Idea
from warmeveranderen.ideas.permissions import (
    can_answer_idea,
    can_comment_on_idea,
    can_submit_idea,
    can_support_idea,
    can_view_activity,
    can_view_ideas,
)
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow

bp = Blueprint("ideas", __name__, url_prefix="/scholen/<int:school_id>/ideeen")


def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_view_ideas(current_user, school))
    return school


def _idea_of(school: School, idea_id: int) -> Idea:
    idea = queries.load_idea(idea_id)
    if idea is None or idea.school_id != school.id:
        abort(404)
    return idea


@bp.route("")
def index(school_id: int):
    school = _school(school_id)
    return render_template("ideas/index.html", school=school, ideas=queries.ideas_of(school))


@bp.route("/activiteit")
def activity(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_activity(current_user, school))
    return render_template("ideas/activity.html", school=school, items=feed.this_week(school, utcnow()))


@bp.route("/nieuw", methods=["GET", "POST"])
def new(school_id: int):
    school = _school(school_id)
    authorize(can_submit_idea(current_user, school))
    form = IdeaForm()
    if form.validate_on_submit():
        try:
            idea = services.submit_idea(school, current_user, form.title.data, form.body.data,
                                        form.building_block.data)
        except services.IdeaError as exc:
            field_error(form, exc)
        else:
            flash(_("Bedankt! Je idee staat in de ideeënbus. Het vliegwiel geeft er een antwoord op."), "success")
            return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id))
    return uow.form_page("ideas/new.html", form, school=school)


def _detail_page(school: School, idea: Idea, *, comment_form=None, answer_form=None, failed: bool = False):
    answer_form = answer_form or AnswerForm(formdata=None)
    answer_form.fill(idea, queries.merge_candidates(idea) if can_answer_idea(current_user, idea) else [])
    context = dict(
        school=school, idea=idea, support_form=SupportForm(), comment_form=comment_form or CommentForm(formdata=None),
        answer_form=answer_form,
        supported=any(s.user_id == current_user.id for s in idea.supports),
    )
    return uow.form_page("ideas/detail.html", failed=failed, **context)


@bp.route("/<int:idea_id>")
def detail(school_id: int, idea_id: int):
    school = _school(school_id)
    return _detail_page(school, _idea_of(school, idea_id))


@bp.route("/<int:idea_id>/steunen", methods=["POST"])
def support(school_id: int, idea_id: int):
    school = _school(school_id)
    idea = _idea_of(school, idea_id)
    authorize(can_support_idea(current_user, idea))
    if SupportForm().validate_on_submit():
        try:
            services.support(idea, current_user)
        except services.IdeaError as exc:
            flash(str(exc), "warning")
        else:
            flash(_("Je steunt dit idee."), "success")
    return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id))


@bp.route("/<int:idea_id>/reacties", methods=["POST"])
def comment(school_id: int, idea_id: int):
    school = _school(school_id)
    idea = _idea_of(school, idea_id)
    authorize(can_comment_on_idea(current_user, idea))
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.comment(idea, current_user, form.body.data)
        except services.IdeaError as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id, _anchor="reacties"))
    return _detail_page(school, idea, comment_form=form, failed=True)


@bp.route("/<int:idea_id>/antwoord", methods=["POST"])
def answer(school_id: int, idea_id: int):
    school = _school(school_id)
    idea = _idea_of(school, idea_id)
    authorize(can_answer_idea(current_user, idea))
    form = AnswerForm()
    form.fill(idea, queries.merge_candidates(idea))
    if form.validate_on_submit():
        try:
            services.answer(idea, current_user, form.state.data, form.reason.data,
                            building_block=form.building_block.data or None,
                            merged_into_id=form.merged_into_id.data or None)
        except services.IdeaError as exc:
            field_error(form, exc)
        else:
            flash(_("Je antwoord staat bij het idee; de indiener en wie het steunt krijgen een melding."), "success")
            return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id))
    return _detail_page(school, idea, answer_form=form, failed=True)
