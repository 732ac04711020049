"""Request hooks: login required unless a view is @public, and the security headers."""

from urllib.parse import urljoin, urlsplit

from flask import Request, abort, current_app, g, request, session
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

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


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in text)


def is_local_path(target: str | None) -> bool:
    """A path of this app ("/scholen/1"), never another site, however a browser reads it.

    Refused: "//evil.example" (protocol-relative), "/\\evil.example/x" (browsers read a backslash as
    a slash), "/\t/evil.example" (browsers drop tabs and line breaks inside URLs), any scheme or host.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if _has_control(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def is_safe_link(target: str | None) -> bool:
    """A link people may store (evidence): a path of this app, or an http(s) address of another site."""
    if is_local_path(target):
        return True
    if not target or "\\" in target or _has_control(target):
        return False
    parts = urlsplit(target)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and target.lower().startswith(parts.scheme + "://")


def is_safe_next(target: str | None) -> bool:
    """Only local paths are followed after login or a form; no other hosts, schemes or protocol-relative URLs."""
    if not is_local_path(target):
        return False
    ref = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and test.netloc == ref.netloc


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a safe local path, else `default`."""
    return target if is_safe_next(target) else default


# Ids and page numbers beyond a 32-bit signed integer overflow PostgreSQL's integer columns (a 500):
# URL segments and query parameters read as numbers are a 404 beyond this.
MAX_INT = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, with an upper bound: /scholen/99999999999 is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class BoundedArgs(ImmutableMultiDict):
    """Request parameters: `get(name, type=int)` beyond the integer range is a 404 (not a database error)."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's names
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT:
            abort(404)
        return value


class SafeRequest(Request):
    parameter_storage_class = BoundedArgs

    @property
    def max_content_length(self) -> int | None:
        """2 MB for a form; a multipart post (a file upload) may be UPLOAD_MAX_CONTENT_LENGTH."""
        if self.mimetype == "multipart/form-data" and current_app:
            # A view may name the setting of its own limit (the attachments: FILES_MAX_BYTES), plus room
            # for the form around the file.
            view = current_app.view_functions.get(self.endpoint) if self.url_rule else None
            setting = getattr(view, "upload_limit_setting", None)
            if setting:
                return int(current_app.config[setting]) + 64 * 1024
            return current_app.config.get("UPLOAD_MAX_CONTENT_LENGTH") or super().max_content_length
        return super().max_content_length


def refuse_nul_bytes():
    """A NUL byte in the path, a parameter or a form field is refused (PostgreSQL cannot store it: a 500)."""
    if "\x00" in request.path:
        abort(400)
    for values in (request.args, request.form if request.method in ("POST", "PUT", "PATCH", "DELETE") else {}):
        for value in values.listvalues() if values else ():
            if any("\x00" in v for v in value if isinstance(v, str)):
                abort(400)
    return None


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
    # The person as the login loaded them, without reading their (by now expired) columns again: the
    # request's unit of work has already ended. Pages of a logged-in person are personal; never keep
    # them in shared caches.
    loaded = g.get("_login_user")
    if (loaded is None and "_user_id" in session) or getattr(loaded, "is_anonymous", True) is False:
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app) -> None:
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        # Behind a reverse proxy the client's address (for the login throttle) and scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.request_class = SafeRequest
    app.url_map.converters["int"] = BoundedIntConverter  # before the features add their routes
    app.before_request(refuse_nul_bytes)
    app.before_request(require_login)
    app.after_request(set_security_headers)


# CSV injection: a spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value for a CSV export: text that a spreadsheet would run as a formula gets a leading `'`.

    Numbers stay numbers (a negative number is not text); only strings are neutralised.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_rows(rows):
    """Every row of a CSV export through `csv_cell` (use for the header too)."""
    for row in rows:
        yield [csv_cell(value) for value in row]


def safe_filename(name: str, fallback: str = "download") -> str:
    """A filename safe for a header and a disk: no path, no control or quote characters, at most 120 characters."""
    import re
    import unicodedata

    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'["<>:|?*;]', "", base).strip(" .")
    return shorten_keeping_extension(base, 120) or fallback


def shorten_keeping_extension(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, keeping its extension (".docx") so the file still opens."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    return stem[: limit - len(ext) - 1] + dot + ext if dot and stem and len(ext) <= 10 else name[:limit]


def content_disposition(name: str, inline: bool = False) -> str:
    """A Content-Disposition header value for `name`: an ASCII fallback plus the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote

    clean = safe_filename(name)
    ascii_name = clean.encode("ascii", "ignore").decode() or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean)}"
