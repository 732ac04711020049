"""Request hooks: login required unless a view is @public, and the security headers."""

from urllib.parse import urljoin, urlsplit

from flask import current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from warmeveranderen.extensions import login_manager

PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# An SVG chart served as an image cannot run scripts; its own <style> element needs inline styles.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"


def is_public_endpoint(endpoint: str | None) -> bool:
    """Whether a view may be reached without logging in."""
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login():
    """Everything needs a login unless the view says otherwise."""
    if request.endpoint is None or is_public_endpoint(request.endpoint):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def is_safe_next(target: str | None) -> bool:
    """Only local paths are followed after login; no other hosts, schemes or protocol-relative URLs."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    # Browsers drop tabs and newlines inside URLs ("/\t/evil.example" becomes "//evil.example").
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return False
    ref = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and test.netloc == ref.netloc


def set_security_headers(response):
    """CSP without inline scripts or styles, and the usual hardening headers."""
    if response.mimetype == "image/svg+xml":
        response.headers.setdefault("Content-Security-Policy", SVG_CSP)
    else:
        response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and current_user.is_authenticated:
        # Pages of a logged-in person are personal; never keep them in shared caches.
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app) -> None:
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        # Behind a reverse proxy the client's address (for the login throttle) and scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(require_login)
    app.after_request(set_security_headers)
