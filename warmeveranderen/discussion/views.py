"""The discussion's routes: comment, edit (within the window), delete, and "gelezen"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.discussion import queries, services
from warmeveranderen.discussion.forms import CommentForm, EditCommentForm, SimpleForm
from warmeveranderen.discussion.models import Comment
from warmeveranderen.discussion.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_view_discussion,
)
from warmeveranderen.extensions import db
from warmeveranderen.files import services as files
from warmeveranderen.files import views as file_views
from warmeveranderen.files.registry import parent as attachment_parent
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize
from warmeveranderen.sprints.models import Initiative

bp = Blueprint("discussion", __name__)


def _initiative(initiative_id: int) -> Initiative:
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_view_discussion(current_user, initiative))
    return initiative


def _comment(comment_id: int) -> tuple[Initiative, Comment]:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    authorize(can_view_discussion(current_user, comment.initiative))
    return comment.initiative, comment


def _back(initiative: Initiative, anchor: str = "discussie") -> str:
    return url_for("sprints.initiative", initiative_id=initiative.id, _anchor=anchor)


@bp.route("/initiatieven/<int:initiative_id>/discussie", methods=["POST"])
def post(initiative_id: int):
    initiative = _initiative(initiative_id)
    authorize(can_comment(current_user, initiative))
    people = queries.people_of(initiative.school)
    form = CommentForm().fill(people)
    if form.validate_on_submit():
        try:
            comment = services.post(initiative, current_user, form.body.data, people, set(form.mentions.data or ()))
            if form.file.data and getattr(form.file.data, "filename", ""):
                files.attach("comment", comment.id, attachment_parent("comment", comment.id), current_user,
                             form.file.data)
        except services.DiscussionError as exc:
            field_error(form, exc)
        except files.AttachmentError as exc:
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            return redirect(_back(initiative, f"reactie-{comment.id}"))
    return uow.form_page("discussion/comment_form.html", form, failed=True, initiative=initiative)


post.upload_limit_setting = "FILES_MAX_BYTES"
# A comment whose file is far too large gets the attachments' "te groot" page with the limit.
bp.register_error_handler(413, file_views.too_large)


@bp.route("/reacties/<int:comment_id>/bewerken", methods=["GET", "POST"])
def edit(comment_id: int):
    initiative, comment = _comment(comment_id)
    authorize(can_edit_comment(current_user, comment))
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            services.edit(comment, current_user, form.body.data, queries.people_of(initiative.school))
        except services.DiscussionError as exc:
            field_error(form, exc)
        else:
            flash(_("Je reactie is aangepast."), "success")
            return redirect(_back(initiative, f"reactie-{comment.id}"))
    return uow.form_page("discussion/edit.html", form, initiative=initiative, comment=comment)


@bp.route("/reacties/<int:comment_id>/verwijderen", methods=["POST"])
def delete(comment_id: int):
    initiative, comment = _comment(comment_id)
    authorize(can_delete_comment(current_user, comment))
    if SimpleForm().validate_on_submit():
        services.delete(comment)
        flash(_("De reactie is verwijderd."), "success")
    return redirect(_back(initiative))


@bp.route("/initiatieven/<int:initiative_id>/discussie/gelezen", methods=["POST"])
def mark_read(initiative_id: int):
    initiative = _initiative(initiative_id)
    if SimpleForm().validate_on_submit():
        services.mark_read(initiative, current_user)
    return redirect(_back(initiative))
