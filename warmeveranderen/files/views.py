"""The attachments' routes: add a file to a parent, download it, see an image's preview, remove it.

A person who may not see the parent gets 404 for every route (a file's existence is not revealed to
another school). Files always leave as downloads with the type we recognised on upload, with
`nosniff` and a sandboxing CSP, so nothing uploaded is ever rendered as a page of our origin.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.files import services, storage
from warmeveranderen.files.checks import ACCEPT, KINDS_TEXT
from warmeveranderen.files.forms import RemoveForm, UploadForm
from warmeveranderen.files.models import Attachment
from warmeveranderen.files.permissions import can_add_attachment, can_remove_attachment, can_view_attachments
from warmeveranderen.files.registry import KINDS, Parent, parent
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize
from warmeveranderen.security import content_disposition

bp = Blueprint("files", __name__, url_prefix="/bijlagen")
# What a downloaded or previewed file may do in a browser that opens it anyway: nothing.
FILE_CSP = "default-src 'none'; sandbox"


def _visible_parent(kind: str, parent_id: int) -> Parent:
    if kind not in KINDS:
        abort(404)
    found = parent(kind, parent_id)
    if found is None or not can_view_attachments(current_user, found):
        abort(404)
    return found


def _attachment(attachment_id: int) -> tuple[Attachment, Parent]:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    return attachment, _visible_parent(attachment.parent_kind, attachment.parent_id)


def limits() -> dict:
    limit = int(current_app.config["FILES_MAX_BYTES"])
    return {"mb": f"{limit / (1024 * 1024):.0f}", "kinds": KINDS_TEXT, "accept": ACCEPT}


@bp.route("/<parent_kind>/<int:parent_id>/toevoegen", methods=["GET", "POST"])
def upload(parent_kind: str, parent_id: int):
    kind = parent_kind
    found = _visible_parent(kind, parent_id)
    authorize(can_add_attachment(current_user, found))
    form = UploadForm()
    if form.validate_on_submit():
        try:
            attachment = services.attach(kind, parent_id, found, current_user, form.file.data)
        except services.AttachmentError as exc:
            field_error(form, exc)
        else:
            flash(_("“%(name)s” staat bij de bijlagen.", name=attachment.original_name), "success")
            return redirect(found.url + "#bijlagen")
    return uow.form_page("files/upload.html", form, parent=found, limits=limits(),
                         attachments=services.attachments_of(kind, parent_id))


# The request may carry a file up to FILES_MAX_BYTES (security.SafeRequest reads this).
upload.upload_limit_setting = "FILES_MAX_BYTES"


def too_large(_error):
    """A file far over the limit: the request is refused before it is read, with the limit in Dutch."""
    args = request.view_args or {}
    found = parent(args["parent_kind"], args["parent_id"]) if "parent_kind" in args and "parent_id" in args else None
    back = url_for("files.upload", **args) if found is not None and can_view_attachments(current_user, found) else None
    if back is None and "initiative_id" in args:  # a comment with a file (the discussion uses this handler too)
        back = url_for("sprints.initiative", initiative_id=args["initiative_id"], _anchor="discussie")
    return render_template("files/too_large.html", limits=limits(), back=back), 413


bp.register_error_handler(413, too_large)


def _file_response(chunks, size: int, content_type: str, disposition: str) -> Response:
    response = Response(chunks, mimetype=content_type, direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:attachment_id>")
def download(attachment_id: int):
    attachment, _found = _attachment(attachment_id)
    try:
        chunks = storage.backend().chunks(attachment.storage_key)
    except storage.Missing:
        current_app.logger.error("attachment %s: stored file %s is missing", attachment.id, attachment.storage_key)
        abort(404)
    return _file_response(chunks, attachment.size, attachment.content_type,
                          content_disposition(attachment.original_name))


@bp.route("/<int:attachment_id>/voorbeeld")
def preview(attachment_id: int):
    """The resized image made on upload (our own re-encoded JPEG or PNG, so it may show inline)."""
    attachment, _found = _attachment(attachment_id)
    if not attachment.preview_key:
        abort(404)
    try:
        data = storage.backend().read(attachment.preview_key)
    except storage.Missing:
        abort(404)
    content_type = "image/png" if attachment.preview_key.endswith(".png") else "image/jpeg"
    response = _file_response(iter([data]), len(data), content_type,
                              content_disposition(attachment.preview_key.rpartition("/")[2], inline=True))
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/<int:attachment_id>/verwijderen", methods=["POST"])
def remove(attachment_id: int):
    attachment, found = _attachment(attachment_id)
    authorize(can_remove_attachment(current_user, attachment, found))
    if RemoveForm().validate_on_submit():
        name = attachment.original_name
        services.remove(attachment)
        flash(_("“%(name)s” is verwijderd.", name=name), "success")
    return redirect(found.url + "#bijlagen")


def attachments_panel(kind: str, parent_id: int, heading_level: int = 2):
    """The list of a parent's files with the add button, for the parent's page: `{{ attachments_panel(...) }}`."""
    found = parent(kind, parent_id)
    if found is None or not can_view_attachments(current_user, found):
        return ""
    items = services.attachments_of(kind, parent_id)
    return Markup(render_template("files/_panel.html", kind=kind, parent_id=parent_id, parent=found, items=items,
                           can_add=can_add_attachment(current_user, found), remove_form=RemoveForm(),
                           removable={a.id for a in items if can_remove_attachment(current_user, a, found)},
                           heading_level=heading_level, limits=limits()))


def filesize(size: int | None) -> str:
    """A file's size as people read it: 840 kB, 2,4 MB (nl-BE decimals)."""
    from warmeveranderen.formats import format_number

    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{format_number(max(size / 1024, 1), 0)} kB"
    return f"{format_number(size / (1024 * 1024), 1)} MB"
