"""One transaction rule: services change state and flush, the request (or the job) commits once.

- A request that may write (POST and the like) is one unit of work: after the view returns, it is
  committed once if the response is a success or a redirect (status below 400) and nothing refused
  it; otherwise it is rolled back. A `ServiceError` raised anywhere in the request refuses it, even
  when the view catches it to show its message, so a refusal never leaves half a change behind.
- A GET (or HEAD, OPTIONS) never writes: whatever it left in the session is rolled back, and with
  `STRICT_UNIT_OF_WORK` (on in the tests) it is an error, as is a request that commits twice.
- Services and hooks never commit. A job commits with `job_unit()` once, at its end.

Exceptions, each with its reason next to it: the reminder sweep commits each email's outcome as it
is sent (exactly-once delivery needs the record before the next message goes out).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, render_template, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from warmeveranderen.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ServiceError(Exception):
    """A domain refusal with a Dutch message for the person (every feature's error derives from it).

    Raising it spoils the request's unit of work: the request is rolled back whatever the view does.
    """

    def __init__(self, *args) -> None:
        super().__init__(*args)
        if has_request_context():
            g.uow_refused = True


class UnitOfWorkError(RuntimeError):
    """A request broke the transaction rule (a GET that writes, or a second commit)."""


def refuse() -> None:
    """Roll this request back although it ends in a redirect (e.g. a refusal shown as a flash)."""
    g.uow_refused = True


def invalid(template: str, **context):
    """A form that failed validation: the same page with what the person typed, status 422."""
    refuse()
    return render_template(template, **context), 422


def form_page(template: str, form=None, *, failed: bool | None = None, **context):
    """A form's page: as asked (200), or again with what was typed when it failed (422, through `invalid`).

    `failed` defaults to whether `form` has errors (a field's, or the form's own); pass it when the
    view knows better (a POST that reached the page again, a file whose rows were refused, a preview
    that shows errors without refusing). `form` goes to the template as `form` when given.
    """
    if form is not None:
        context["form"] = form
    if failed is None:
        failed = form is not None and bool(form.errors)
    if failed:
        return invalid(template, **context)
    return render_template(template, **context), 200


def _wrote(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted) or session.info.get("flushed", False)


def _after_flush(session: Session, _context) -> None:
    session.info["flushed"] = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT was released (SQLAlchemy reports it as a commit); the transaction goes on
    session.info["flushed"] = False
    if has_request_context():
        g.uow_commits = g.get("uow_commits", 0) + 1


def _after_soft_rollback(session: Session, previous) -> None:
    if not previous.nested:  # after ROLLBACK TO SAVEPOINT, what was written before it still stands
        session.info["flushed"] = False


def _strict() -> bool:
    return bool(current_app.config.get("STRICT_UNIT_OF_WORK"))


def _finish(response):
    """Commit the request's one unit of work, or roll it back."""
    session = db.session
    if request.method in SAFE_METHODS:
        commits = g.get("uow_commits", 0)
        wrote = _wrote(session)
        session.rollback()
        session.info.pop(READ_ONLY, None)
        if _strict() and (commits or wrote):
            raise UnitOfWorkError(f"{request.method} {request.path} wrote to the database ({commits} commits)")
        return response
    if response.status_code >= 400 or g.get("uow_refused"):
        session.rollback()
        return response
    session.commit()
    if _strict() and g.get("uow_commits", 0) > 1:
        raise UnitOfWorkError(f"{request.method} {request.path} committed {g.uow_commits} times")
    return response


@contextmanager
def job_unit() -> Iterator[None]:
    """A scheduled job or command as one unit of work: commit at the end, roll back on an error."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


READ_ONLY = "wv_read_only"


def _start() -> None:
    """A GET on PostgreSQL reads in autocommit: no BEGIN before its first statement and no ROLLBACK
    after its last, two round trips of the three to five a cached page makes. Under READ COMMITTED
    (PostgreSQL's default) each statement of a transaction sees what was committed before it
    anyway, so the page reads what it would have read. A write is refused before it reaches the
    database (`_refuse_writes`): in autocommit it would be committed at once."""
    session = db.session()
    if (request.method in SAFE_METHODS and request.endpoint != "static" and current_app.config["READ_AUTOCOMMIT"]
            and not session.in_transaction() and db.engine.dialect.name == "postgresql"):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        session.info[READ_ONLY] = True
    else:
        session.info.pop(READ_ONLY, None)


def _refuse_writes(session: Session, *_args) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.deleted
                                        or any(session.is_modified(obj) for obj in session.dirty)):
        raise UnitOfWorkError(f"{request.method} {request.path} wrote to the database (refused before it was sent)")


def _refuse_statements(state) -> None:
    if state.session.info.get(READ_ONLY) and (state.is_update or state.is_delete or state.is_insert):
        raise UnitOfWorkError(f"{request.method} {request.path} wrote to the database (refused before it was sent)")


def init_app(app: Flask) -> None:
    # First of all: before the login check loads the person.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    # Session-class events: listen once per process, however many apps are created (tests make many).
    for name, listener in (("after_flush", _after_flush), ("after_commit", _after_commit),
                           ("after_soft_rollback", _after_soft_rollback), ("before_flush", _refuse_writes),
                           ("do_orm_execute", _refuse_statements)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
