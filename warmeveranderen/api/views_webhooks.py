"""Managing webhooks: a director for their school (Mensen → Koppelingen), the coordinator for all schools."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired

from warmeveranderen import uow
from warmeveranderen.domain import DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import AtLeastOne, MultiCheckboxField, SingleLine, max_length
from warmeveranderen.notifications import webhook_delivery, webhooks
from warmeveranderen.permissions import authorize, has_role, is_coordinator, permission
from warmeveranderen.programme.models import School

bp = Blueprint("webhooks", __name__)


@permission
def can_manage_webhooks(user, school=None) -> bool:
    """A school's webhooks: its directors and the coordinator; the programme's: the coordinator."""
    if school is None:
        return is_coordinator(user)
    return is_coordinator(user) or has_role(user, school, DIRECTOR)


class WebhookForm(FlaskForm):
    url = StringField(_l("URL van de ontvanger"), validators=[DataRequired(_l("Vul de URL in.")), max_length(500),
                                                             SingleLine()],
                      description=_l("Waar Warm Veranderen een bericht naartoe stuurt (POST, JSON), bijvoorbeeld "
                                     "https://dashboard.scholengroep.be/hooks/warm."))
    events = MultiCheckboxField(_l("Gebeurtenissen"), choices=list(webhooks.EVENTS.items()),
                                validators=[AtLeastOne(_l("Kies minstens één gebeurtenis."))])
    submit = SubmitField(_l("Koppeling toevoegen"))


class ActionForm(FlaskForm):
    submit = SubmitField()


def _scope(school_id: int | None) -> School | None:
    school = db.get_or_404(School, school_id) if school_id else None
    authorize(can_manage_webhooks(current_user, school))
    return school


def _hook(school: School | None, hook_id: int) -> webhooks.Webhook:
    hook = db.session.get(webhooks.Webhook, hook_id)
    if hook is None or not hook.active or hook.school_id != (school.id if school else None):
        abort(404)
    return hook


def _hook_url(school, hook) -> str:
    if school is None:
        return url_for("webhooks.programme_hook", programme_hook_id=hook.id)
    return url_for("webhooks.school_hook", school_id=school.id, hook_id=hook.id)


def _list_url(school):
    return url_for("webhooks.school_hooks", school_id=school.id) if school else url_for("webhooks.programme_hooks")


@bp.route("/programma/koppelingen", methods=["GET", "POST"])
def programme_hooks():
    return school_hooks(None)


@bp.route("/scholen/<int:school_id>/koppelingen", methods=["GET", "POST"])
def school_hooks(school_id):
    school = _scope(school_id)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            hook, secret = webhooks.create(school.id if school else None, form.url.data, form.events.data, current_user)
        except webhooks.WebhookError as exc:
            form.url.errors.append(str(exc))
        else:
            flash(_("De koppeling is toegevoegd. Controleer met het geheim hieronder de handtekening van elk bericht."),
                  "success")
            return redirect(_hook_url(school, hook))
    return uow.form_page("api/webhooks.html", form, school=school, hooks=webhooks.hooks_of(school.id if school else None),
                         events=webhooks.EVENTS)


@bp.route("/programma/koppelingen/<int:programme_hook_id>")
def programme_hook(programme_hook_id):
    return school_hook(None, programme_hook_id)


@bp.route("/scholen/<int:school_id>/koppelingen/<int:hook_id>")
def school_hook(school_id, hook_id):
    school = _scope(school_id)
    hook = _hook(school, hook_id)
    return render_template("api/webhook.html", school=school, hook=hook, secret=webhooks.secret_of(hook),
                           deliveries=webhooks.recent_deliveries(hook), events=webhooks.EVENTS, form=ActionForm())


@bp.route("/programma/koppelingen/<int:programme_hook_id>/test", methods=["POST"])
def programme_test(programme_hook_id):
    return test(None, programme_hook_id)


@bp.route("/scholen/<int:school_id>/koppelingen/<int:hook_id>/test", methods=["POST"])
def test(school_id, hook_id):
    school = _scope(school_id)
    hook = _hook(school, hook_id)
    if ActionForm().validate_on_submit():
        delivery = webhook_delivery.send_test(hook)
        if delivery.status == webhooks.DELIVERED:
            flash(_("Het testbericht is aangekomen (HTTP %(code)s).", code=delivery.last_status_code), "success")
        else:
            flash(_("Het testbericht kwam niet aan: %(error)s", error=delivery.last_error or "—"), "danger")
    return redirect(_hook_url(school, hook))


@bp.route("/programma/koppelingen/<int:programme_hook_id>/verwijderen", methods=["POST"])
def programme_remove(programme_hook_id):
    return remove(None, programme_hook_id)


@bp.route("/scholen/<int:school_id>/koppelingen/<int:hook_id>/verwijderen", methods=["POST"])
def remove(school_id, hook_id):
    school = _scope(school_id)
    hook = _hook(school, hook_id)
    if ActionForm().validate_on_submit():
        webhooks.deactivate(hook)
        flash(_("De koppeling is verwijderd; er gaan geen berichten meer naartoe."), "success")
    return redirect(_list_url(school))
