"""The write side of the part cache (pagecache.py): every unit of work that changes a school raises
that school's version, and one that changes what belongs to no school raises the programme's.

Whatever the request (or job) added, changed or removed is traced to its school: a `school_id`
column, or up its many-to-one parents (an advice to its round, a checklist item to its task), or,
not yet flushed, its `school` relationship. A school's own row, what belongs to no school (a
person's name, a city, an indicator's wording) and bulk statements raise the programme's version.
Personal marks and logs (UNCACHED_TABLES, a person's USER_HOUSEKEEPING columns) raise nothing. The
versions go up in `before_commit`, as the transaction's last statements; a rollback forgets them.

With the school's version go up the versions of the tables that changed in it (`school_table_versions`,
the object's own table: an advice raises its school's "advice"), so that a cached part is rendered
again only when a kind of thing it read changed (pagecache.py).
"""

from __future__ import annotations

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.orm import ORMExecuteState, RelationshipDirection, Session

SKIP = "wv_cache_version"  # an execution option: the version bump itself

# Tables whose rows no cached part shows: personal marks, logs and housekeeping.
UNCACHED_TABLES = frozenset({
    "notifications", "notification_preferences", "notification_settings", "login_attempts", "reminder_log",
    "scheduler_heartbeats", "api_tokens", "webhook_deliveries", "programme_audit", "sso_identities",
    "account_erasures", "school_table_versions",
})
# A person's columns that no part shows (their sessions, password, language: the locale is in the key).
USER_HOUSEKEEPING = frozenset({"session_token", "session_version", "password_hash", "locale", "uses_sso"})

TOUCHED_SCHOOLS = "wv_touched_schools"
TOUCHED_PROGRAMME = "wv_touched_programme"
TOUCHED_TABLES = "wv_touched_tables"
GONE_SCHOOLS = "wv_gone_schools"  # removed in this unit of work: no table versions to raise
# (school, table) pairs per statement: two bound values each, far below SQLite's and PostgreSQL's limits.
RAISE_AT_ONCE = 500


def _parent(session: Session, obj, relationship):
    """The object a many-to-one relationship points at, from the loaded value or its foreign key."""
    state = inspect(obj)
    if relationship.key in state.dict:
        return state.dict[relationship.key]
    mapper = state.mapper
    ident = []
    for local, _remote in relationship.local_remote_pairs:
        try:
            key = mapper.get_property_by_column(local).key
        except Exception:
            return None
        value = getattr(obj, key, None)
        if value is None:
            return None
        ident.append(value)
    with session.no_autoflush:
        return session.get(relationship.mapper.class_, ident[0] if len(ident) == 1 else tuple(ident))


def schools_of(session: Session, obj, depth: int = 0) -> set[int] | None:
    """The schools an object belongs to, or None when it belongs to none (the programme)."""
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table.name
    if table == "schools":
        return {obj.id} if obj.id is not None else None
    if "school_id" in mapper.columns:
        history = state.attrs.school_id.history
        # The column's value (read again if the object expired at an earlier commit), and what it was
        # before a change in this unit of work (moved from one school to another: both change).
        found = {value for value in (getattr(obj, "school_id", None), *history.deleted) if value is not None}
        if found:
            return found
        # Not flushed yet: the school was given as an object (`Initiative(school=school)`); found below.
    if depth >= 4:
        return None
    for relationship in mapper.relationships:
        if relationship.direction is not RelationshipDirection.MANYTOONE:
            continue
        target = relationship.mapper.local_table.name
        if target in ("users", "programmes"):
            continue  # the author of an advice belongs to many schools: look for the thing itself
        parent = _parent(session, obj, relationship)
        if parent is not None:
            found = schools_of(session, parent, depth + 1)
            if found:
                return found
    return None


def _user_change_matters(obj) -> bool:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in USER_HOUSEKEEPING:
            continue
        if state.attrs[attr.key].history.has_changes():
            return True
    return False


def _note(session: Session, obj) -> None:
    mapper = inspect(obj).mapper
    table = mapper.local_table.name
    if table in UNCACHED_TABLES:
        return
    if table == "users" and obj not in session.new and obj not in session.deleted and not _user_change_matters(obj):
        return
    found = schools_of(session, obj)
    if table == "schools":
        session.info[TOUCHED_PROGRAMME] = True  # a school's name or place shows in lists of schools
        if obj in session.deleted:
            session.info.setdefault(GONE_SCHOOLS, set()).add(obj.id)
    if found:
        session.info.setdefault(TOUCHED_SCHOOLS, set()).update(found)
        session.info.setdefault(TOUCHED_TABLES, set()).update((school, table) for school in found)
    else:
        session.info[TOUCHED_PROGRAMME] = True


def pending(session: Session) -> bool:
    """The session holds changes whose versions are not raised yet (added, changed or removed objects,
    or flushed ones until the commit)."""
    info = session.info
    return bool(session.new or session.deleted or session.dirty or info.get(TOUCHED_SCHOOLS)
                or info.get(TOUCHED_PROGRAMME) or info.get(TOUCHED_TABLES))


def _association_changed(obj) -> bool:
    """A many-to-many collection changed (an adviser added to a session): rows of an association
    table, which has no objects of its own to notice."""
    state = inspect(obj)
    return any(relationship.secondary is not None and state.attrs[relationship.key].history.has_changes()
               for relationship in state.mapper.relationships)


def before_flush(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.deleted):
        _note(session, obj)
    for obj in list(session.dirty):
        if session.is_modified(obj, include_collections=False) or _association_changed(obj):
            _note(session, obj)


def on_execute(state: ORMExecuteState) -> None:
    """A bulk INSERT, UPDATE or DELETE through the session: traced no further than its table."""
    if state.execution_options.get(SKIP) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in UNCACHED_TABLES:
        return
    state.session.info[TOUCHED_PROGRAMME] = True


def before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    schools = session.info.pop(TOUCHED_SCHOOLS, None)
    programme = session.info.pop(TOUCHED_PROGRAMME, None)
    gone = session.info.pop(GONE_SCHOOLS, set())
    tables = {pair for pair in session.info.pop(TOUCHED_TABLES, ()) if pair[0] not in gone}
    # Last statements of the transaction, in id order: the row locks they take are held only
    # while the transaction commits, and two units of work take them in the same order.
    if schools:
        session.execute(text("UPDATE schools SET cache_version = cache_version + 1 WHERE id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)), {"ids": sorted(schools)},
                        execution_options={SKIP: True})
    ordered = sorted(tables)
    for start in range(0, len(ordered), RAISE_AT_ONCE):  # one statement, or a few for a bulk change
        chunk = ordered[start:start + RAISE_AT_ONCE]
        session.execute(_raise_tables(len(chunk)), {f"{k}{n}": v for n, pair in enumerate(chunk)
                                                    for k, v in zip("st", pair, strict=True)},
                        execution_options={SKIP: True})
    if programme:
        session.execute(text("UPDATE programmes SET cache_version = cache_version + 1"),
                        execution_options={SKIP: True})


def _raise_tables(count: int):
    """One statement for all (school, table) pairs: a row per pair, made at 1 or raised by 1 (the same
    INSERT ... ON CONFLICT in SQLite and PostgreSQL)."""
    values = ", ".join(f"(:s{n}, :t{n}, 1)" for n in range(count))
    return text(f"INSERT INTO school_table_versions (school_id, table_name, version) VALUES {values} "
                "ON CONFLICT (school_id, table_name) DO UPDATE SET version = school_table_versions.version + 1")


def forget(session: Session, *_args) -> None:
    session.info.pop(TOUCHED_SCHOOLS, None)
    session.info.pop(TOUCHED_PROGRAMME, None)
    session.info.pop(TOUCHED_TABLES, None)
    session.info.pop(GONE_SCHOOLS, None)
