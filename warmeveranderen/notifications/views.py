"""The notification list; opening one marks it read and follows its link."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen.extensions import db
from warmeveranderen.notifications import services
from warmeveranderen.notifications.models import Notification
from warmeveranderen.notifications.permissions import can_read_notification
from warmeveranderen.permissions import authorize
from warmeveranderen.security import is_safe_next

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")
PAGE_SIZE = 50


@bp.route("/")
def index():
    page = max(request.args.get("pagina", 1, type=int), 1)
    items = services.recent(current_user, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "notifications/index.html", items=items[:PAGE_SIZE], page=page, has_more=len(items) > PAGE_SIZE
    )


@bp.route("/<int:notification_id>", methods=["POST"])
def open_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    authorize(can_read_notification(current_user, notification))
    services.mark_read(notification)
    return redirect(notification.url if is_safe_next(notification.url) else url_for("notifications.index"))


@bp.route("/alles-gelezen", methods=["POST"])
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(_("%(n)s meldingen als gelezen gemarkeerd.", n=count), "success")
    return redirect(url_for("notifications.index"))
