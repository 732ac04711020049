"""The intake agreement and the school's people rendered afresh (issue 24): the school's home and its
progress page read the agreement with its versions, moments, signatories, signatures and their people in
two statements, and the school's people with their names in one."""

import threading
import traceback
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.factories import PASSWORD
from tests.factories_intake import make_agreement
from warmeveranderen.extensions import db
from warmeveranderen.intake import queries, services


@contextmanager
def reads_from(*modules: str):
    """The statements issued by code in these modules (paths inside the package), on this thread."""
    found: list[str] = []
    thread = threading.get_ident()

    def record(_conn, _cursor, statement, *_args):
        if threading.get_ident() != thread:
            return
        frames = [f.filename.replace("\\", "/") for f in traceback.extract_stack()]
        if any(f"/warmeveranderen/{m}" in f for f in frames for m in modules):
            found.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _amendment_half_signed(world):
    """An agreement in force with an amendment that the board has signed: two versions, each with its
    moments, signatories (one the coordinator's slot) and signatures of people not logged in."""
    agreement = make_agreement(world, "active")
    amendment = services.start_amendment(agreement, world.users["director"])
    db.session.commit()
    services.mark_ready(amendment, world.users["director"])
    db.session.commit()
    services.sign(agreement, world.users["board"], PASSWORD, amendment.fingerprint)
    db.session.commit()
    return agreement


@pytest.mark.parametrize("page, text", [("", "Nog te tekenen door"), ("/voortgang", "Evaluatiemomenten")])
def test_the_agreement_and_the_people_are_read_in_four_statements(auth, world, monkeypatch, page, text):
    _amendment_half_signed(world)
    client = auth.client_for(world.users["director"])
    monkeypatch.setitem(client.application.config, "PART_CACHE_SECONDS", 0)
    url = f"/scholen/{world.school.id}{page}"
    client.get(url)
    with reads_from("intake/", "programme/services.py") as statements:
        response = client.get(url)
    assert response.status_code == 200 and text in response.get_data(as_text=True)
    intake = [s for s in statements if "intake_" in s]
    people = [s for s in statements if "FROM memberships JOIN users" in s]
    # The agreement with its versions and moments; the signatories, then the signatures, with their people.
    assert len(intake) == 3, intake
    assert intake[0].startswith("SELECT intake_agreements.") and "intake_evaluation_moments" in intake[0]
    assert sorted(s.split(".", 1)[0] for s in intake[1:]) == ["SELECT intake_signatories", "SELECT intake_signatures"]
    assert all(" JOIN users" in s for s in intake[1:]), intake
    assert not [s for s in statements if " FROM users " in s], statements  # no people read on their own
    assert len(people) <= 1 and len(statements) == len(intake) + len(people), statements


def test_the_agreement_reads_what_it_read_before(world):
    """Versions in order, their moments by date, the slots by id, the signatures by time, with people."""
    agreement = _amendment_half_signed(world)
    db.session.expire_all()
    assert world.school.id  # (the school read again before counting)
    with reads_from("intake/") as statements:
        agreement = queries.agreement_for(world.school)
        seen = [(v.number, v.state, [m.on_date for m in v.evaluation_moments],
                 [(s.role, s.user.name if s.user else None) for s in v.signatories],
                 [(s.role, s.user.name, s.signatory.role) for s in v.signatures]) for v in agreement.versions]
    assert len(statements) == 3, statements
    moments = [m.on_date for m in agreement.versions[0].evaluation_moments]
    assert moments == sorted(moments) and len(moments) == 3
    users = world.users
    slots = [("coordinator", None), ("board", users["board"].name), ("director", users["director"].name)]
    assert [(n, state, slots_) for n, state, _m, slots_, _s in seen] == [(1, "active", slots), (2, "ready", slots)]
    assert [s for *_, s in seen] == [
        [("director", users["director"].name, "director"), ("board", users["board"].name, "board"),
         ("coordinator", users["coordinator"].name, "coordinator")],
        [("board", users["board"].name, "board")],
    ]
    # Read again in the same session: the same objects, in as many statements.
    with reads_from("intake/") as again:
        assert queries.agreement_for(world.school) is agreement
    assert len(again) == 3, again
