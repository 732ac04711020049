"""OpenID Connect, the protocol side: discovery, the authorization-code flow with PKCE, and the ID token.

Authlib's OAuth2Session builds the authorization URL (state, PKCE S256) and exchanges the code;
joserfc (Authlib's JOSE library) checks the ID token: signature against the provider's published
keys (asymmetric algorithms only), issuer, audience, expiry and the nonce of this login. What the
verified claims then mean for an account is `sso_services`.

The state, nonce and code verifier of a login in progress live in the signed session cookie, used
once and for at most `SSO_STATE_SECONDS` (10 minutes): a replayed, expired or foreign callback is
refused before anything is asked of the provider.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, session
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from warmeveranderen.uow import ServiceError

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
PENDING_KEY = "sso_pending"
HTTP_TIMEOUT = 10


class SsoError(ServiceError):
    """A single sign-on that cannot go on; the message is for the person, the cause for the log."""


@dataclass(frozen=True)
class Claims:
    """What a provider vouched for about the person, after every check."""

    provider_id: int
    subject: str
    email: str
    email_verified: bool
    name: str


_CACHE: dict[tuple[str, str], tuple[float, dict]] = {}


def ttl_cache(seconds: int):
    """Keep a provider's metadata and keys for a while per process (they change rarely, and each login
    would otherwise ask twice more); `clear_caches()` forgets them (after a provider is changed)."""

    def decorator(fn):
        def wrapper(url: str) -> dict:
            hit = _CACHE.get((fn.__name__, url))
            if hit and hit[0] > time.monotonic():
                return hit[1]
            value = fn(url)
            _CACHE[(fn.__name__, url)] = (time.monotonic() + seconds, value)
            return value

        wrapper.__name__ = fn.__name__
        return wrapper

    return decorator


def clear_caches() -> None:
    _CACHE.clear()


def _http():
    http = requests.Session()
    http.headers["User-Agent"] = "warmeveranderen-sso"
    return http


@ttl_cache(seconds=3600)
def discover(issuer: str) -> dict:
    """The provider's metadata (`/.well-known/openid-configuration`), cached for an hour; its issuer must
    be exactly the configured one (OpenID Connect Discovery §4.3)."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = _http().get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoError(_("De aanmeldservice is nu niet bereikbaar. Probeer het later opnieuw.")) from exc
    if metadata.get("issuer") != issuer:
        raise SsoError(_("Aanmelden lukte niet: de aanmeldservice is niet wie ze zegt te zijn."))
    return metadata


@ttl_cache(seconds=600)
def _keys(jwks_uri: str) -> dict:
    try:
        response = _http().get(jwks_uri, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoError(_("De aanmeldservice is nu niet bereikbaar. Probeer het later opnieuw.")) from exc


def _client(provider, secret: str, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(provider.client_id, secret, scope="openid email profile", redirect_uri=redirect_uri,
                         code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")


def start(provider, secret: str, redirect_uri: str) -> str:
    """The provider's authorization URL for a new login; remembers state, nonce and PKCE verifier."""
    metadata = discover(provider.issuer)
    verifier = generate_token(64)
    nonce = secrets.token_urlsafe(24)
    url, state = _client(provider, secret, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    session[PENDING_KEY] = {"p": provider.id, "s": state, "n": nonce, "v": verifier, "t": int(time.time())}
    return url


def finish(provider, secret: str, redirect_uri: str, args) -> Claims:
    """Check the callback against the login in progress, exchange the code, verify the ID token."""
    pending = session.pop(PENDING_KEY, None)
    if args.get("error"):
        raise SsoError(_("Aanmelden is afgebroken bij de aanmeldservice. Probeer het opnieuw."))
    if not pending or pending.get("p") != provider.id or not args.get("state") or not secrets.compare_digest(
        str(pending.get("s")), str(args.get("state"))
    ):
        raise SsoError(_("Deze aanmelding is niet (meer) geldig. Begin opnieuw."))
    if time.time() - pending["t"] > current_app.config["SSO_STATE_SECONDS"]:
        raise SsoError(_("Deze aanmelding duurde te lang. Begin opnieuw."))
    metadata = discover(provider.issuer)
    try:
        token = _client(provider, secret, redirect_uri).fetch_token(
            metadata["token_endpoint"], code=args.get("code", ""), code_verifier=pending["v"], timeout=HTTP_TIMEOUT
        )
    except Exception as exc:  # noqa: BLE001 - any refusal of the code (replayed, expired, wrong client) is the same to the person
        current_app.logger.warning("SSO code exchange refused by %s: %s", provider.issuer, exc)
        raise SsoError(_("Aanmelden lukte niet. Begin opnieuw.")) from exc
    claims = verify_id_token(token.get("id_token", ""), provider, metadata, pending["n"])
    if "email" not in claims and metadata.get("userinfo_endpoint"):
        claims = {**_userinfo(metadata["userinfo_endpoint"], token["access_token"], claims["sub"]), **claims}
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise SsoError(_("Je aanmeldservice bevestigt je e-mailadres niet. Vraag je ICT-verantwoordelijke of "
                         "meld je aan met je wachtwoord."))
    return Claims(provider.id, str(claims["sub"]), email, True, str(claims.get("name") or "")[:120])


def verify_id_token(id_token: str, provider, metadata: dict, nonce: str) -> dict:
    """The ID token's claims once signature, issuer, audience, expiry and nonce hold; SsoError otherwise."""
    try:
        keys = KeySet.import_key_set(_keys(metadata["jwks_uri"]))
        decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError, KeyError) as exc:
        current_app.logger.warning("SSO ID token refused (%s): %s", provider.issuer, exc)
        raise SsoError(_("Aanmelden lukte niet: het antwoord van de aanmeldservice klopt niet.")) from exc
    return dict(decoded.claims)


def _userinfo(endpoint: str, access_token: str, subject: str) -> dict:
    try:
        response = _http().get(endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoError(_("De aanmeldservice is nu niet bereikbaar. Probeer het later opnieuw.")) from exc
    if info.get("sub") != subject:  # OpenID Connect Core §5.3.2
        raise SsoError(_("Aanmelden lukte niet: het antwoord van de aanmeldservice klopt niet."))
    return info
