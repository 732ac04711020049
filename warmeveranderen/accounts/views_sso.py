"""Single sign-on with OpenID Connect: the login buttons' flow, the first link, the providers.

The callback is a GET (the provider redirects the browser) and writes nothing: a person whose identity
is already linked is logged in (the session only); the first time, the verified claims wait in the
session for at most a few minutes while the person confirms the link with a POST.
"""

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from warmeveranderen import uow
from warmeveranderen.accounts import sso, sso_services
from warmeveranderen.accounts.forms_sso import LinkForm, ProviderForm, UnlinkForm
from warmeveranderen.accounts.models import OidcProvider
from warmeveranderen.accounts.permissions import can_manage_sso
from warmeveranderen.extensions import db
from warmeveranderen.permissions import public, require
from warmeveranderen.security import is_safe_next

bp = Blueprint("sso", __name__)

CLAIMS_KEY = "sso_claims"
NEXT_KEY = "sso_next"


def _provider(provider_id: int) -> OidcProvider:
    provider = db.session.get(OidcProvider, provider_id)
    if provider is None or not provider.enabled:
        abort(404)
    return provider


def _redirect_uri() -> str:
    """One redirect URI for every provider (registered once at each); the login in progress says which."""
    return url_for("sso.callback", _external=True)


def _refused(exc: Exception):
    flash(str(exc), "danger")
    return redirect(url_for("accounts.login"))


@bp.route("/inloggen/sso/<int:provider_id>")
@public
def start(provider_id):
    provider = _provider(provider_id)
    target = request.args.get("next", "")
    session[NEXT_KEY] = target if is_safe_next(target) else ""
    try:
        return redirect(sso.start(provider, sso_services.unseal(provider), _redirect_uri()))
    except sso.SsoError as exc:
        return _refused(exc)


def _log_in(user):
    logout_user()  # whoever was logged in on this browser before, it is now this person
    login_user(user)
    target = session.pop(NEXT_KEY, "")
    return redirect(target if is_safe_next(target) else url_for("core.home"))


@bp.route("/inloggen/sso/terug")
@public
def callback():
    pending = session.get(sso.PENDING_KEY) or {}
    provider = db.session.get(OidcProvider, pending.get("p")) if isinstance(pending.get("p"), int) else None
    if provider is None or not provider.enabled:
        session.pop(sso.PENDING_KEY, None)
        flash(_("Deze aanmelding is niet (meer) geldig. Begin opnieuw."), "danger")
        return redirect(url_for("accounts.login"))
    try:
        claims = sso.finish(provider, sso_services.unseal(provider), _redirect_uri(), request.args)
        user, linked = sso_services.user_for(claims)
    except sso.SsoError as exc:
        return _refused(exc)
    if linked:
        return _log_in(user)
    session[CLAIMS_KEY] = {**claims.__dict__, "t": int(time.time())}
    return redirect(url_for("sso.link"))


def _pending_claims() -> sso.Claims | None:
    data = session.get(CLAIMS_KEY)
    if not data or time.time() - data.get("t", 0) > current_app.config["SSO_STATE_SECONDS"]:
        return None
    return sso.Claims(**{k: v for k, v in data.items() if k != "t"})


@bp.route("/inloggen/sso/koppelen", methods=["GET", "POST"])
@public
def link():
    claims = _pending_claims()
    if claims is None:
        session.pop(CLAIMS_KEY, None)
        flash(_("Deze aanmelding is niet (meer) geldig. Begin opnieuw."), "danger")
        return redirect(url_for("accounts.login"))
    provider = _provider(claims.provider_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            user = sso_services.link(claims)
        except sso.SsoError as exc:
            session.pop(CLAIMS_KEY, None)
            return _refused(exc)
        session.pop(CLAIMS_KEY, None)
        flash(_("Je account is gekoppeld aan %(name)s. Voortaan meld je je zo aan.", name=provider.name), "success")
        return _log_in(user)
    return uow.form_page("accounts/sso_link.html", form, claims=claims, provider=provider)


@bp.route("/profiel/aanmelden/<int:identity_id>/ontkoppelen", methods=["POST"])
def unlink(identity_id):
    form = UnlinkForm()
    if form.validate_on_submit():
        try:
            sso_services.unlink(current_user, identity_id)
        except sso.SsoError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("accounts.profile")), 303
        flash(_("De koppeling is verwijderd."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/programma/aanmelddiensten")
@require(can_manage_sso)
def providers():
    return render_template("accounts/sso_providers.html", providers=sso_services.all_providers())


def _school_choices(form: ProviderForm) -> list:
    school = OidcProvider.schools.property.mapper.class_  # programme's School, a layer up
    schools = list(db.session.scalars(db.select(school).order_by(school.name)))
    form.schools.choices = [(s.id, s.name) for s in schools]
    return schools


@bp.route("/programma/aanmelddiensten/nieuw", methods=["GET", "POST"])
@bp.route("/programma/aanmelddiensten/<int:provider_id>", methods=["GET", "POST"])
@require(can_manage_sso)
def edit_provider(provider_id=None):
    provider = db.session.get(OidcProvider, provider_id) if provider_id else None
    if provider_id and provider is None:
        abort(404)
    form = ProviderForm(obj=provider)
    schools = _school_choices(form)
    if request.method == "GET" and provider is not None:
        form.schools.data = [s.id for s in provider.schools]
    if form.validate_on_submit() and provider is None and not form.client_secret.data:
        form.client_secret.errors.append(_("Vul het client secret in."))
        return uow.form_page("accounts/sso_provider_form.html", form, failed=True, provider=provider)
    if form.validate_on_submit():
        chosen = [s for s in schools if s.id in set(form.schools.data or [])]
        try:
            provider = sso_services.save_provider(
                provider, name=form.name.data, issuer=form.issuer.data, client_id=form.client_id.data,
                client_secret=form.client_secret.data or "", email_domains=form.email_domains.data or "",
                schools=chosen, required=form.required.data, enabled=form.enabled.data)
        except sso.SsoError as exc:
            form.email_domains.errors.append(str(exc))
            return uow.form_page("accounts/sso_provider_form.html", form, failed=True, provider=provider)
        flash(_("De aanmelddienst %(name)s is bewaard.", name=provider.name), "success")
        return redirect(url_for("sso.providers"))
    return uow.form_page("accounts/sso_provider_form.html", form, provider=provider,
                         redirect_hint=_redirect_uri())
