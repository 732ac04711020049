"""Personal API tokens on the profile: make one (its secret is shown once), see them, revoke one."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen.accounts import api_tokens
from warmeveranderen.accounts.forms_sso import RevokeTokenForm, TokenForm
from warmeveranderen.accounts.profile_page import profile_page

bp = Blueprint("tokens", __name__)


@bp.route("/profiel/api-sleutels", methods=["POST"])
def create():
    form = TokenForm(prefix="tok")
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create(current_user, form.name.data, form.scope.data)
        except api_tokens.TokenError as exc:
            form.name.errors.append(str(exc))
        else:
            # Shown once, on this answer (not through a redirect: the secret never sits in a cookie).
            return profile_page(token_form=TokenForm(prefix="tok", formdata=None), new_secret=secret)
    return profile_page(token_form=form, failed=True)


@bp.route("/profiel/api-sleutels/<int:token_id>/intrekken", methods=["POST"])
def revoke(token_id):
    form = RevokeTokenForm()
    if form.validate_on_submit():
        try:
            api_tokens.revoke(current_user, token_id)
        except api_tokens.TokenError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("accounts.profile") + "#tokens-heading"), 303
        flash(_("De sleutel is ingetrokken; hij werkt niet meer."), "success")
    return redirect(url_for("accounts.profile") + "#tokens-heading")
