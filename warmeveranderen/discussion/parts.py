"""What the discussion shows on an initiative's page, and comments as parents of attachments."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.discussion import queries
from warmeveranderen.discussion.forms import CommentForm, SimpleForm
from warmeveranderen.discussion.models import Comment
from warmeveranderen.discussion.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_see_readers,
    can_view_discussion,
)
from warmeveranderen.extensions import db
from warmeveranderen.files import services as files
from warmeveranderen.files.registry import Parent, attachment_parent
from warmeveranderen.parts import initiative_section


@initiative_section("discussion/_section.html", order=70)
def discussion_section(user, initiative) -> dict | None:
    if not can_view_discussion(user, initiative):
        return None
    comments = queries.comments_of(initiative)
    reads = queries.reads_of(initiative)
    people = queries.people_of(initiative.school)
    return {
        "initiative": initiative,
        "comments": comments,
        "attachments": files.attachments_by_parent("comment", [c.id for c in comments]),
        "readers": {c.id: queries.readers(c, reads) for c in comments if can_see_readers(user, c)},
        "editable": {c.id for c in comments if can_edit_comment(user, c)},
        "deletable": {c.id for c in comments if can_delete_comment(user, c)},
        "unread": queries.unread_count(initiative, user, comments, reads),
        "form": CommentForm(formdata=None).fill(people) if can_comment(user, initiative) else None,
        "simple_form": SimpleForm(formdata=None),
        "people": people,
    }


@attachment_parent("comment", model=Comment)
def comment_parent(comment_id: int) -> Parent | None:
    """Whoever reads the discussion downloads; who may delete the comment (its author within the edit window,
    the director, the coordinator) adds and removes its files: a comment locked for its author stays locked."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        return None
    return Parent(school=comment.school, title=comment.initiative.title,
                  link=lambda: url_for("sprints.initiative", initiative_id=comment.initiative_id,
                                       _anchor=f"reactie-{comment.id}"),
                  can_view=lambda user: can_view_discussion(user, comment.initiative),
                  can_edit=lambda user: can_delete_comment(user, comment),
                  label=_("Reactie bij “%(t)s”", t=comment.initiative.title), uploader_may_remove=False)
