"""*Mijn gegevens* on the profile: download them, delete the account; the coordinator deletes on request."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField

from warmeveranderen import uow
from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import check_password
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import max_length
from warmeveranderen.permissions import authorize, require
from warmeveranderen.privacy import erase, export
from warmeveranderen.privacy.permissions import can_erase_accounts
from warmeveranderen.security import content_disposition

bp = Blueprint("privacy", __name__)


class EraseSelfForm(FlaskForm):
    password = PasswordField(_l("Je wachtwoord"), validators=[max_length(500)])
    confirm = StringField(_l("Typ VERWIJDER om te bevestigen"), validators=[max_length(20)])
    submit = SubmitField(_l("Mijn account definitief verwijderen"))


class EraseOtherForm(FlaskForm):
    confirm = StringField(_l("Typ VERWIJDER om te bevestigen"), validators=[max_length(20)])
    submit = SubmitField(_l("Account definitief verwijderen"))


@bp.route("/profiel/mijn-gegevens")
def download():
    return _zip_response(export.as_zip(current_user))


def _zip_response(data: bytes):
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = content_disposition("warmveranderen-mijn-gegevens.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profiel/account-verwijderen", methods=["GET", "POST"])
def erase_self():
    form = EraseSelfForm()
    needs_password = current_user.password_hash is not None
    if form.validate_on_submit():
        if (form.confirm.data or "").strip().upper() != "VERWIJDER":
            form.confirm.errors.append(_("Typ VERWIJDER (in hoofdletters) om te bevestigen."))
        elif needs_password and not check_password(current_user, form.password.data or "",
                                                   address=request.remote_addr or "unknown"):
            form.password.errors.append(_("Je wachtwoord klopt niet."))
        else:
            try:
                erase.erase(current_user._get_current_object(), by=current_user._get_current_object())
            except erase.ErasureError as exc:
                form.confirm.errors.append(str(exc))
            else:
                logout_user()
                flash(_("Je account is verwijderd. Wat je schreef in gedeelde verslagen staat er nog, zonder je naam."),
                      "info")
                return redirect(url_for("accounts.login"))
    return uow.form_page("privacy/erase_self.html", form, needs_password=needs_password)


@bp.route("/programma/mensen/<int:user_id>/verwijderen", methods=["GET", "POST"])
@require(can_erase_accounts)
def erase_other(user_id):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    authorize(person.id != current_user.id)
    form = EraseOtherForm()
    if form.validate_on_submit():
        if (form.confirm.data or "").strip().upper() != "VERWIJDER":
            form.confirm.errors.append(_("Typ VERWIJDER (in hoofdletters) om te bevestigen."))
        else:
            try:
                record = erase.erase(person, by=current_user)
            except erase.ErasureError as exc:
                form.confirm.errors.append(str(exc))
            else:
                flash(_("De account is verwijderd; de persoon heet nu '%(name)s' in gedeelde verslagen.",
                        name=record.pseudonym), "success")
                return redirect(url_for("programme.people"))
    return uow.form_page("privacy/erase_other.html", form, person=person)


@bp.route("/programma/mensen/<int:user_id>/gegevens")
@require(can_erase_accounts)
def download_other(user_id):
    """A person's data for the coordinator to hand over on request (the person's right of access)."""
    person = db.get_or_404(User, user_id)
    return _zip_response(export.as_zip(person))

