"""Front-end libraries installed from npm (package.json, `npm ci --omit=dev` in bin/_setup), served
from `node_modules/` without copying them into static/.

Only the files listed in VENDOR_FILES are served. When npm was not available at setup the file is
missing: `vendor_script(name)` is then None, the page leaves the script out and works without it
(every such library is a progressive enhancement).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, request, send_from_directory, url_for
from markupsafe import Markup

from warmeveranderen.core.views import bp
from warmeveranderen.permissions import public

# The repository root (where package.json is), as create_app finds it.
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
# name -> the file in node_modules that is served under that name.
VENDOR_FILES = {
    "sortable.min.js": "sortablejs/Sortable.min.js",
}


def _path(name: str) -> Path | None:
    relative = VENDOR_FILES.get(name)
    if relative is None:
        return None
    path = NODE_MODULES / relative
    return path if path.is_file() else None


@bp.route("/vendor/<name>")
@public
def vendor_file(name: str):
    """A file of an npm package (cached a day; public, like static/)."""
    path = _path(name)
    if path is None:
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=86400)


def vendor_script(name: str) -> str | None:
    """The URL of a vendored file, or None when its package is not installed."""
    return url_for("core.vendor_file", name=name) if _path(name) is not None else None


def layout_assets(where: str) -> Markup:
    """The layout's own stylesheets ("head": the icon, Bootstrap's CSS, the app's) or scripts ("end":
    Bootstrap's with Popper, the app's), rendered once per process and application root: every page
    has them, and they only change with a new release (which starts new processes)."""
    kept = current_app.extensions.setdefault("wv_layout_assets", {})
    key = (where, request.script_root)
    if key not in kept:
        bootstrap = current_app.extensions["bootstrap"]
        if where == "head":
            html = (f'<link rel="icon" href="{url_for("static", filename="favicon.svg")}" type="image/svg+xml">\n  '
                    f"{bootstrap.load_css()}\n  "
                    f'<link rel="stylesheet" href="{url_for("static", filename="css/app.css")}">')
        else:
            html = (f"{bootstrap.load_js(with_popper=True)}\n  "
                    f'<script src="{url_for("static", filename="js/app.js")}"></script>')
        kept[key] = Markup(html)
    return kept[key]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["vendor_script"] = vendor_script
    app.jinja_env.globals["layout_assets"] = layout_assets
