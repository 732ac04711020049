"""Asking the database only for reminders the send log does not hold yet (an anti-join).

A rule's date window keeps returning the reminders it already sent for as long as they stay
relevant (a sprint starting within a week is "due" on each of those seven days). Reading those
objects and their people every few minutes and filtering them in Python made the routine sweep
cost what the windows hold. A rule that builds its candidates in SQL instead adds

    unsent(rule, object_key, recipient_id, occurrence)

to its WHERE clause: a NOT EXISTS on the send log's unique key (rule, object_key, recipient_id,
occurrence), probed per candidate through that key's index, so the rows that come back are only
what is new. The key and occurrence are SQL expressions that must produce exactly the text the
rule puts into its Due (see `key_text`, `iso_day`, `utc_minute` and `local_minute`); if they ever
differ, nothing is sent twice (the sweep's own send-log check and the unique key stay the
guarantee of exactly once), the rule merely renders the same reminders again on each sweep, which
the tests' quiet-sweep checks catch.

`school_people(...)` and `school_advisers()` are the rules' usual recipients as (school_id,
user_id) relations to join; `ACTIVE` are the conditions on the joined User.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlalchemy import String, cast, event, literal, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import ReminderLog
from warmeveranderen.programme.models import AdviserAssignment, Membership, School
from warmeveranderen.timeutil import to_local

# The people a rule may remind: an active account that was taken up (as members_by_school).
ACTIVE = (User.active.is_(True), User.has_joined)


def unsent(rule: str, object_key, recipient_id, occurrence):
    """SQL condition: the send log holds no row for (rule, object_key, recipient_id, occurrence)."""
    return ~(
        db.select(ReminderLog.id)
        .where(ReminderLog.rule == rule, ReminderLog.object_key == object_key,
               ReminderLog.recipient_id == recipient_id, ReminderLog.occurrence == occurrence)
        .exists()
    )


def key_text(prefix: str, value):
    """SQL text `prefix` followed by the value, like the f-string f"{prefix}{value}" for an id or a text."""
    return literal(prefix, String) + (value if isinstance(value.type, String) else cast(value, String))


class iso_day(FunctionElement):  # noqa: N801 - used like a SQL function
    """A DATE as 'YYYY-MM-DD' text (what str(date) gives)."""

    type = String()
    inherit_cache = True


@compiles(iso_day)
def _iso_day(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(iso_day, "postgresql")
def _iso_day_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


class utc_minute(FunctionElement):  # noqa: N801
    """A naive-UTC TIMESTAMP as 'YYYY-MM-DDTHH:MM' text (f"{value:%Y-%m-%dT%H:%M}")."""

    type = String()
    inherit_cache = True


@compiles(utc_minute)
def _utc_minute(element, compiler, **kw):
    # SQLite's paramstyle is qmark: a % in the statement needs no escaping.
    return f"strftime('%Y-%m-%dT%H:%M', {compiler.process(element.clauses, **kw)})"


@compiles(utc_minute, "postgresql")
def _utc_minute_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD\"T\"HH24:MI')"


class local_minute(FunctionElement):  # noqa: N801
    """A naive-UTC TIMESTAMP as Brussels time, 'YYYY-MM-DDTHH:MM' text (forum/jobs.py's _occurrence)."""

    type = String()
    inherit_cache = True


@compiles(local_minute)
def _local_minute(element, compiler, **kw):
    # SQLite knows no time zones: the function below is registered on every SQLite connection.
    return f"wv_local_minute({compiler.process(element.clauses, **kw)})"


@compiles(local_minute, "postgresql")
def _local_minute_pg(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return f"to_char(({value} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD\"T\"HH24:MI')"


def _sqlite_local_minute(value: str | None) -> str | None:
    if value is None:
        return None
    return to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%dT%H:%M")


@event.listens_for(Engine, "connect")
def _register_sqlite_functions(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("wv_local_minute", 1, _sqlite_local_minute, deterministic=True)


def school_people(*roles: str, lead_only: bool = False):
    """(school_id, user_id) of the people holding one of `roles` in a school (flywheel leads only if asked)."""
    query = db.select(Membership.school_id.label("school_id"), Membership.user_id.label("user_id")).where(
        Membership.role.in_(roles))
    if lead_only:
        query = query.where(Membership.is_lead.is_(True))
    return query.subquery()


def school_advisers():
    """(school_id, user_id) of the advisers assigned to a school or to its learning network (as advisers_by_school)."""
    direct = db.select(AdviserAssignment.school_id.label("school_id"), AdviserAssignment.adviser_id.label("user_id")
                       ).where(AdviserAssignment.school_id.is_not(None))
    network = (
        db.select(School.id.label("school_id"), AdviserAssignment.adviser_id.label("user_id"))
        .join(AdviserAssignment, AdviserAssignment.network_id == School.network_id)
    )
    return union_all(direct, network).subquery()


def distinct_rows(rows, *columns: str):
    """The rows without repeats of the same (columns...) (a person reached through two roles)."""
    seen = set()
    for row in rows:
        key = tuple(getattr(row, c) for c in columns)
        if key not in seen:
            seen.add(key)
            yield row

