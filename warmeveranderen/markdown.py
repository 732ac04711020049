"""Markdown written by users, rendered and sanitised in one place."""

from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "code": {"class"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to HTML that keeps only a narrow allow-list of tags, attributes and links."""
    if not text:
        return Markup("")
    return Markup(_render(text))


# The same texts come back on every request (advice, notes, minutes): render each once per process.
@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = md.markdown(
        text,
        extensions=["fenced_code", "tables", "sane_lists"],
        # align="…" survives the sanitiser; the default style="text-align: …" would be stripped.
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean


def init_app(app) -> None:
    """Register the |markdown filter."""
    app.add_template_filter(render_markdown, "markdown")
