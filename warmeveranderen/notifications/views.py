"""The notification list, preferences, calendar feeds and the coordinator's scheduler page."""

import json

from flask import Blueprint, Response, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.config import base_url
from warmeveranderen.extensions import db
from warmeveranderen.notifications import services
from warmeveranderen.notifications.calendar import events_for, to_ics
from warmeveranderen.notifications.delivery import pending_failures
from warmeveranderen.notifications.forms import RotateTokenForm, offsets_form_class, preferences_form_class
from warmeveranderen.notifications.models import Notification, SchedulerHeartbeat
from warmeveranderen.notifications.permissions import can_read_notification
from warmeveranderen.notifications.rules import OFFSETS, load_rules, offsets
from warmeveranderen.permissions import authorize, can_view_school, is_coordinator, public, require
from warmeveranderen.programme.models import School
from warmeveranderen.security import is_safe_next

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")
PAGE_SIZE = 50
# The secret of a freshly made calendar link is shown once, right after it is made.
NEW_FEED_TOKEN = "new_feed_token"


@bp.route("/")
def index():
    page = max(request.args.get("pagina", 1, type=int), 1)

    def context() -> dict:
        items = services.recent(current_user, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        return dict(items=items[:PAGE_SIZE], page=page, has_more=len(items) > PAGE_SIZE)

    # Kept per person and the state of their list (a new, read or removed notification changes it;
    # school names with the programmes' version): warmeveranderen/pagecache.py.
    scope = ("notifications", current_user.id)
    pagecache.keep_versions(scope, services.list_state(current_user))
    return pagecache.page("notifications", scope, "notifications/index.html", context,
                          viewer=pagecache.personal(current_user))


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


@bp.route("/voorkeuren", methods=["GET", "POST"])
def preferences():
    form_class = preferences_form_class()
    if request.method == "GET":
        data = {f"mode_{c}": m for c, m in services.preference_modes(current_user).items()}
        data["digest_hour"] = services.digest_hour_for(current_user)
        data["holidays"] = services.holidays_in_feed(current_user)
        form = form_class(data=data)
    else:
        form = form_class()
    if form.validate_on_submit():
        services.save_preferences(current_user, form.modes(), form.digest_hour.data, form.holidays.data)
        flash(_("Je voorkeuren zijn bewaard."), "success")
        return redirect(url_for("notifications.preferences"))
    new_token = session.pop(NEW_FEED_TOKEN, None)
    feed_url = (
        base_url() + url_for("notifications.calendar_feed", feed_token=new_token)
        if new_token else None
    )
    return uow.form_page(
        "notifications/preferences.html",
        form,
        rotate_form=RotateTokenForm(),
        feed_url=feed_url,
        has_feed=services.has_feed_token(current_user),
    )


@bp.route("/agenda/nieuwe-link", methods=["POST"])
def rotate_feed_token():
    form = RotateTokenForm()
    if form.validate_on_submit():
        session[NEW_FEED_TOKEN] = services.rotate_feed_token(current_user)
        flash(_("Je nieuwe agenda-link staat hieronder; de vorige link werkt niet meer."), "success")
    return redirect(url_for("notifications.preferences") + "#agenda")


@bp.route("/agenda/<feed_token>.ics")
@public
def calendar_feed(feed_token: str):
    """The personal calendar subscription: the secret in the URL is the only credential."""
    user = services.user_for_feed_token(feed_token)
    if user is None:
        abort(404)
    body = to_ics(events_for(user), _("Warm Veranderen – %(name)s", name=user.name), base_url())
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=900"})


@bp.route("/scholen/<int:school_id>/agenda.ics")
def school_calendar(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_school(current_user, school))
    body = to_ics(events_for(current_user, school), f"Warm Veranderen – {school.name}", base_url())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="warmeveranderen-school-{school.id}.ics"'},
    )


@bp.route("/planner", methods=["GET", "POST"])
@require(is_coordinator)
def scheduler_status():
    """The scheduler's heartbeat, what it sent per rule, failed emails, and the reminder offsets."""
    form_class = offsets_form_class()
    form = form_class(data=offsets()) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        services.save_reminder_offsets(form.values())
        flash(_("De termijnen van de herinneringen zijn bewaard."), "success")
        return redirect(url_for("notifications.scheduler_status"))
    beats = db.session.scalars(
        db.select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.started_at.desc()).limit(20)
    ).all()
    per_rule: dict[str, int] = {}
    for beat in beats:
        for code, count in json.loads(beat.per_rule or "{}").items():
            per_rule[code] = per_rule.get(code, 0) + count
    next_at = next((b.next_sweep_at for b in beats if b.source == "scheduler"), None)
    return uow.form_page(
        "notifications/scheduler.html",
        form,
        beats=beats,
        last=beats[0] if beats else None,
        next_at=next_at,
        per_rule=per_rule,
        rules=load_rules(),
        failures=pending_failures(),
        offset_defaults={key: default for key, (default, _label) in OFFSETS.items()},
    )
