"""Markdown written by users, rendered and sanitised in one place.

Rendering is bounded whatever is stored (issue 15):
- Python-Markdown scans from every `[` to its matching `]` (and from `](` to the matching `)`), so runs of
  unmatched or deeply nested brackets take quadratic time (upstream issue #798: 8,000 `[` took 25 s here).
  `neutralise_brackets` escapes the openers the link parser would scan far for, before Markdown sees them;
  ordinary texts pass through unchanged.
- Texts above `MAX_RENDER_CHARS` characters, and texts Markdown cannot parse (very deep lists raise
  RecursionError), render as escaped plain text with line breaks.
- Only texts up to `CACHE_MAX_CHARS` characters are cached, at most `CACHE_ENTRIES` of them.
"""

import html as html_lib
import re
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "code": {"class"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Far above any field's maximum; longer texts are shown as plain text.
MAX_RENDER_CHARS = 20_000
# Per block (text between blank lines): how many characters the link parser may scan from its `[`s in all.
# Ordinary texts stay far below it (100 links of 60 characters: 6,000); a block over it gets its costly
# `[`s escaped. With MAX_RENDER_CHARS this bounds the link parser's work at ~2 × 20,000 steps per block.
BRACKET_SCAN_BUDGET = 20_000
# Blocks with this many `[` or fewer are left alone without analysis (their scans cost at most 8 × the block).
FEW_BRACKETS = 8
CACHE_MAX_CHARS = 4_000
CACHE_ENTRIES = 2_048

_BLOCK_SEPARATOR = re.compile(r"(\n[ \t]*\n)")
_BACKTICKS = re.compile(r"`+")


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to HTML that keeps only a narrow allow-list of tags, attributes and links."""
    if not text:
        return Markup("")
    if len(text) > MAX_RENDER_CHARS:
        return Markup(_plain(text))
    if len(text) <= CACHE_MAX_CHARS:
        return Markup(_render_cached(text))
    return Markup(_render(text))


# The same short texts come back on every request (advice, notes): render each once per process. Long texts
# are rare and would make the cache's memory unbounded (20 texts of 1 MB added 143 MB over 4 workers), so they
# render uncached. Worst case held: CACHE_ENTRIES × (4,000 characters + their HTML) ≈ 2,048 × 25 kB ≈ 50 MB,
# typically a few MB.
@lru_cache(maxsize=CACHE_ENTRIES)
def _render_cached(text: str) -> str:
    return _render(text)


def _render(text: str) -> str:
    try:
        html = md.markdown(
            neutralise_brackets(text),
            extensions=["fenced_code", "tables", "sane_lists"],
            # align="…" survives the sanitiser; the default style="text-align: …" would be stripped.
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
    except RecursionError:  # e.g. "- " * 5000: lists nested thousands deep
        return _plain(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean


def _plain(text: str) -> str:
    """The text as escaped plain text, line breaks kept."""
    return "<p>" + str(escape(text)).replace("\r\n", "\n").replace("\n", "<br>\n") + "</p>"


def neutralise_brackets(text: str) -> str:
    """Escape the `[`s that would make the link parser scan far, block by block; other text is unchanged.

    Per block, the scan the parser would do from each `[` is estimated in linear time: to its matching `]`
    (to the block's end if there is none), plus, for `[…](`, to the matching `)`. Brackets inside code spans
    and escaped brackets are invisible to the parser and so are skipped. If the block's total stays within
    BRACKET_SCAN_BUDGET it is left as it is; otherwise unmatched `[`s are escaped (they render as `[` either
    way) and the matched ones are kept, left to right, while the budget lasts, the rest escaped. Escaping a
    `[` only shortens the scans of the brackets around it, so the kept ones cost at most the budget.
    """
    if text.count("[") <= FEW_BRACKETS:
        return text
    parts = _BLOCK_SEPARATOR.split(text)
    for i in range(0, len(parts), 2):
        if parts[i].count("[") > FEW_BRACKETS:
            parts[i] = _neutralise_block(parts[i])
    return "".join(parts)


def _neutralise_block(block: str) -> str:
    visible = _visible_mask(block)
    end = len(block)
    closing: dict[int, int] = {}  # position of a visible `[` or `(` → position of its match
    squares: list[int] = []
    rounds: list[int] = []
    for pos, c in enumerate(block):
        if not visible[pos]:
            continue
        if c == "[":
            squares.append(pos)
        elif c == "]" and squares:
            closing[squares.pop()] = pos
        elif c == "(":
            rounds.append(pos)
        elif c == ")" and rounds:
            closing[rounds.pop()] = pos
    openers = [pos for pos, c in enumerate(block) if c == "[" and visible[pos]]

    def cost(pos: int) -> tuple[int, bool]:
        close = closing.get(pos)
        if close is None:
            return end - pos, False
        scan = close - pos
        if close + 1 < end and block[close + 1] == "(" and visible[close + 1]:
            paren_close = closing.get(close + 1)
            if paren_close is None:
                return scan + end - close, False
            scan += paren_close - close
        return scan, True

    costs = [cost(pos) for pos in openers]
    if sum(scan for scan, _ in costs) <= BRACKET_SCAN_BUDGET:
        return block
    escaped: list[int] = []
    spent = 0
    for pos, (scan, matched) in zip(openers, costs, strict=True):
        if matched and spent + scan <= BRACKET_SCAN_BUDGET:
            spent += scan
        else:
            escaped.append(pos)
    out, start = [], 0
    for pos in escaped:
        out.append(block[start:pos])
        out.append("\\")
        start = pos
    out.append(block[start:])
    return "".join(out)


def _visible_mask(block: str) -> list[bool]:
    """Which characters the link parser sees: not escaped by a backslash and not inside a code span."""
    visible = [True] * len(block)
    pos = 0
    while True:
        pos = block.find("\\", pos)
        if pos < 0 or pos + 1 >= len(block):
            break
        visible[pos + 1] = False
        pos += 2
    # A run of n backticks opens a code span that the next run of exactly n backticks closes.
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(block) if visible[m.start()]]
    next_same: dict[int, int] = {}
    following: list[int | None] = [None] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = next_same.get(length)
        next_same[length] = index
    index = 0
    while index < len(runs):
        partner = following[index]
        if partner is None:
            index += 1
            continue
        for pos in range(runs[index][1], runs[partner][0]):
            visible[pos] = False
        index = partner + 1
    return visible


_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|blockquote|pre)>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def plain_text(text: str | None) -> str:
    """Markdown as plain text without markup, for places that show no HTML (iCal, email subjects, lists).

    It goes through the same rendering and sanitiser, so nothing hidden in the Markdown survives: list
    items become "- …" lines, links "text (address)", everything else its text.
    """
    if not text:
        return ""
    rendered = str(render_markdown(text)).replace("<li>", "- ")

    def link(match: re.Match) -> str:
        address, label = html_lib.unescape(match.group(1)), match.group(2)
        return label if html_lib.unescape(label) == address else f"{label} ({match.group(1)})"

    rendered = _LINE_END.sub("\n", _LINK.sub(link, rendered))
    stripped = html_lib.unescape(nh3.clean(rendered, tags=set()))
    lines = [line.strip() for line in stripped.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def excerpt(text: str | None, limit: int = 400) -> str:
    """The start of a Markdown text as plain text, cut at a word with "…" when longer than ``limit``."""
    plain = plain_text(text)
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip() + "…"


def init_app(app) -> None:
    """Register the |markdown and |plain_text filters."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(plain_text, "plain_text")
