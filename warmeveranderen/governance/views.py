"""The bodies' pages: the list, a body with its series and open actions, a meeting with its agenda and
minutes, the minutes form, and the agenda and minutes as PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.config import base_url
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.governance import cadence, jobs, queries, services
from warmeveranderen.governance.forms import (
    AgendaItemForm,
    BodyForm,
    ButtonForm,
    CompleteActionForm,
    MinutesForm,
    MoveMeetingForm,
)
from warmeveranderen.governance.models import MEMBER_ROLES, Action, Body
from warmeveranderen.governance.permissions import (
    can_add_agenda_item,
    can_complete_action,
    can_create_body,
    can_manage_body,
    can_read_minutes,
    can_record_minutes,
    can_view_body,
    can_view_governance,
)
from warmeveranderen.notifications.calendar import to_ics
from warmeveranderen.pdf import pdf_response
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import WarmCity
from warmeveranderen.security import content_disposition
from warmeveranderen.timeutil import to_local, utcnow

bp = Blueprint("governance", __name__, url_prefix="/overleg")


def _body(body_id: int) -> Body:
    body = db.get_or_404(Body, body_id)
    authorize(can_view_body(current_user, body))
    return body


def _meeting(body_id: int, meeting_id: int, *, check=can_view_body):
    body = db.get_or_404(Body, body_id)
    meeting = queries.load_meeting(meeting_id)
    if meeting is None or meeting.body_id != body.id:
        abort(404)
    authorize(check(current_user, meeting) if check is not can_view_body else can_view_body(current_user, body))
    return body, meeting


@bp.route("")
@require(can_view_governance)
def index():
    return render_template("governance/index.html", bodies=queries.bodies_for(current_user),
                           shared=queries.shared_minutes_for(current_user))


def _body_form(form: BodyForm) -> None:
    cities = db.session.scalars(db.select(WarmCity).order_by(WarmCity.name)).all()
    form.city_id.choices = [(0, _("Geen (een overleg van het programma)"))] + [(c.id, c.name) for c in cities]


def _lines(value) -> list[str]:
    """The standard items as typed (one per line); a post without the field keeps the body's own list."""
    return list(value) if isinstance(value, list) else (value or "").splitlines()


def _form_data(form: BodyForm) -> dict:
    return dict(kind=form.kind.data, name=form.name.data, city_id=form.city_id.data or None,
                purpose=form.purpose.data, cadence_unit=form.cadence_unit.data, cadence_every=form.cadence_every.data,
                first_meeting_on=form.first_meeting_on.data, meeting_time=form.meeting_time.data,
                duration_minutes=form.duration_minutes.data, location=form.location.data,
                standard_items=_lines(form.standard_items.data), avoid_holidays=form.avoid_holidays.data)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(can_create_body)
def new():
    form = BodyForm()
    _body_form(form)
    if form.validate_on_submit():
        try:
            members = services.parse_members((form.members.data or "").splitlines())
            body = services.create_body(_form_data(form), members, current_user)
        except services.GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("Het overleg staat klaar, met de vergaderingen van het komende jaar."), "success")
            return redirect(url_for("governance.body", body_id=body.id))
    return uow.form_page("governance/body_form.html", form, body=None)


@bp.route("/<int:body_id>")
def body(body_id: int):
    body = _body(body_id)
    now = utcnow()
    return render_template("governance/body.html", body=body, upcoming=queries.upcoming(body, now),
                           past=queries.past(body, now), actions=queries.open_actions(body),
                           complete_form=CompleteActionForm(formdata=None), member_roles=MEMBER_ROLES,
                           today=to_local(now).date())


@bp.route("/<int:body_id>/bewerken", methods=["GET", "POST"])
def edit(body_id: int):
    body = _body(body_id)
    authorize(can_manage_body(current_user, body))
    form = BodyForm(obj=body)
    _body_form(form)
    if not form.is_submitted():
        form.city_id.data = body.city_id or 0
        form.standard_items.data = "\n".join(body.standard_items)
        form.members.data = "\n".join(f"{m.user.email}; {m.role}; {m.represents}".rstrip("; ") for m in body.members)
    if form.validate_on_submit():
        try:
            members = services.parse_members((form.members.data or "").splitlines())
            data = _form_data(form)
            if not can_create_body(current_user):
                # A chair keeps the series, members and standard items; what the body is (and so who may
                # read its shared minutes: one city's schools or all of them) stays the coordinator's.
                data["kind"], data["city_id"] = body.kind, body.city_id
            services.update_body(body, data, members)
        except services.GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("Bewaard. Vergaderingen waar nog niets mee gebeurde volgen de nieuwe cadans."), "success")
            return redirect(url_for("governance.body", body_id=body.id))
    return uow.form_page("governance/body_form.html", form, body=body)


def _meeting_page(body, meeting, *, item_form=None, failed=False):
    return uow.form_page(
        "governance/meeting.html", failed=failed, body=body, meeting=meeting, agenda=queries.agenda(meeting),
        item_form=item_form or AgendaItemForm(formdata=None), send_form=ButtonForm(formdata=None),
        may_read_minutes=can_read_minutes(current_user, meeting), now=utcnow(),
    )


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>")
def meeting(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=can_read_minutes)
    if not can_view_body(current_user, body):
        return render_template("governance/shared_minutes.html", body=body, meeting=meeting)
    return _meeting_page(body, meeting)


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/agendapunten", methods=["POST"])
def add_item(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=can_add_agenda_item)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            services.add_agenda_item(meeting, current_user, form.title.data, form.note.data)
        except services.GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("Je punt staat op de agenda."), "success")
            return redirect(url_for("governance.meeting", body_id=body.id, meeting_id=meeting.id))
    return _meeting_page(body, meeting, item_form=form, failed=True)


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/versturen", methods=["POST"])
def send_agenda(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=lambda u, m: can_manage_body(u, m.body))
    if ButtonForm().validate_on_submit():
        try:
            services.send_agenda(meeting, current_user)
        except services.GovernanceError as exc:
            uow.refuse()
            flash(str(exc), "warning")
        else:
            flash(_("De agenda is naar alle leden verstuurd."), "success")
    return redirect(url_for("governance.meeting", body_id=body.id, meeting_id=meeting.id))


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/verplaatsen", methods=["GET", "POST"])
def move(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=lambda u, m: can_manage_body(u, m.body))
    form = MoveMeetingForm()
    if not form.is_submitted():
        local = to_local(meeting.starts_at)
        form.day.data, form.time.data = local.date(), local.strftime("%H:%M")
        form.location.data, form.cancelled.data = meeting.location, meeting.cancelled
    if form.validate_on_submit():
        try:
            services.move_meeting(meeting, cadence.meeting_start(form.day.data, form.time.data), form.location.data,
                                  form.cancelled.data, current_user)
        except services.GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("De vergadering is aangepast."), "success")
            return redirect(url_for("governance.meeting", body_id=body.id, meeting_id=meeting.id))
    return uow.form_page("governance/move.html", form, body=body, meeting=meeting)


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/verslag", methods=["GET", "POST"])
def minutes(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=can_record_minutes)
    open_actions = queries.open_actions_before(meeting)
    form = MinutesForm()
    form.fill(meeting, open_actions)
    if not form.is_submitted():
        form.present.data = [a.user_id for a in meeting.attendance if a.status == "present"]
        form.excused.data = [a.user_id for a in meeting.attendance if a.status == "excused"]
        form.summary.data, form.shared.data = meeting.summary, meeting.minutes_shared
        form.done.data = [a.id for a in open_actions if a.done_at is not None]
    if form.validate_on_submit():
        present, excused = set(form.present.data or []), set(form.excused.data or [])
        attendance = {m.user_id: "present" if m.user_id in present else "excused" if m.user_id in excused else "absent"
                      for m in body.members}
        actions = [(r.form.title.data.strip(), r.form.owner_id.data or None, r.form.due_on.data)
                   for r in form.actions if (r.form.title.data or "").strip()]
        try:
            services.record_minutes(meeting, current_user, attendance=attendance, summary=form.summary.data,
                                    decisions=(form.decisions.data or "").splitlines(), actions=actions,
                                    done_action_ids=form.done.data or [], shared=form.shared.data)
        except services.GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("Het verslag is bewaard; open acties komen op de volgende agenda."), "success")
            return redirect(url_for("governance.meeting", body_id=body.id, meeting_id=meeting.id))
    # A POST that reaches the page failed (an action row's error is not in form.errors).
    return uow.form_page("governance/minutes_form.html", form, failed=form.is_submitted(), body=body,
                         meeting=meeting, open_actions=open_actions, too_early=meeting.starts_at > utcnow())


@bp.route("/<int:body_id>/acties/<int:action_id>/afgerond", methods=["POST"])
def complete(body_id: int, action_id: int):
    body = db.get_or_404(Body, body_id)
    action = db.get_or_404(Action, action_id)
    if action.body_id != body.id:
        abort(404)
    authorize(can_complete_action(current_user, action))
    form = CompleteActionForm()
    if form.validate_on_submit():
        try:
            services.complete_action(action, current_user, form.note.data)
        except services.GovernanceError as exc:
            uow.refuse()
            flash(str(exc), "warning")
        else:
            flash(_("De actie is afgerond."), "success")
    return redirect(url_for("governance.body", body_id=body.id, _anchor="acties"))


def _stamp(meeting) -> str:
    return to_local(meeting.starts_at).strftime("%Y-%m-%d")


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/agenda.pdf")
def agenda_pdf(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id)
    return pdf_response("governance/meeting_pdf.html", f"agenda-{body.name}-{_stamp(meeting)}", body=body,
                        meeting=meeting, agenda=queries.agenda(meeting), with_minutes=False)


@bp.route("/<int:body_id>/vergaderingen/<int:meeting_id>/verslag.pdf")
def minutes_pdf(body_id: int, meeting_id: int):
    body, meeting = _meeting(body_id, meeting_id, check=can_read_minutes)
    if not meeting.has_minutes:
        abort(404)
    return pdf_response("governance/meeting_pdf.html", f"verslag-{body.name}-{_stamp(meeting)}", body=body,
                        meeting=meeting, agenda=queries.agenda(meeting), with_minutes=True)



@bp.route("/<int:body_id>/agenda.ics")
def calendar(body_id: int):
    """The body's meetings as an iCalendar file (members import it; the personal calendar link has them too)."""
    body = _body(body_id)
    ics = to_ics(jobs.body_events(body.meetings), f"Warm Veranderen – {body.name}", base_url())
    return Response(ics, mimetype="text/calendar",
                    headers={"Content-Disposition": content_disposition(f"overleg-{body.name}.ics")})
