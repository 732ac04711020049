"""Evaluation moments that decide (figures from the app's records, frozen with the decision, signed by
director and adviser, one decision for two simultaneous submits on PostgreSQL), partner days, the
envelope spent per item, and the coordinator's reallocation of freed funds with its audit trail."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import PASSWORD
from tests.factories_intake import make_agreement
from tests.factories_tracking import CoachingSessionFactory
from tests.test_races import _post_at_once
from warmeveranderen.extensions import db
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance import services_funds
from warmeveranderen.governance.models_funds import Evaluation, EvaluationSignature, FundsEvent, Reallocation
from warmeveranderen.intake import services as intake_services
from warmeveranderen.intake.models import AgreementVersion, IntakeAgreement
from warmeveranderen.programme.models import School


def _evaluation_url(world, evaluation=None) -> str:
    base = f"/scholen/{world.school.id}/evaluatie"
    return f"{base}/{evaluation.id}" if evaluation else base


def _open(world, auth, day="2027-06-01") -> Evaluation:
    client = auth.client_for(world.users["adviser"])
    response = client.post_form(f"{_evaluation_url(world)}/openen", {"moment_on": day})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(db.select(Evaluation)).one()


def test_support_delivered_against_the_package(app, world):
    make_agreement(world, "active")  # started 1 September 2026, three years
    for day in (date(2026, 10, 1), date(2026, 12, 1), date(2027, 2, 1)):
        CoachingSessionFactory(kind="individual", school=world.school, network=world.school.network, held_on=day)
    CoachingSessionFactory(kind="individual", school=world.school, held_on=date(2027, 3, 1), cancelled=True)
    CoachingSessionFactory(kind="collective", network=world.school.network, school=None, held_on=date(2026, 11, 5))
    services_funds.add_partner_day(world.school, world.users["adviser"], partner="cego", kind="support",
                                   held_on=date(2027, 1, 10), days=Decimal("1"))
    db.session.commit()
    lines = {line.key: line for line in figures.support(world.school, date(2027, 9, 1))}
    assert (lines["individual"].agreed, lines["individual"].delivered) == (4, 3)  # one school year: 4 agreed
    assert lines["individual"].gap == 1
    assert (lines["collective"].agreed, lines["collective"].delivered) == (2, 1)  # 8 over three years
    assert (lines["cego"].agreed, lines["cego"].delivered) == (2, 1)
    assert lines["tenz_coaching"].gap == 2


def test_an_evaluation_that_adjusts_is_frozen_and_signed_by_both(app, world, auth):
    make_agreement(world, "active")
    adviser, director = auth.client_for(world.users["adviser"]), auth.client_for(world.users["director"])
    director.post_form(f"{_evaluation_url(world)}/uitgaven", {
        "spent_on": "2026-11-15", "description": "Tweedaagse vliegwiel", "own_amount": "600", "matched_amount": "600"})
    evaluation = _open(world, auth)
    url = _evaluation_url(world, evaluation)
    assert director.post_form(f"{url}/voorbereiding", {"ambitions_review": "Ambitie 2 loopt achter."}).status_code == 302
    page = adviser.get(url).get_data(as_text=True)
    assert "Ambitie 2 loopt achter." in page and "600" in page

    refused = adviser.post_form(f"{url}/beslissing", {"decision": "adjust", "next_on": "2027-12-01",
                                                      "password": PASSWORD})
    assert refused.status_code == 422 and "Schrijf wat er bijgestuurd wordt." in refused.get_data(as_text=True)
    response = adviser.post_form(f"{url}/beslissing", {
        "decision": "adjust", "adjustment": "Meer tijd voor het forum.", "next_on": "2027-12-01", "password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    evaluation = db.session.get(Evaluation, evaluation.id)
    assert evaluation.state == "decided" and evaluation.fingerprint == figures.fingerprint(evaluation)
    assert evaluation.snapshot["envelope"]["matched_spent"] == "600.00"
    assert evaluation.next_on == date(2027, 12, 1)
    # Frozen: the preparation no longer changes.
    assert director.post_form(f"{url}/voorbereiding", {"ambitions_review": "Anders"}).status_code == 422
    # The director signs what they read.
    assert director.post_form(f"{url}/ondertekenen", {"fingerprint": "0" * 64, "password": PASSWORD}).status_code == 422
    assert director.post_form(f"{url}/ondertekenen", {"fingerprint": evaluation.fingerprint,
                                                      "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    evaluation = db.session.get(Evaluation, evaluation.id)
    assert evaluation.state == "signed" and {s.role for s in evaluation.signatures} == {"adviser", "director"}
    # The next moment follows on the school's list.
    assert date(2027, 12, 1) in [d for d, _e in figures.moments(world.school)]
    page = director.get(_evaluation_url(world)).get_data(as_text=True)
    assert "Bijsturen" in page


def test_a_wrong_password_records_nothing(world, auth):
    make_agreement(world, "active")
    evaluation = _open(world, auth)
    response = auth.client_for(world.users["director"]).post_form(
        f"{_evaluation_url(world, evaluation)}/beslissing", {"decision": "continue", "next_on": "2027-12-01",
                                                            "password": "fout"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluation.id).state == "draft"


def _active_agreement(school, matched: Decimal) -> None:
    agreement = IntakeAgreement(school=school, state="active")
    AgreementVersion(agreement=agreement, number=1, state="active", price_per_year=Decimal("1200"),
                     matching_ratio=Decimal("1"), own_investment=matched, matched_amount=matched,
                     start_date=date(2026, 9, 1), duration_years=3, fingerprint="f" * 64)
    db.session.add(agreement)
    db.session.commit()


def test_the_coordinator_reallocates_freed_funds_with_a_reason(app, world, auth):
    make_agreement(world, "ended")  # matched 3000, ended: freed
    other = world.other_school
    _active_agreement(other, Decimal("1000"))
    assert figures.freed_funds(world.school) == Decimal("3000.00")
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get("/overleg/ondersteuning").get_data(as_text=True)
    assert world.school.name in page and "3.000" in page
    refused = coordinator.post_form("/overleg/ondersteuning/herverdelen", {
        "from_school_id": world.school.id, "to_school_id": other.id, "amount": "5000", "reason": "Snelheid"})
    assert refused.status_code == 422
    response = coordinator.post_form("/overleg/ondersteuning/herverdelen", {
        "from_school_id": world.school.id, "to_school_id": other.id, "amount": "1.000,00",
        "reason": "Andere School B neemt snelheid: extra coaching."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Reallocation)).one().amount == Decimal("1000.00")
    assert figures.envelope(db.session.get(School, other.id)).matched_available == Decimal("2000.00")
    assert figures.freed_funds(db.session.get(School, world.school.id)) == Decimal("2000.00")
    notes = [e.note for e in db.session.scalars(db.select(FundsEvent).where(FundsEvent.action == "reallocated"))]
    assert len(notes) == 2 and all("extra coaching" in n for n in notes)


def test_a_school_never_sees_another_schools_envelope(world, auth):
    make_agreement(world, "active")
    assert auth.client_for(world.users["outsider"]).get(_evaluation_url(world)).status_code == 403
    assert auth.client_for(world.users["flywheel"]).get(_evaluation_url(world)).status_code == 403


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")


def test_two_simultaneous_decisions_record_one(postgres, world, auth, monkeypatch):
    make_agreement(world, "active")
    evaluation = _open(world, auth)
    url = f"{_evaluation_url(world, evaluation)}/beslissing"
    barrier = threading.Barrier(2)
    real_check = services_funds._check

    def check(*args):
        real_check(*args)
        try:
            barrier.wait(5)  # both passed every check before either writes
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(services_funds, "_check", check)
    clients = [auth.client_for(world.users[key]) for key in ("director", "adviser")]
    posts = [(c, url, {"csrf_token": c.csrf_token(), "decision": d, "adjustment": "Anders", "next_on": "2027-12-01",
                       "password": PASSWORD}) for c, d in zip(clients, ("continue", "adjust"), strict=True)]
    responses = _post_at_once(posts)
    statuses = sorted(getattr(r, "status_code", r) for r in responses)
    assert statuses == [302, 422], statuses
    refused = next(r for r in responses if r.status_code == 422)
    assert "al een beslissing vastgelegd" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(EvaluationSignature.id))) == 1
    assert db.session.get(Evaluation, evaluation.id).state == "decided"


def test_ending_an_agreement_frees_its_funds(app, world):
    agreement = make_agreement(world, "active")
    assert figures.freed_funds(world.school) == 0
    intake_services.end_agreement(agreement, world.users["board"], date(2026, 12, 1), "Stop.")
    db.session.commit()
    assert figures.freed_funds(world.school) > 0


def test_a_signed_stop_ends_the_agreement_and_frees_the_funds(app, world, auth):
    make_agreement(world, "active")
    evaluation = _open(world, auth)
    url = _evaluation_url(world, evaluation)
    director, adviser = auth.client_for(world.users["director"]), auth.client_for(world.users["adviser"])
    assert director.post_form(f"{url}/beslissing", {"decision": "stop", "adjustment": "Te weinig draagvlak.",
                                                    "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    fingerprint = db.session.get(Evaluation, evaluation.id).fingerprint
    assert adviser.post_form(f"{url}/ondertekenen", {"fingerprint": fingerprint, "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    agreement = db.session.get(School, world.school.id)
    from warmeveranderen.intake.queries import agreement_for

    agreement = agreement_for(db.session.get(School, world.school.id))
    assert agreement.state == "ended" and agreement.ended_on == date(2027, 6, 1)
    assert "Te weinig draagvlak." in agreement.end_reason
    assert figures.freed_funds(agreement.school) == Decimal("3000.00")


def test_the_next_moment_decided_is_reminded_once(app, world, auth):
    from datetime import datetime

    from warmeveranderen.notifications.models import ReminderLog
    from warmeveranderen.notifications.sweep import sweep

    make_agreement(world, "active")
    evaluation = _open(world, auth)
    auth.client_for(world.users["director"]).post_form(
        f"{_evaluation_url(world, evaluation)}/beslissing",
        {"decision": "continue", "next_on": "2027-12-01", "password": PASSWORD})
    sweep(datetime(2027, 11, 10, 8))
    assert db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == "evaluation_next_moment")).all() == []
    sweep(datetime(2027, 11, 17, 8))
    sweep(datetime(2027, 11, 18, 8))
    logs = db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == "evaluation_next_moment")).all()
    assert sorted(r.recipient_id for r in logs) == sorted([world.users["director"].id, world.users["adviser"].id])


def test_the_progress_page_shows_the_evaluation_section_to_its_readers(world, auth):
    make_agreement(world, "active")
    url = f"/scholen/{world.school.id}/voortgang"
    assert "Evaluatie, ondersteuning en enveloppe" in auth.client_for(world.users["board"]).get(url).get_data(as_text=True)
    assert "Evaluatie, ondersteuning en enveloppe" not in auth.client_for(world.users["forum"]).get(url).get_data(
        as_text=True)
