"""The versions a kept part or page is keyed on (the read side of cacheversions.py), and the viewer's
key: what pagecache.py asks before it looks a part up. pagecache re-exports them (`pagecache.versions`,
`pagecache.roles_of`, ...), the names the views use.

- a school's version and the programmes' (`versions`), read once per request, usually with the person;
- the versions of each kind of thing (table) of a school (`table_versions`), for its parts;
- an adviser's schools together (`person_versions`), a learning network's or a person's own state
  (`keep_versions`), the whole programme (`programme_wide`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import has_request_context, request
from sqlalchemy import ColumnElement, String, bindparam, cast, func, inspect, literal_column, select, text
from sqlalchemy.orm.util import identity_key

from warmeveranderen import memo
from warmeveranderen.extensions import db


def on_request(name: str) -> dict:
    """A dictionary kept on this request (its WSGI environ, as memo.py keeps its values): the versions it
    read. Not on `g`: an app context can outlive requests (commands, tests), and versions read in an
    earlier request would pair new keys with old data. Outside a request: a new, empty one."""
    if not has_request_context():
        return {}
    return request.environ.setdefault(f"warmeveranderen.cache.{name}", {})

# The programmes' version is the sum of theirs (there is one programme in practice; a change of any
# raises the sum). Every page reads it with the person (accounts/loading.py), as a column of theirs.
_PROGRAMMES = "(SELECT COALESCE(SUM(cache_version), 0) FROM programmes)"
_VERSIONS = text(f"SELECT cache_version, {_PROGRAMMES} FROM schools WHERE id = :id")


def programmes_version_column():
    return literal_column(_PROGRAMMES)


def _loaded_school_version(school_id: int) -> int | None:
    """The version of the school as this request already read it (the person's own schools come with
    them), or None. A row loaded in this request is as fresh as reading it again; after a commit its
    attributes have expired, and it is read again."""
    loaded = db.session.identity_map.get(identity_key(school_class(), school_id))
    return None if loaded is None else inspect(loaded).dict.get("cache_version")


_CLASSES: dict[str, type] = {}


def school_class() -> type:
    """The School model, found by its table (this module sits below the features)."""
    if "school" not in _CLASSES:
        _CLASSES["school"] = next(m.class_ for m in db.Model.registry.mappers if m.local_table.name == "schools")
    return _CLASSES["school"]


def versions(school_id: int) -> tuple[int, int]:
    """(school version, programmes' version), read once per request: without a round trip when the
    person's statement read both (a member on their school's pages)."""
    known = on_request("versions")
    if school_id not in known:
        programmes = memo.loaded_with("programmes_version")
        school = _loaded_school_version(school_id) if programmes is not None else None
        if school is not None:
            known[school_id] = (school, programmes)
        else:
            row = db.session.execute(_VERSIONS, {"id": school_id}).first()
            known[school_id] = (row[0], row[1]) if row else (-1, -1)
    return known[school_id]


# --- the viewer -------------------------------------------------------------------------------

def roles_of(user, school) -> str:
    """The viewer's key for a part that only depends on what the viewer may see: their roles in the
    school (and whether they lead the flywheel), coordinator, adviser and whether they advise this
    school or its learning network. A part whose content depends on more than that (the person's learning networks, tasks or
    signature) is personal."""
    from warmeveranderen.permissions import advises_school, is_flywheel_lead

    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    roles = ",".join(sorted(user.roles_in(school)))
    flags = ("C" if user.is_coordinator else "") + ("A" if user.is_adviser else "")
    flags += ("a" if advises_school(user, school) else "") + ("L" if is_flywheel_lead(user, school) else "")
    # Whether they advise the school's network (advises_network, by id: no need to load the network).
    flags += "n" if user.is_adviser and school.network_id is not None and any(
        a.network_id == school.network_id for a in user.adviser_assignments) else ""
    return f"{roles}|{flags}"


def personal(user) -> str:
    """The viewer's key for a part that shows something of their own."""
    return f"u{user.id}"



# The schools a person coaches or belongs to (`:id`): a UNION rather than OR, so that each part reads
# its own index (OR read every school).
_PERSON_SCHOOLS = (
    "SELECT school_id FROM adviser_assignments WHERE adviser_id = {id} AND school_id IS NOT NULL "
    "UNION SELECT school_id FROM memberships WHERE user_id = {id} "
    "UNION SELECT s.id FROM schools s JOIN adviser_assignments a ON s.network_id = a.network_id "
    "WHERE a.adviser_id = {id}")
_PERSON_VERSIONS = text(f"SELECT COALESCE(SUM(cache_version), 0) || '.' || COUNT(*), {_PROGRAMMES} FROM schools "
                        f"WHERE id IN ({_PERSON_SCHOOLS.format(id=':id')})")


def person_versions_column():
    """The same sum and number, as a column of an adviser's own statement on their home
    (accounts/loading.py: load_page_numbers); nothing for anyone else."""
    return literal_column(f"CASE WHEN users.is_adviser THEN (SELECT COALESCE(SUM(cache_version), 0) || '.' || "
                          f"COUNT(*) FROM schools WHERE id IN ({_PERSON_SCHOOLS.format(id='users.id')})) END")


def person_versions(user_id: int) -> tuple:
    """An adviser's home shows every school they coach or belong to: the sum and number of those
    schools' versions, and the programmes'. A change in one of them raises the sum; an assignment
    or membership that comes or goes raises its school's version (or, for a network, the programme's)."""
    known = on_request("versions")
    key = ("person", user_id)
    if key not in known:
        schools, programmes = memo.loaded_with("person_versions", user_id), memo.loaded_with("programmes_version")
        if schools is None or programmes is None:
            schools, programmes = db.session.execute(_PERSON_VERSIONS, {"id": user_id}).one()
        known[key] = (schools, programmes)
    return known[key]


def network_version_column(param: str = "network_id"):
    """A learning network's version: the sum and number of its schools' versions ('12.3'), a column
    for the person's statement (the network's page, `param` its id) or the fast path's. A change in one
    of its schools raises the sum; a school that joins or leaves changes the number, so the network's
    list of schools never pairs with an older page whose sum happens to be the same."""
    school = school_class()
    return (select(cast(func.coalesce(func.sum(school.cache_version), 0), String) + literal_column("'.'")
                   + cast(func.count(), String))
            .where(school.network_id == bindparam(param)).scalar_subquery())


# Scopes ("name", id) of `keep_versions` whose state is one column, so a page kept under them can be
# served again before its view (fastpath.py): `column(param)` reads the state for the id bound to
# `param`; an own scope's id is the person's (any other id is not replayed) and its column is correlated
# with `users.id`. The column must give exactly the value the page kept its parts under.
REPLAYABLE: dict[str, tuple[Callable[[str], ColumnElement], bool]] = {}


def replayable(name: str, column: Callable[[str], ColumnElement], *, own: bool = False) -> None:
    REPLAYABLE[name] = (column, own)


replayable("person", lambda _param: person_versions_column(), own=True)  # an adviser's schools


def keep_versions(scope: tuple, state: str) -> None:
    """A page that computed what it shows in one value of its own (a person's notifications: their
    number and ids; a learning network: the sum and number of its schools' versions): its parts are kept
    under `scope`, that value and the programmes' version. With a column registered for it
    (`replayable`), the whole page is also served before its view (fastpath.py)."""
    programmes = memo.loaded_with("programmes_version")
    if programmes is None:
        programmes = db.session.execute(text(f"SELECT {_PROGRAMMES}")).scalar()
    on_request("versions")[scope] = (state, programmes)


_ALL_SCHOOLS = text("SELECT COALESCE(SUM(cache_version), 0) || '.' || COUNT(*) FROM schools")
PROGRAMME_WIDE = ("programme-wide", 0)


def programme_wide() -> tuple:
    """A page of the whole programme (the school list, the people): its parts are kept under the sum
    and number of all schools' versions and the programmes' version. Every change is traced to a school
    or to the programme (cacheversions.py), so any change anywhere shows on the next request; the
    sum is one statement (an index-only read of 5,000 rows: under a millisecond)."""
    if PROGRAMME_WIDE not in on_request("versions"):
        keep_versions(PROGRAMME_WIDE, str(db.session.execute(_ALL_SCHOOLS).scalar()))
    return PROGRAMME_WIDE



_TABLE_VERSIONS = text("SELECT table_name, version FROM school_table_versions WHERE school_id = :id")


def table_versions(school_id: int) -> dict[str, int]:
    """How often each kind of thing of the school has changed (cacheversions.py), read once per request."""
    known = on_request("table_versions")
    if school_id not in known:
        known[school_id] = {t: v for t, v in db.session.execute(_TABLE_VERSIONS, {"id": school_id})}
    return known[school_id]

