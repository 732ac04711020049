"""PDF documents from the app's own templates (WeasyPrint): agendas and minutes, the report, star cases.

A PDF is the same HTML a person sees, rendered by `render_template` with `pdf=True` in the context
(a template can leave out navigation and buttons) and a print stylesheet; WeasyPrint turns it into
a PDF without any external service. WeasyPrint needs Pango on the machine (Debian: `libpango-1.0-0`,
present on most desktops and servers); where it is missing the download answers with a clear Dutch
page instead of an error, and everything else keeps working.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import current_app, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

from warmeveranderen.security import content_disposition


def available() -> bool:
    """Whether WeasyPrint (and the Pango library under it) can be loaded on this machine."""
    try:
        importlib.import_module("weasyprint")
    except (ImportError, OSError):
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """The PDF of a rendered HTML page; stylesheets and images resolve against this app's URL."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # Pango missing: say so, don't crash
        current_app.logger.warning("PDF unavailable: %s", exc)
        raise ServiceUnavailable(_("PDF is op deze server niet beschikbaar. Gebruik 'Afdrukken' in je browser.")) from exc
    fetcher = _local_fetcher()
    return weasyprint.HTML(string=html, base_url=request.url_root, url_fetcher=fetcher).write_pdf()


def pdf_response(template: str, filename: str, **context):
    """Render `template` with `pdf=True` and answer with it as a PDF download named `filename`."""
    html = render_template(template, pdf=True, **context)
    response = make_response(html_to_pdf(html))
    response.headers["Content-Type"] = "application/pdf"
    name = filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def _local_fetcher():
    """Stylesheets and images are read from the app's own static folder, never from the network."""
    import weasyprint.urls

    static_root = Path(current_app.static_folder).resolve()
    static_prefix = request.url_root.rstrip("/") + "/static/"

    class LocalFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(static_prefix):
                raise ValueError(f"PDF: refused to fetch {url!r} (only the app's own static files)")
            path = (static_root / url[len(static_prefix):].split("?", 1)[0]).resolve()
            if not path.is_relative_to(static_root) or not path.is_file():
                raise ValueError(f"PDF: no static file {url!r}")
            kind = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix, "application/octet-stream")
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return LocalFetcher()
