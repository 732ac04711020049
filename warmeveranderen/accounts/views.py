"""Login, logout, password reset, accepting an invitation and the profile."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from warmeveranderen import uow
from warmeveranderen.accounts import services, sso_services
from warmeveranderen.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from warmeveranderen.accounts.profile_page import profile_page
from warmeveranderen.permissions import public
from warmeveranderen.security import is_safe_next

bp = Blueprint("accounts", __name__)


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next", ""))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, _client_address())
        except services.ThrottledError as exc:
            error, status = str(exc), 429
        except services.AccountError as exc:
            error, status = str(exc), 401
        else:
            required = sso_services.required_provider(user)
            if required is not None:
                # The password was right (so this tells nothing about accounts), but the school chose SSO.
                return render_template("accounts/login.html", form=form, sso_providers=sso_services.enabled_providers(),
                                       error=_("Je school meldt aan met %(name)s: gebruik de knop 'Aanmelden met %(name)s'.",
                                               name=required.name)), 403
            login_user(user, remember=form.remember.data)
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("core.home"))
    form.password.data = ""
    if error:  # refused by the throttle (429) or the credentials (401)
        return render_template("accounts/login.html", form=form, error=error,
                               sso_providers=sso_services.enabled_providers()), status
    return uow.form_page("accounts/login.html", form, error=None, sso_providers=sso_services.enabled_providers())


@bp.route("/uitloggen", methods=["POST"])
def logout():
    # Every session of this person ends, not only this browser's: a copied cookie stops working too.
    services.end_sessions(current_user)
    logout_user()
    flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(
            _("Als er een account bestaat voor %(email)s, krijg je binnen enkele minuten een e-mail met een link.",
              email=form.email.data),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return uow.form_page("accounts/forgot_password.html", form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    try:
        user = services.user_for_reset_token(token)
    except services.AccountError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    form.person = (user.email, user.name)
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        flash(_("Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    return uow.form_page("accounts/reset_password.html", form)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    try:
        invitation = services.invitation_for_token(token)
    except services.AccountError as exc:
        return render_template("accounts/invitation_invalid.html", message=str(exc)), 410
    form = AcceptInvitationForm()
    form.person = (invitation.email, invitation.name)
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit():
        user = services.accept_invitation(token, form.name.data, form.password.data)
        # Whoever was logged in on this browser before, it is now the invited person.
        logout_user()
        login_user(user)
        flash(_("Welkom, %(name)s! Je account is actief.", name=user.name), "success")
        return redirect(url_for("core.home"))
    return uow.form_page("accounts/accept_invitation.html", form, invitation=invitation)


@bp.route("/profiel", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=current_user)
    if form.submit.data and form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data)
        flash(_("Je profiel is opgeslagen."), "success")
        return redirect(url_for("accounts.profile"))
    return profile_page(form=form)


@bp.route("/profiel/wachtwoord", methods=["POST"])
def change_password():
    form = ProfileForm(obj=current_user)
    password_form = ChangePasswordForm(prefix="pw")
    password_form.person = (current_user.email, current_user.name)
    if password_form.validate_on_submit():
        try:
            services.change_password(current_user, password_form.current.data, password_form.password.data,
                                     _client_address())
        except services.AccountError as exc:
            password_form.current.errors.append(str(exc))
        else:
            login_user(current_user._get_current_object())  # the session token changed with the password
            flash(_("Je wachtwoord is gewijzigd."), "success")
            return redirect(url_for("accounts.profile"))
    return profile_page(form=form, password_form=password_form, failed=True)
