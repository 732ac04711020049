"""Demo governance: the programme's four bodies and Gent's local steering group, with a steering group
meeting held six weeks ago (minutes, a decision, two actions: one overdue, so it returns on the next
agenda), and for GO! Lyceum Gent an evaluation in preparation, spending, a partner day; Sint-Laurens
(ended) leaves freed funds for the coordinator to reallocate. Figures are examples."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.governance import services, services_funds
from warmeveranderen.governance.models import Body
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import School, WarmCity
from warmeveranderen.timeutil import today, utcnow


def _user(local: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == demo_email(local)))


def load_governance_demo() -> None:
    """Safe to run twice: nothing is added once a body exists."""
    if db.session.scalar(db.select(Body.id).limit(1)) is not None:
        return
    with current_app.test_request_context():
        _load()


def _series(kind, name, first, unit, every, members, items, city_id=None, purpose=""):
    data = dict(kind=kind, name=name, city_id=city_id, purpose=purpose, cadence_unit=unit, cadence_every=every,
                first_meeting_on=first, meeting_time="14:00", duration_minutes=120, location="Brussel",
                standard_items=items, avoid_holidays=True)
    return services.create_body(data, [(u, role, rep) for u, role, rep in members if u is not None],
                                members[0][0])


def _load() -> None:
    coordinator, adviser = _user("coordinator"), _user("adviseur")
    director, lyceum = _user("directeur"), _user("directie.lyceum")
    if coordinator is None or adviser is None:
        return
    day = today()
    steering = _series(
        "steering_group", "Stuurgroep Warme Scholen", day - timedelta(weeks=6), "weeks", 8,
        [(coordinator, "chair", "Programmacoördinatie"), (adviser, "secretary", "Team van adviseurs")],
        ["Goedkeuring vorig verslag", "Stand van de scholen en de lerende netwerken", "Middelen en enveloppes", "Varia"],
        purpose="Stelt het projectplan op en volgt het op in al zijn facetten (seed 003, §8.1).")
    _series("advisers_team", "Team van adviseurs", day + timedelta(days=3), "weeks", 2,
            [(adviser, "chair", ""), (coordinator, "member", "")],
            ["Scholen die vastlopen", "Intervisie", "Planning collectieve sessies"])
    _series("expertise_network", "Expertisenetwerk", day + timedelta(weeks=5), "months", 3,
            [(coordinator, "chair", ""), (adviser, "member", "")],
            ["Aanbodkorf: nieuwe infofiches", "Afspraken over documentatie en tools"],
            purpose="Deelname is vrijblijvend, engagementen zijn bindend (seed 003, §8.3).")
    _series("sounding_board", "Klankbordgroep", day + timedelta(weeks=10), "months", 6,
            [(coordinator, "chair", ""), (lyceum, "member", "Afgevaardigde lokale stuurgroep Gent")],
            ["Opleveringen van het project", "Disseminatie"])
    gent = db.session.scalar(db.select(WarmCity).where(WarmCity.name == "Gent"))
    if gent is not None:
        _series("city_steering_group", "Lokale stuurgroep Gent", day + timedelta(weeks=2), "weeks", 8,
                [(adviser, "chair", ""), (director, "member", ""), (lyceum, "member", "")],
                ["Stand van de Gentse scholen", "Varia"], city_id=gent.id)

    held = steering.meetings[0]
    # The series' first date may fall in a holiday and move to a school day still to come (the demo
    # loaded on the first day of a school year): then nothing has been held yet and there are no minutes.
    if held.starts_at <= utcnow():
        services.send_agenda(held, coordinator)
        services.record_minutes(
            held, adviser, attendance={coordinator.id: "present", adviser.id: "present"},
            summary="(Voorbeeld) De stuurgroep overliep de stand van de intakes en de eerste sprints.",
            decisions=["De klankbordgroep komt in het voorjaar samen rond de eerste opleveringen."],
            actions=[("Nota over de vrijgekomen middelen van Sint-Laurens", coordinator.id, day - timedelta(days=10)),
                     ("Uitnodiging klankbordgroep versturen", adviser.id, day + timedelta(weeks=3))],
            done_action_ids=[], shared=True)

    school = db.session.scalar(db.select(School).where(School.name == "GO! Lyceum Gent"))
    if school is None or lyceum is None:
        return
    services_funds.add_spend(school, lyceum, spent_on=date(2026, 10, 14), own_amount=Decimal("600"),
                             matched_amount=Decimal("600"), description="Voorbeeld: tweedaagse van vliegwiel en directie")
    services_funds.add_spend(school, lyceum, spent_on=date(2026, 11, 4), own_amount=Decimal("250"),
                             matched_amount=Decimal("0"), description="Voorbeeld: vervanging tijdens vliegwieloverleg")
    services_funds.add_partner_day(school, adviser, partner="cego", kind="support", held_on=date(2026, 11, 12),
                                   days=Decimal("1"), note="Voorbeeld: welbevinden in beeld")
    evaluation = services_funds.open_evaluation(school, date(2027, 6, 1))
    services_funds.save_preparation(evaluation, {
        "ambitions_review": "(Voorbeeld) Ambitie 1 (vaste teams per leergemeenschap) is gestart; ambitie 3 "
                            "(leerlingen mee aan tafel) nog niet.",
    })
