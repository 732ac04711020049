"""Single sign-on, the account side: which provider serves whom, linking an identity, and the providers.

A verified identity never creates access: it finds the account behind an earlier link (provider +
`sub`), or, the first time, an account or open invitation with the same verified address that the
provider serves; the person then confirms the link once (a POST), which also takes up an open
invitation. Services flush; the request commits (warmeveranderen/uow.py).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _

from warmeveranderen.accounts.models import Invitation, OidcProvider, SsoIdentity, User
from warmeveranderen.accounts.services import get_user_by_email, normalise_email
from warmeveranderen.accounts.sso import Claims, SsoError, clear_caches
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import utcnow


def _fernet() -> Fernet:
    key = hashlib.sha256(("oidc-client-secret:" + current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """A client secret as stored: encrypted with a key derived from SECRET_KEY."""
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def unseal(provider: OidcProvider) -> str:
    if not provider.client_secret_sealed:
        return ""
    try:
        return _fernet().decrypt(provider.client_secret_sealed.encode()).decode()
    except InvalidToken as exc:  # SECRET_KEY changed since the secret was stored
        current_app.logger.error("SSO provider %s: client secret unreadable (SECRET_KEY changed?)", provider.id)
        raise SsoError(_("Aanmelden met %(name)s is nu niet mogelijk. Meld het aan de coördinator.",
                         name=provider.name)) from exc


def enabled_providers() -> list[OidcProvider]:
    return list(db.session.scalars(db.select(OidcProvider).where(OidcProvider.enabled.is_(True))
                                   .order_by(OidcProvider.name, OidcProvider.id)))


def all_providers() -> list[OidcProvider]:
    return list(db.session.scalars(db.select(OidcProvider).order_by(OidcProvider.name, OidcProvider.id)))


def _open_invitations(email: str) -> list[Invitation]:
    return list(db.session.scalars(db.select(Invitation).where(
        Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))))


def serves(provider: OidcProvider, user: User) -> bool:
    """Whether the provider may vouch for this person: their address is in its domains, or they belong
    (or are invited) to one of its schools."""
    domain = user.email.rpartition("@")[2]
    if domain in provider.domains:
        return True
    school_ids = {s.id for s in provider.schools}
    if not school_ids:
        return False
    if any(m.school_id in school_ids for m in user.memberships):
        return True
    return any(i.school_id in school_ids for i in _open_invitations(user.email))


def required_provider(user: User) -> OidcProvider | None:
    """The provider this person must sign in with (password login refused), if a coordinator required one."""
    for provider in enabled_providers():
        if provider.required and serves(provider, user):
            return provider
    return None


def user_for(claims: Claims) -> tuple[User, bool]:
    """The account for verified claims and whether it is already linked; SsoError when there is none.

    Never creates access: no account or invitation for this address, an inactive account, or a
    provider that does not serve this person all get the same answer."""
    provider = db.session.get(OidcProvider, claims.provider_id)
    identity = db.session.scalar(db.select(SsoIdentity).where(
        SsoIdentity.provider_id == claims.provider_id, SsoIdentity.subject == claims.subject))
    if identity is not None:
        if not identity.user.active:
            raise SsoError(_("Je account is niet actief. Vraag je school of de coördinator."))
        return identity.user, True
    user = get_user_by_email(claims.email)
    invited = user is not None and bool(_open_invitations(user.email))
    if user is None or not user.active or not (user.has_joined or invited) or not serves(provider, user):
        raise SsoError(_("Er is geen account of uitnodiging voor %(email)s in Warm Veranderen. Vraag je school of "
                         "de coördinator om een uitnodiging.", email=claims.email))
    return user, False


def link(claims: Claims) -> User:
    """Link the identity to the account (the person confirmed it) and take up their open invitations."""
    user, linked = user_for(claims)
    if linked:
        return user
    newcomer = not user.has_joined
    db.session.add(SsoIdentity(provider_id=claims.provider_id, subject=claims.subject, user=user))
    user.uses_sso = True
    if newcomer:
        # As choosing a password does (accounts.services.accept_invitation): every open invitation to
        # this address is taken up. Someone who already had an account accepts a new school role by
        # that invitation's own link (programme.accept_role), as before.
        now = utcnow()
        for invitation in _open_invitations(user.email):
            invitation.accepted_at = now
    db.session.flush()
    return user


def unlink(user: User, identity_id: int) -> None:
    """Remove one of the person's SSO links (profile); refused when it is their only way in."""
    identity = db.session.get(SsoIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise SsoError(_("Deze koppeling bestaat niet (meer)."))
    others = db.session.scalar(db.select(db.func.count()).select_from(SsoIdentity).where(
        SsoIdentity.user_id == user.id, SsoIdentity.id != identity.id))
    if not others and user.password_hash is None:
        raise SsoError(_("Dit is je enige manier om aan te melden. Kies eerst een wachtwoord (Wachtwoord vergeten)."))
    db.session.delete(identity)
    if not others:
        user.uses_sso = False
    db.session.flush()


def identities(user: User) -> list[SsoIdentity]:
    return list(db.session.scalars(db.select(SsoIdentity).where(SsoIdentity.user_id == user.id)
                                   .order_by(SsoIdentity.created_at)))


def save_provider(provider: OidcProvider | None, *, name: str, issuer: str, client_id: str, client_secret: str,
                  email_domains: str, schools: list, required: bool, enabled: bool) -> OidcProvider:
    """Create or change a provider; an empty secret keeps the stored one."""
    if provider is None:
        provider = OidcProvider()
        db.session.add(provider)
        if not client_secret:
            raise SsoError(_("Vul het client secret in."))
    provider.name = name.strip()
    provider.issuer = issuer.strip()
    provider.client_id = client_id.strip()
    if client_secret:
        provider.client_secret_sealed = seal(client_secret.strip())
    provider.email_domains = " ".join(sorted({normalise_email("x@" + d.strip().lstrip("@")).partition("@")[2]
                                              for d in email_domains.replace(",", " ").split() if d.strip()}))
    provider.schools = list(schools)
    provider.required = required
    provider.enabled = enabled
    if not provider.domains and not provider.schools:
        raise SsoError(_("Kies minstens één e-maildomein of school die deze aanmeldservice bedient."))
    db.session.flush()
    clear_caches()
    return provider
