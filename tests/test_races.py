"""Simultaneous submits: one decision per round, one open round per subject, signing activates once.

The concurrent tests send real requests from threads (each with its own client, hence its own app
context, session and database connection) against PostgreSQL. A barrier inside a subject hook (or the
role check of signing) holds every request after its own checks and before its write, so without the
database guards all of them would pass the checks: the race happens every time, not by luck.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import PASSWORD
from tests.factories_forum import AdviceRoundFactory, DecisionFactory, ForumSessionFactory
from tests.factories_intake import make_agreement
from warmeveranderen.extensions import db
from warmeveranderen.forum import services as forum_services
from warmeveranderen.forum.models import AdviceRound, Decision
from warmeveranderen.forum.subjects import register_subject, unregister_subject
from warmeveranderen.intake import services as intake_services
from warmeveranderen.intake.models import AgreementVersion, Signature
from warmeveranderen.timeutil import utcnow

ONE_DECISION = "Intussen heeft iemand anders een besluit over deze adviesronde geregistreerd."
ONE_OPEN_ROUND = "Over dit onderwerp loopt al een adviesronde zonder besluit."
POSTGRES_ONLY = "runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)"


class Subject:
    def __init__(self, id, school_id, owner_id):
        self.id, self.school_id, self.owner_id = id, school_id, owner_id


@pytest.fixture
def hooks():
    """Hooks of the test subject kind, replaceable per test (e.g. a barrier)."""
    return {"before_write": lambda: None}


@pytest.fixture
def subject(world, hooks):
    """A registered subject kind with one subject of world.school, owned by the flywheel lead."""
    from warmeveranderen.accounts.models import User
    from warmeveranderen.programme.models import School

    item = Subject(5, world.school.id, world.users["flywheel_lead"].id)
    register_subject(
        "race_subject", label="Racetest", loader={5: item}.get,
        school=lambda s: db.session.get(School, s.school_id),
        title=lambda s: "Racetest-onderwerp", url=lambda s: "/",
        owner_users=lambda s: [db.session.get(User, s.owner_id)],
        candidates=lambda school: [item] if school.id == world.school.id else [],
        # open_round calls can_open after its checks, decide calls building_blocks after its checks.
        can_open=lambda s: hooks["before_write"]() or None,
        building_blocks=lambda s: hooks["before_write"]() or [],
    )
    yield item
    unregister_subject("race_subject")


def _closed_round(world) -> AdviceRound:
    r = AdviceRoundFactory(school=world.school, subject_kind="race_subject", subject_id=5,
                           deadline=utcnow() - timedelta(minutes=1))
    db.session.commit()
    return r


def _decision_url(world, r) -> str:
    return f"/scholen/{world.school.id}/forum/rondes/{r.id}/besluit"


def _together(n: int, hooks: dict, timeout: float = 10) -> None:
    """Hold each request at the hook until n of them got there (or the timeout passed: a lock held one)."""
    barrier = threading.Barrier(n)

    def wait():
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass

    hooks["before_write"] = wait


def _post_at_once(posts) -> list:
    """Send the (client, url, data) posts from one thread each; return the responses in order."""
    results: list = [None] * len(posts)

    def run(i, client, url, data):
        try:
            results[i] = client.post(url, data=data)
        except Exception as exc:  # noqa: BLE001 - an exception in the request is the failure we look for
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip(POSTGRES_ONLY)


# --- on both databases ---------------------------------------------------------------------------


def test_second_decision_is_refused_by_the_database_with_a_dutch_message(auth, world, subject, monkeypatch):
    r = _closed_round(world)
    lead = auth.client_for(world.users["flywheel_lead"])
    assert lead.post_form(_decision_url(world, r), {"outcome": "adopt", "reasons": "We doen het."}).status_code == 302
    # The second submit read the round before the first was saved: its own check sees no decision.
    monkeypatch.setattr(AdviceRound, "current_decision", property(lambda self: None))
    response = lead.post_form(_decision_url(world, r), {"outcome": "drop", "reasons": "Toch niet."})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert ONE_DECISION in html and "Toch niet." in html  # the message, with what was typed kept
    assert [d.outcome for d in db.session.scalars(db.select(Decision))] == ["adopt"]


def test_a_correction_is_still_recorded(world, subject, app):
    r = _closed_round(world)
    with app.test_request_context():
        first = forum_services.decide(r, world.users["flywheel_lead"], "adopt", "Ja.")
        correction = forum_services.decide(r, world.users["flywheel_lead"], "drop", "Toch niet.", corrects=first)
    db.session.commit()
    assert correction.corrects_id == first.id and r.current_decision.outcome == "drop"


def test_the_database_keeps_one_open_round_per_subject(world):
    AdviceRoundFactory(school=world.school, subject_kind="race_subject", subject_id=5)
    db.session.commit()
    with pytest.raises(IntegrityError):
        AdviceRoundFactory(school=world.school, subject_kind="race_subject", subject_id=5)
    db.session.rollback()
    # Once decided, the subject may be put to the forum again.
    decided = db.session.scalar(db.select(AdviceRound).where(AdviceRound.subject_kind == "race_subject"))
    DecisionFactory(round=decided)
    AdviceRoundFactory(school=world.school, subject_kind="race_subject", subject_id=5)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(AdviceRound.id))) == 2


def test_a_fully_signed_version_cannot_be_withdrawn(world, app):
    agreement = make_agreement(world, "awaiting")
    version = agreement.pending
    # The state a lost activation left behind: every signature, still "ready".
    for key in ("director", "board", "coordinator"):
        slot = intake_services.signatory_for(version, world.users[key])
        db.session.add(Signature(version=version, signatory=slot, user=world.users[key], role=slot.role,
                                 fingerprint=version.fingerprint))
    db.session.commit()
    with app.test_request_context(), pytest.raises(intake_services.IntakeError, match="door iedereen ondertekend"):
        intake_services.withdraw(version, world.users["adviser"])


# --- real concurrent requests on PostgreSQL ------------------------------------------------------------


def test_simultaneous_decisions_record_one(postgres, auth, world, subject, hooks):
    r = _closed_round(world)
    outcomes = ["adopt", "postpone", "drop"]
    clients = [auth.client_for(world.users["flywheel_lead"]) for _ in outcomes]
    posts = [(c, _decision_url(world, r), {"csrf_token": c.csrf_token(), "outcome": o, "reasons": f"Besluit {o}."})
             for c, o in zip(clients, outcomes, strict=True)]
    _together(len(posts), hooks)
    responses = _post_at_once(posts)
    statuses = sorted(getattr(resp, "status_code", resp) for resp in responses)
    assert statuses == [302, 422, 422], statuses
    assert all(ONE_DECISION in resp.get_data(as_text=True) for resp in responses if resp.status_code == 422)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 1


def test_simultaneous_open_round_posts_open_one(postgres, auth, world, subject, hooks):
    session = ForumSessionFactory(school=world.school)
    db.session.commit()
    clients = [auth.client_for(world.users["flywheel_lead"]) for _ in range(2)]
    data = {"subject": "race_subject:5", "question": "Wat vinden jullie ervan?",
            "deadline_day": (date.today() + timedelta(days=5)).isoformat(), "deadline_time": "20:00",
            "session_id": session.id}
    posts = [(c, f"/scholen/{world.school.id}/forum/rondes/nieuw", {**data, "csrf_token": c.csrf_token()})
             for c in clients]
    _together(len(posts), hooks)
    responses = _post_at_once(posts)
    statuses = sorted(getattr(resp, "status_code", resp) for resp in responses)
    assert statuses == [302, 422], statuses
    refused = next(resp for resp in responses if resp.status_code == 422)
    assert ONE_OPEN_ROUND in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(AdviceRound.id))) == 1


def test_the_last_two_simultaneous_signatures_activate_the_agreement(postgres, auth, world, monkeypatch):
    agreement = make_agreement(world, "awaiting")
    version_id = agreement.pending.id
    intake_services.sign(agreement, world.users["director"], PASSWORD, agreement.pending.fingerprint)
    db.session.commit()
    fingerprint = agreement.pending.fingerprint
    url = f"/scholen/{world.school.id}/intake/ondertekenen"
    clients = [auth.client_for(world.users[key]) for key in ("board", "coordinator")]
    posts = [(c, url, {"csrf_token": c.csrf_token(), "fingerprint": fingerprint, "password": PASSWORD, "agree": "y"})
             for c in clients]
    # Hold both after they read the signatures (without the lock each then misses the other's).
    hooks: dict = {}
    _together(2, hooks, timeout=3)
    real_holds_role = intake_services.holds_role

    def holds_role(*args):
        hooks["before_write"]()
        return real_holds_role(*args)

    monkeypatch.setattr(intake_services, "holds_role", holds_role)
    responses = _post_at_once(posts)
    assert [getattr(resp, "status_code", resp) for resp in responses] == [302, 302]
    db.session.expire_all()
    version = db.session.get(AgreementVersion, version_id)
    assert len(version.signatures) == 3
    assert version.state == "active" and version.agreement.state == "active"


# --- the migration ----------------------------------------------------------------------------------


def test_migration_chains_earlier_duplicate_decisions_as_corrections(tmp_path):
    """Rounds that the race gave several decisions keep the one in force (the latest) after 0010."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from warmeveranderen import create_app

    scratch = create_app({"TESTING": True, "SECRET_KEY": "x",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with scratch.app_context():
        upgrade(revision="0009_reminder_rules")
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            for round_id in (1, 2):
                conn.execute(text(
                    "INSERT INTO advice_rounds (id, school_id, subject_kind, subject_id, subject_title, question, "
                    "background, deadline, position, session_note, opened_at) VALUES (:id, 1, 'initiative', :id, "
                    "'t', 'q', '', '2026-01-01', 0, '', '2026-01-01')"), {"id": round_id})
            for id_, round_id, outcome, day in ((1, 1, "adopt", 1), (2, 1, "postpone", 2), (3, 1, "drop", 3),
                                                (4, 2, "adopt", 1)):
                conn.execute(text(
                    "INSERT INTO forum_decisions (id, round_id, school_id, outcome, reasons, decided_at, "
                    "subject_kind, subject_title) VALUES (:id, :r, 1, :o, 'x', :at, 'initiative', 't')"),
                    {"id": id_, "r": round_id, "o": outcome, "at": f"2026-02-0{day}"})
        upgrade()
        with db.engine.connect() as conn:
            chain = dict(conn.execute(text("SELECT id, corrects_id FROM forum_decisions")).all())
            decided = dict(conn.execute(text("SELECT id, decided FROM advice_rounds")).all())
        db.engine.dispose()
    assert chain == {1: None, 2: 1, 3: 2, 4: None}  # round 1: drop (the latest) stays in force
    assert decided == {1: 1, 2: 1}
