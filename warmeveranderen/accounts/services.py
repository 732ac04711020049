"""Account operations: authenticate with a throttle, reset passwords, invite people, edit profiles.

This module changes the feature's state; it flushes, the request commits (warmeveranderen/uow.py).
The one exception is the throttle's record of a password check, kept by accounts/throttle.py.
"""

from __future__ import annotations

import secrets

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from warmeveranderen.accounts import throttle
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.config import base_url
from warmeveranderen.domain import ADVISER, COORDINATOR, PROGRAMME_ROLES, SCHOOL_ROLE_PERSONS, text_problem
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.mail import MailError, send_email
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

RESET_SALT = "password-reset"
INVITE_SALT = "invitation"
# A real hash to compare against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(ServiceError):
    """A user-facing refusal; the message is in the user's language."""


class ThrottledError(AccountError):
    """Too many failed logins for this account or from this address."""


def end_sessions(user: User) -> None:
    """End every session of this person on every device (logout, new password)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash the password with scrypt and rotate the session token (old links and sessions die)."""
    user.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    user.session_token = secrets.token_hex(8)
    user.session_version = (user.session_version or 0) + 1


# --- login and its throttle -------------------------------------------------------------------


def _claim_attempt(email: str, address: str):
    """Record this password check before it is made (accounts/throttle.py); the claim, or ThrottledError."""
    config = current_app.config
    store = throttle.counters()
    claim, by_email, by_address = store.claim(email, address, config["LOGIN_THROTTLE_WINDOW"])
    if by_email > config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] or by_address > config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        store.release(claim, email, address)
        raise ThrottledError(_("Te veel mislukte pogingen. Wacht enkele minuten en probeer opnieuw."))
    return claim


def check_password(user: User | None, password: str, *, address: str | None, email: str | None = None) -> bool:
    """Whether the password is this person's (login, password change, signing).

    With the address a guess came from, the throttle counts it (ThrottledError over the limit) and a
    right password clears the person's failures. Internal callers (demo data, jobs) pass None: they
    are not guesses, and their unit of work may already hold SQLite's write lock.
    """
    email = normalise_email(email if email is not None else user.email)
    if address is not None:
        _claim_attempt(email, address)
    # A real hash for unknown accounts too, so the time taken does not tell them apart.
    valid = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if not (valid and user is not None and user.password_hash):
        return False
    if address is not None:
        throttle.counters().clear(email)
    return True


def authenticate(email: str, password: str, address: str) -> User:
    """The user for these credentials; raises AccountError with one generic message otherwise."""
    user = get_user_by_email(email)
    if user is not None and not user.active:
        user = None  # a right password of an inactive account counts as a failure
    if not check_password(user, password, email=email, address=address):
        raise AccountError(_("Dit e-mailadres en wachtwoord horen niet bij elkaar, of de account is niet actief."))
    return user


# --- password reset ---------------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def send_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way (no enumeration)."""
    user = get_user_by_email(email)
    if user is not None and user.active and not user.has_joined:
        _resend_open_invitation(user)  # invited, not yet active: the invitation is what they need
        return
    if user is None or not user.active:
        return
    token = _serializer(RESET_SALT).dumps({"u": user.id, "t": user.session_token})
    with in_locale(user):
        subject = _("Nieuw wachtwoord voor Warm Veranderen")
    try:
        send_email(
            user.email,
            subject,
            "password_reset",
            locale=user.locale,
            user=user,
            link=external_url("accounts.reset_password", token=token),
            hours=max(current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600, 1),
        )
    except MailError:
        # The page says the same either way (no enumeration); the operator sees it in the log.
        current_app.logger.exception("Password reset mail to %s failed", user.email)


def user_for_reset_token(token: str) -> User:
    """The user a reset link belongs to, if it is genuine, fresh and unused."""
    try:
        data = _serializer(RESET_SALT).loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise AccountError(_("Deze link is verlopen. Vraag een nieuwe aan.")) from exc
    except BadSignature as exc:
        raise AccountError(_("Deze link is ongeldig of al gebruikt. Vraag een nieuwe aan.")) from exc
    user = db.session.get(User, data.get("u"))
    # The token carries the session token of the moment: after one use the password changed it.
    if user is None or not secrets.compare_digest(user.session_token, data.get("t", "")):
        raise AccountError(_("Deze link is ongeldig of al gebruikt. Vraag een nieuwe aan."))
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    set_password(user, password)
    throttle.counters().clear(user.email)
    return user


# --- invitations ------------------------------------------------------------------------------


def external_url(endpoint: str, **values) -> str:
    """An absolute link for emails, built on BASE_URL (there is no request in a scheduler job)."""
    with current_app.test_request_context(base_url=base_url()):
        return url_for(endpoint, _external=True, **values)


def new_invitee(email: str, name: str) -> User:
    """A new account for someone invited: no password until they accept."""
    user = User(email=normalise_email(email), name=name.strip(), locale="nl", session_token=secrets.token_hex(8))
    db.session.add(user)
    return user


def send_invitation(
    user: User,
    *,
    role: str,
    role_label,
    invited_by: User | None,
    school=None,
    is_lead: bool = False,
    stakeholder_group: str | None = None,
    to_accept: bool = False,
) -> Invitation:
    """Record the invitation and mail it: new people get a single-use link to choose a password,
    people who already have an account are told about their new role, or, with `to_accept`, get a
    link to accept it (the role then starts when they do: `programme.accept_role`).

    A mail that cannot be sent refuses the whole request (AccountError), so nothing of it is saved.
    """
    invitation = Invitation(
        email=user.email,
        name=user.name,
        school=school,
        role=role,
        is_lead=is_lead,
        stakeholder_group=stakeholder_group,
        invited_by=invited_by,
    )
    db.session.add(invitation)
    db.session.flush()
    with in_locale(user):
        role_text = str(role_label)
        if not user.has_joined or to_accept:
            subject = _("Uitnodiging voor Warm Veranderen")
        else:
            subject = _("Je hebt een nieuwe rol in Warm Veranderen")
    context = dict(
        user=user,
        invitation=invitation,
        school=school,
        role_label=role_text,
        inviter=invited_by,
        days=current_app.config["INVITATION_MAX_AGE"] // 86400,
    )
    try:
        if not user.has_joined:
            token = _serializer(INVITE_SALT).dumps({"i": invitation.id})
            send_email(user.email, subject, "invitation", locale=user.locale,
                       link=external_url("accounts.accept_invitation", token=token), **context)
        elif to_accept:
            token = _serializer(INVITE_SALT).dumps({"i": invitation.id})
            send_email(user.email, subject, "role_invitation", locale=user.locale,
                       link=external_url("programme.accept_role", token=token), **context)
        else:
            invitation.accepted_at = utcnow()
            send_email(user.email, subject, "new_role", locale=user.locale,
                       link=external_url("core.home"), **context)
    except MailError as exc:
        raise AccountError(
            _("De e-mail kon niet verstuurd worden; er is niets bewaard. Probeer het later opnieuw.")
        ) from exc
    return invitation


def invite(*, email: str, name: str, role: str, invited_by: User | None) -> Invitation:
    """Give a person a programme role (coordinator or adviser), creating their account if needed,
    and mail them. Roles in a school: `warmeveranderen.programme.people.invite`."""
    if role not in (COORDINATOR, ADVISER):
        raise AccountError(_("Onbekende rol."))
    user = get_user_by_email(email) or new_invitee(email, name)
    if role == COORDINATOR:
        user.is_coordinator = True
    else:
        user.is_adviser = True
    return send_invitation(user, role=role, role_label=PROGRAMME_ROLES[role], invited_by=invited_by)


def resend_invitation(invitation: Invitation, by: User | None) -> Invitation:
    """Send an open invitation again with a fresh link; the earlier link stops working."""
    if not invitation.is_open:
        raise AccountError(_("Deze uitnodiging is al aanvaard of ingetrokken."))
    user = get_user_by_email(invitation.email)
    if user is None:
        raise AccountError(_("Deze uitnodiging is ingetrokken."))
    invitation.revoked_at = utcnow()
    label = SCHOOL_ROLE_PERSONS.get(invitation.role) or PROGRAMME_ROLES.get(invitation.role, invitation.role)
    return send_invitation(user, role=invitation.role, role_label=label, invited_by=by or invitation.invited_by,
                           school=invitation.school, is_lead=invitation.is_lead,
                           stakeholder_group=invitation.stakeholder_group)


def _resend_open_invitation(user: User) -> None:
    invitation = db.session.scalar(
        db.select(Invitation)
        .where(Invitation.email == user.email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(1)
    )
    if invitation is None:
        return
    try:
        resend_invitation(invitation, None)
    except AccountError:
        # The page says the same either way (no enumeration); the operator sees it in the log.
        current_app.logger.exception("Resending the invitation to %s failed", user.email)


def invitation_for_token(token: str) -> Invitation:
    """The open invitation behind a link, if genuine, fresh and unused."""
    try:
        data = _serializer(INVITE_SALT).loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except SignatureExpired as exc:
        raise AccountError(_("Deze uitnodiging is verlopen. Vraag wie je uitnodigde om een nieuwe.")) from exc
    except BadSignature as exc:
        raise AccountError(_("Deze uitnodigingslink is ongeldig.")) from exc
    invitation = db.session.get(Invitation, data.get("i"))
    if invitation is None or not invitation.is_open:
        raise AccountError(_("Deze uitnodiging is al gebruikt of ingetrokken. Log in of vraag een nieuwe."))
    return invitation


def accept_invitation(token: str, name: str, password: str) -> User:
    """Set the invited person's name and password; the link cannot be used again."""
    invitation = invitation_for_token(token)
    user = get_user_by_email(invitation.email)
    if user is None:  # the person was removed after being invited
        raise AccountError(_("Deze uitnodiging is ingetrokken."))
    user.name = name.strip()
    set_password(user, password)
    now = utcnow()
    # Every open invitation to this address is answered by choosing a password.
    for other in db.session.scalars(
        db.select(Invitation).where(Invitation.email == user.email, Invitation.accepted_at.is_(None))
    ):
        other.accepted_at = now
    db.session.flush()
    return user


def update_profile(user: User, name: str, locale: str) -> None:
    problem = text_problem(name, 120, single_line=True)
    if problem:  # the form refuses it first; this is for posts that bypass the form (issue 15)
        raise AccountError(problem)
    user.name = name.strip()
    user.locale = locale
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def change_password(user: User, current: str, new: str, address: str | None = None) -> None:
    """Set a new password after checking the current one (counted by the throttle from `address`)."""
    if not check_password(user, current, address=address):
        raise AccountError(_("Je huidige wachtwoord klopt niet."))
    set_password(user, new)
    db.session.flush()


def create_user(email: str, name: str, password: str | None, **flags) -> User:
    """Create an account directly (CLI and demo); the password may be set later by invitation."""
    user = User(email=normalise_email(email), name=name, session_token=secrets.token_hex(8), **flags)
    if password:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user
