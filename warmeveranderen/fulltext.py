"""Full-text search over a few text columns: PostgreSQL's Dutch text search, a word match on SQLite.

A searchable table declares its document once with `document_index(name, table, *columns)`, and its
search source asks `Search.where(...)`, `Search.rank(...)` and `Search.snippet(...)` with the same
columns. On PostgreSQL the condition is `to_tsvector('dutch', <document>) @@ websearch_to_tsquery(...)`,
the very expression of the GIN index (the planner only uses the index when they are the same), so
"scholen" finds "school" and the snippet is PostgreSQL's own `ts_headline`. On SQLite (development)
every word of the query must occur in the document (LIKE, case-insensitive for ASCII) and the snippet
marks those words in Python. Snippets are escaped text with `<mark>` around what matched.

The school's search page (core) asks every `@search_source` (declared here, a part like those of
`warmeveranderen/parts.py`) for what it finds in one school for one person: `search_school`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import Index, String, and_, cast, false, func, literal, literal_column
from sqlalchemy.sql import ColumnElement

from warmeveranderen.parts import _add_ordered
from warmeveranderen.plugins import adds, contributes

CONFIG = "dutch"
QUERY_MAX = 200
SNIPPET_WORDS = 30
_WORD = re.compile(r"\w+", re.UNICODE)
# Markdown and other marks that say nothing in a snippet.
_NOISE = re.compile(r"[*_`#\[\]|~]+")


def _document(*columns) -> ColumnElement:
    # Constants, not bound parameters: the expression must be the index's, character for character.
    parts = [func.coalesce(cast(c, String), literal_column("''")) for c in columns]
    expr = parts[0]
    for part in parts[1:]:
        expr = expr.op("||")(literal_column("' '")).op("||")(part)
    return expr


def _vector(*columns) -> ColumnElement:
    return func.to_tsvector(literal_column(f"'{CONFIG}'::regconfig"), _document(*columns))


# The names of the documents' indexes: written by hand in their migration (Alembic's autogenerate
# cannot compare expression indexes, and would otherwise propose to drop them).
INDEX_NAMES: set[str] = set()


def document_index(name: str, *columns) -> Index:
    """The GIN index of a table's document (PostgreSQL only; SQLite has no such index)."""
    INDEX_NAMES.add(name)
    return Index(name, _vector(*columns), postgresql_using="gin").ddl_if(dialect="postgresql")


def include_in_autogenerate(_obj, name, type_, _reflected, _compare_to) -> bool:
    """Alembic's `include_object`: leave the documents' indexes to their hand-written migration."""
    return not (type_ == "index" and name in INDEX_NAMES)


def words_of(text: str) -> list[str]:
    """The words of a query, lowercased, at most twelve (a longer query adds nothing but work)."""
    return [w.lower() for w in _WORD.findall(text or "")][:12]


@dataclass
class Search:
    """One query as typed, for one database dialect."""

    text: str
    dialect: str = "sqlite"
    words: list[str] = field(init=False)
    # Random markers for ts_headline: the text around them is escaped afterwards, so a person's own
    # text can never add markup to the page.
    _start: str = field(init=False, default_factory=lambda: f"\x1e{secrets.token_hex(4)}\x1e")
    _stop: str = field(init=False, default_factory=lambda: f"\x1f{secrets.token_hex(4)}\x1f")

    def __post_init__(self) -> None:
        self.text = " ".join((self.text or "").split())[:QUERY_MAX]
        self.words = words_of(self.text)

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def empty(self) -> bool:
        return not self.words

    def _tsquery(self) -> ColumnElement:
        return func.websearch_to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), self.text)

    def where(self, *columns) -> ColumnElement:
        """The condition that a row's document matches the query."""
        if self.empty:
            return false()
        if self.postgres:
            return _vector(*columns).op("@@")(self._tsquery())
        document = func.lower(_document(*columns))
        conditions = [document.like(f"%{_escape_like(w)}%", escape="\\") for w in self.words]
        return and_(*conditions)

    def rank(self, *columns) -> ColumnElement:
        """How well a row matches (PostgreSQL's ts_rank; on SQLite every match ranks the same)."""
        if self.postgres:
            return func.ts_rank(_vector(*columns), self._tsquery())
        return literal(0.0)

    def headline(self, *columns) -> ColumnElement:
        """PostgreSQL's snippet of the document with the matches between markers (None on SQLite)."""
        if not self.postgres:
            return literal(None, String)
        options = (f"StartSel={self._start}, StopSel={self._stop}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
                   "MaxFragments=2, FragmentDelimiter=\" … \"")
        return func.ts_headline(literal_column(f"'{CONFIG}'::regconfig"), _document(*columns), self._tsquery(),
                                options)

    def snippet(self, headline: str | None, *texts: str) -> Markup:
        """The escaped snippet with `<mark>` around the matches: from `headline` on PostgreSQL, else
        from the texts, around the first word of the query that occurs in them."""
        if self.postgres and headline is not None:
            plain = _NOISE.sub("", headline)
            marked = escape(plain).replace(escape(self._start), Markup("<mark>"))
            return Markup(marked.replace(escape(self._stop), Markup("</mark>")))
        return self._python_snippet(" ".join(t for t in texts if t))

    def _python_snippet(self, text: str) -> Markup:
        tokens = _NOISE.sub("", text).split()
        lowered = [t.lower() for t in tokens]
        first = next((k for k, t in enumerate(lowered) if any(w in t for w in self.words)), 0)
        start = max(0, first - SNIPPET_WORDS // 3)
        window = tokens[start:start + SNIPPET_WORDS]
        pattern = re.compile("|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True)),
                             re.IGNORECASE) if self.words else None
        parts = []
        for token in window:
            parts.append(_mark(token, pattern) if pattern else escape(token))
        result = Markup(" ").join(parts)
        if start > 0:
            result = Markup("… ") + result
        if start + SNIPPET_WORDS < len(tokens):
            result = result + Markup(" …")
        return result


def _mark(token: str, pattern: re.Pattern) -> Markup:
    out, last = [], 0
    for match in pattern.finditer(token):
        out.append(escape(token[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(token[last:]))
    return Markup("").join(out)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- the school's search ------------------------------------------------------------------------------------


SEARCH_SOURCES: list[tuple[int, str, Callable]] = []


@dataclass(frozen=True)
class SearchHit:
    """One thing found: its title, where it lives, an escaped snippet with `<mark>`ed matches."""

    title: str
    url: str
    snippet: Markup
    # A date or datetime shown with the hit (when it was written or decided), or None.
    when: object = None
    # A short state or context ("Afgerond", "Sprint 3"), or "".
    detail: str = ""
    rank: float = 0.0


def search_source(label: str, order: int = 50) -> Callable:
    """Declare a source of search results; `label` names what it finds (plural, e.g. "Initiatieven")."""
    return contributes("search_source", label=label, order=order)


@adds("search_source")
def add_search_source(fn: Callable, label: str, order: int = 50) -> None:
    _add_ordered(SEARCH_SOURCES, fn, label, order)


def search_school(user, school, search, limit: int = 20) -> list[tuple[str, list[SearchHit]]]:
    """(label, hits) of every source this person may search in this school, in the sources' order;
    sources that find nothing are left out. A query without words finds nothing."""
    if search.empty:
        return []
    groups = []
    for _order, label, fn in SEARCH_SOURCES:
        hits = fn(user, school, search, limit)
        if hits:
            groups.append((str(label), sorted(hits, key=lambda h: -h.rank)))
    return groups
