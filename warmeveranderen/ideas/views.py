"""The idea box's pages: the school's ideas, submitting one, and an idea with supports, comments and answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.ideas import feed, following, queries, services
from warmeveranderen.ideas.forms import AnswerForm, CommentForm, FollowForm, IdeaForm, SupportForm
from warmeveranderen.ideas.models import Idea
from warmeveranderen.ideas.permissions import (
    can_answer_idea,
    can_comment_on_idea,
    can_follow_initiative,
    can_submit_idea,
    can_support_idea,
    can_view_activity,
    can_view_ideas,
)
from warmeveranderen.parts_between import vision_anchors
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative
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
    pagecache.versions(school.id)
    # Per person: which ideas they support and may answer.
    return pagecache.page("ideas", school, "ideas/index.html",
                          lambda: dict(school=school, ideas=queries.ideas_of(school)),
                          viewer=pagecache.personal(current_user))


@bp.route("/activiteit")
def activity(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_activity(current_user, school))
    return render_template("ideas/activity.html", school=school, items=feed.this_week(school, utcnow()))


@bp.route("/nieuw", methods=["GET", "POST"])
def new(school_id: int):
    school = _school(school_id)
    authorize(can_submit_idea(current_user, school))
    form = IdeaForm(anchors=vision_anchors(school))
    if form.validate_on_submit():
        try:
            idea = services.submit_idea(school, current_user, form.title.data, form.body.data,
                                        form.building_block.data, form.vision_part.data or None)
        except services.IdeaError as exc:
            field_error(form, exc)
        else:
            flash(_("Bedankt! Je idee staat in de ideeënbus. Het vliegwiel geeft er een antwoord op."), "success")
            return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id))
    return uow.form_page("ideas/new.html", form, school=school)


def _detail_page(school: School, idea: Idea, *, comment_form=None, answer_form=None, failed: bool = False):
    answer_form = answer_form or AnswerForm(formdata=None)
    if can_answer_idea(current_user, idea):
        answer_form.fill(idea, queries.merge_candidates(idea), queries.merge_initiatives(idea))
    else:
        answer_form.fill(idea, [])
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
    form.fill(idea, queries.merge_candidates(idea), queries.merge_initiatives(idea))
    if form.validate_on_submit():
        merged_idea, merged_initiative = form.merge_target()
        try:
            services.answer(idea, current_user, form.state.data, form.reason.data,
                            building_block=form.building_block.data or None,
                            merged_into_id=merged_idea, merged_into_initiative_id=merged_initiative)
        except services.IdeaError as exc:
            field_error(form, exc)
        else:
            flash(_("Je antwoord staat bij het idee; de indiener en wie het steunt krijgen een melding."), "success")
            return redirect(url_for("ideas.detail", school_id=school.id, idea_id=idea.id))
    return _detail_page(school, idea, answer_form=form, failed=True)


def _initiative_of(school: School, initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or initiative.school_id != school.id:
        abort(404)
    return initiative


@bp.route("/initiatieven/<int:initiative_id>/volgen", methods=["POST"])
def follow(school_id: int, initiative_id: int):
    school = _school(school_id)
    initiative = _initiative_of(school, initiative_id)
    authorize(can_follow_initiative(current_user, initiative))
    if FollowForm().validate_on_submit():
        following.follow(initiative, current_user)
        flash(_("Je volgt dit initiatief: je hoort het wanneer het bereikt of geschrapt is."), "success")
    return redirect(url_for("sprints.initiative", initiative_id=initiative.id))


@bp.route("/initiatieven/<int:initiative_id>/niet-meer-volgen", methods=["POST"])
def unfollow(school_id: int, initiative_id: int):
    school = _school(school_id)
    initiative = _initiative_of(school, initiative_id)
    authorize(can_follow_initiative(current_user, initiative))
    if FollowForm().validate_on_submit():
        following.unfollow(initiative, current_user)
        flash(_("Je volgt dit initiatief niet meer."), "success")
    return redirect(url_for("sprints.initiative", initiative_id=initiative.id))
