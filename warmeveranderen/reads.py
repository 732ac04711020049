"""What a part of a page read, per kind of thing (table): the part cache (pagecache.py) keeps a rendered
part under the versions of the tables it read, so that a change of one kind renders again only the
parts that read that kind.

While a part renders (`recording()`), four things count as read:
- every table a statement sent names (in its SQL text: a joined or nested table too; naming more than
  was read only renders a part again more often);
- every relationship the part follows on an object (`initiative.sprint`, `round.advice`): the tables of
  both ends and of an association table between them. An object can reach a part without a statement
  of the part's own (from the session's identity map, or a collection another part loaded), so the
  statements alone would miss what such an object shows;
- every object the part gets by its primary key (`session.get`: from the identity map, no statement);
- what a value kept for the request read (`memo.per_request` keeps the tables with the value and hands
  them to each part that uses it: `used`).

What the request read outside any part (the person with their schools and memberships, the page's
object) counts for every part (`outside`). What every key holds besides (the programmes' version)
covers the people, the schools and their places: a change of those raises the programme's version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import InstrumentedAttribute

# The frames of the parts (and kept values) being rendered now, outermost first; None outside them.
_FRAMES: ContextVar[list[set[str]] | None] = ContextVar("wv_reading", default=None)
_pattern: list[re.Pattern] = []
_models: list = []  # the declarative base (init_app), whose tables and mappers these are


def _tables_pattern() -> re.Pattern:
    if not _pattern:
        names = sorted(_models[0].metadata.tables, key=len, reverse=True)
        _pattern.append(re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b"))
    return _pattern[0]


_found: dict[str, frozenset[str]] = {}


def tables_in(statement: str) -> frozenset[str]:
    """The tables a SQL statement names: looked up once per statement text (SQLAlchemy hands the same
    compiled text to every execution, so the search costs a request a dictionary look-up)."""
    found = _found.get(statement)
    if found is None:
        if len(_found) > 20000:  # texts with literal values could grow it without end
            _found.clear()
        found = _found[statement] = frozenset(_tables_pattern().findall(statement))
    return found


def _outside() -> set[str] | None:
    """What this request read outside any part (None outside a request)."""
    if not has_request_context():
        return None
    return request.environ.setdefault("warmeveranderen.read_outside", set())


def _record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    frames = _FRAMES.get()
    target = frames if frames else [_outside()]
    if target[0] is None:
        return
    tables = tables_in(statement)
    for frame in target:
        frame.update(tables)


class _Followed(InstrumentedAttribute):
    """A relationship's attribute that notes, while a part renders, that the part followed it."""

    __slots__ = ()
    inherit_cache = True  # the same in SQL as the attribute it replaces

    def __get__(self, instance, owner):
        if instance is not None:
            frames = _FRAMES.get()
            if frames:
                prop = self.property
                tables = {prop.parent.local_table.name, prop.mapper.local_table.name}
                if prop.secondary is not None:
                    tables.add(prop.secondary.name)
                for frame in frames:
                    frame.update(tables)
        return InstrumentedAttribute.__get__(self, instance, owner)


class ReadingSession(FlaskSession):
    """The app's session (extensions.py): `get` by primary key notes the model's table while a part
    renders; an object already in the identity map comes without a statement."""

    def get(self, entity, ident, **kwargs):
        frames = _FRAMES.get()
        if frames:
            table = inspect(entity).local_table.name
            for frame in frames:
                frame.add(table)
        return super().get(entity, ident, **kwargs)


def _watch_relationships(mapper: Mapper, class_) -> None:
    for relationship in mapper.relationships:
        attribute = class_.__dict__.get(relationship.key)
        if type(attribute) is InstrumentedAttribute:
            attribute.__class__ = _Followed


def _watch_all() -> None:
    for mapper in _models[0].registry.mappers if _models else ():
        _watch_relationships(mapper, mapper.class_)


@contextmanager
def recording() -> Iterator[set[str]]:
    """The tables read inside the block (and by the kept values it used)."""
    frame: set[str] = set()
    frames = _FRAMES.get()
    token = _FRAMES.set([*(frames or ()), frame])
    try:
        yield frame
    finally:
        _FRAMES.reset(token)


def used(tables: Iterable[str], outside: bool = True) -> None:
    """A value read earlier in this request (with these tables) is used now: it counts for the parts
    being rendered (or, outside any part, for all; not with `outside=False`: a kept part that holds
    no objects of its own)."""
    frames = _FRAMES.get()
    if frames:
        for frame in frames:
            frame.update(tables)
    elif outside:
        found = _outside()
        if found is not None:
            found.update(tables)


def outside() -> frozenset[str]:
    """What the request read outside any part so far."""
    return frozenset(_outside() or ())


def init_app(_app, model) -> None:
    """Note reads from now on; `model` is the declarative base (db.Model)."""
    _models[:] = [model]
    if not event.contains(Engine, "before_cursor_execute", _record):
        event.listen(Engine, "before_cursor_execute", _record)
    # Every relationship, once the models are configured (and again for any configured later).
    if not event.contains(Mapper, "after_configured", _watch_all):
        event.listen(Mapper, "after_configured", _watch_all)
