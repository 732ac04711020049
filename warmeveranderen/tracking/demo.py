"""Demo data for the follow-up: advisers for every network, ratings that follow the impact report's
distributions, a few sessions, milestones and well-being counts. The demo school has no ratings yet."""

from __future__ import annotations

import random
from datetime import date, timedelta

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, School
from warmeveranderen.tracking.defaults import REPORT_DISTRIBUTION
from warmeveranderen.tracking.models import (
    LEVEL_CODES,
    CoachingSession,
    IndicatorRating,
    Milestone,
    WellbeingMeasurement,
)
from warmeveranderen.tracking.services import indicators
from warmeveranderen.tracking.windows import school_year

# The report gives no figures for indicators 7 and 8; these are plausible, lower shares.
DISTRIBUTION = {**REPORT_DISTRIBUTION, 7: (40, 35, 15, 10), 8: (19, 34, 28, 19)}

# (email local part, name, networks they coach)
DEMO_ADVISERS = [
    ("ann.adviseur", "Ann Van den Broeck", ["Lerend netwerk Gent 2", "Lerend netwerk gevorderden"]),
    ("bart.adviseur", "Bart Peeters", ["Lerend netwerk Leuven-Genk", "Lerend netwerk Brugge 1",
                                      "Lerend netwerk Kortrijk Brugge"]),
    ("hilde.adviseur", "Hilde Janssens", ["Lerend netwerk Turnhout mix", "Lerend netwerk Turnhout Heilig Graf",
                                         "Lerend netwerk Zwevegem"]),
]
LAST_YEAR_RATING = date(2026, 6, 26)
PREVIOUS_RATING = date(2025, 6, 27)


def _spread(percentages: tuple[int, ...], n: int) -> list[int]:
    """Whole numbers of schools per level that follow the percentages (largest remainder)."""
    raw = [p * n / sum(percentages) for p in percentages]
    counts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: n - sum(counts)]:
        counts[i] += 1
    return counts


def load_tracking_demo(demo_school: School) -> None:
    """Safe to run twice: does nothing when the demo already has sessions or ratings."""
    if db.session.scalar(db.select(CoachingSession.id).limit(1)) is not None:
        return
    if db.session.scalar(db.select(IndicatorRating.id).limit(1)) is not None:
        return

    password = current_app.config["DEMO_PASSWORD"]
    networks = {n.name: n for n in db.session.scalars(db.select(LearningNetwork))}
    adviser_of: dict[int, User] = {}
    demo_adviser = db.session.scalar(db.select(User).where(User.email == demo_email("adviseur")))
    if demo_school.network_id is not None and demo_adviser is not None:
        adviser_of[demo_school.network_id] = demo_adviser
    for local, name, network_names in DEMO_ADVISERS:
        email = demo_email(local)
        user = db.session.scalar(db.select(User).where(User.email == email)) or create_user(
            email, name, password, is_adviser=True
        )
        for network_name in network_names:
            network = networks.get(network_name)
            if network is None:
                continue
            adviser_of[network.id] = user
            if not any(a.network_id == network.id for a in user.adviser_assignments):
                db.session.add(AdviserAssignment(adviser=user, network=network))
    schools = db.session.scalars(db.select(School).order_by(School.name)).all()
    others = [s for s in schools if s.id != demo_school.id]
    _ratings(others, adviser_of)
    _sessions(demo_school, schools, networks, adviser_of)
    _milestones(demo_school, others)
    _wellbeing(others)
    db.session.flush()


def _ratings(schools: list[School], adviser_of: dict) -> None:
    # Most schools, not all: a few have not been rated yet (they show "nog geen score").
    rated = [s for i, s in enumerate(schools) if i % 12 != 5]
    for definition in indicators():
        levels = []
        for code, count in zip(LEVEL_CODES, _spread(DISTRIBUTION[definition.number], len(rated)), strict=True):
            levels += [code] * count
        random.Random(definition.number).shuffle(levels)
        for school, level in zip(rated, levels, strict=True):
            adviser = adviser_of.get(school.network_id)
            previous = LEVEL_CODES[min(LEVEL_CODES.index(level) + 1, len(LEVEL_CODES) - 1)]
            db.session.add(IndicatorRating(
                school=school, indicator=definition, measured_on=PREVIOUS_RATING,
                school_year=school_year(PREVIOUS_RATING), level=previous, rated_by=adviser,
            ))
            db.session.add(IndicatorRating(
                school=school, indicator=definition, measured_on=LAST_YEAR_RATING,
                school_year=school_year(LAST_YEAR_RATING), level=level, rated_by=adviser,
                remark="Beoordeeld op het evaluatiemoment van juni." if level == "realised" else "",
            ))


def _sessions(demo_school: School, schools: list[School], networks: dict, adviser_of: dict) -> None:
    adviser = adviser_of.get(demo_school.network_id)
    network = demo_school.network
    demo = [
        CoachingSession(
            kind="collective", network=network, held_on=date(2026, 9, 29), duration_minutes=150,
            participants="trekkers en directies van vijf scholen (12)",
            summary="Netwerkdag: hoe kies je een sprintdoel dat iedereen begrijpt?",
            notes="## Verloop\n- Ronde: waar staat elke school?\n- Oefening sprintdoel *SMART* maken\n\n"
                  "**Opvolgen:** twee scholen hebben nog geen trekker.",
        ),
        CoachingSession(
            kind="collective", network=network, held_on=date(2026, 12, 8), duration_minutes=150,
            participants="trekkers en directies", summary="Gepland: het eerste forum voorbereiden.",
        ),
        CoachingSession(
            kind="individual", school=demo_school, network=network, held_on=date(2026, 10, 6),
            duration_minutes=90, participants="vliegwiel (5), directie (1)",
            summary="Eerste vliegwielvergadering begeleid: rollen en cadans afgesproken.",
            notes="De directeur neemt nog te veel het woord; volgende keer de trekker laten voorzitten.",
        ),
        CoachingSession(
            kind="individual", school=demo_school, network=network, held_on=date(2026, 11, 10),
            duration_minutes=60, participants="trekker (1), directie (1)",
            summary="Afstemming met het besturend team voor de start van sprint 1.",
            notes="Sprintdoel nog te breed. Voorstel: focus op onthaal in de eerste graad.",
        ),
    ]
    for session in demo:
        session.advisers = [adviser] if adviser else []
        db.session.add(session)
    # Last school year in every network: two collective sessions and a few individual ones per school.
    start = date(2025, 9, 15)
    for i, network in enumerate(sorted(networks.values(), key=lambda n: n.name)):
        for k in range(2):
            db.session.add(CoachingSession(
                kind="collective", network=network, held_on=start + timedelta(days=7 * i + 120 * k),
                duration_minutes=150, participants="trekkers en directies", summary="Netwerkdag.",
                advisers=[adviser_of[network.id]] if network.id in adviser_of else [],
            ))
    for i, school in enumerate(schools):
        if school.id == demo_school.id:
            continue
        for k in range(1 + i % 4):
            db.session.add(CoachingSession(
                kind="individual", school=school, network=school.network,
                held_on=start + timedelta(days=10 + (i % 9) + 56 * k), duration_minutes=90,
                participants="vliegwiel", summary="Begeleiding van het vliegwiel.",
                advisers=[adviser_of[school.network_id]] if school.network_id in adviser_of else [],
            ))


def _milestones(demo_school: School, others: list[School]) -> None:
    for kind, day in [("intake", date(2026, 9, 8)), ("staff_kickoff", date(2026, 9, 22)),
                      ("flywheel_composed", date(2026, 10, 13))]:
        db.session.add(Milestone(school=demo_school, kind=kind, happened_on=day))
    for school in others[:12]:
        for kind, day in [("intake", date(2024, 9, 10)), ("staff_kickoff", date(2024, 9, 24)),
                          ("flywheel_composed", date(2024, 10, 15)), ("seminar", date(2024, 11, 14)),
                          ("stakeholder_kickoff", date(2025, 1, 20)), ("forum_composed", date(2025, 2, 28)),
                          ("prototype_presented", date(2025, 6, 12)), ("evaluation", date(2025, 6, 26))]:
            db.session.add(Milestone(school=school, kind=kind, happened_on=day))


WELLBEING_GROUPS = {
    "GO! Lyceum Gent": ["Leergemeenschap eerste graad", "Leergemeenschap tweede graad", "5 Wetenschappen"],
    "De Passer": ["Klas Zon", "Klas Maan"],
    "Basisschool Het Kompas": ["3de leerjaar", "5de leerjaar"],
}


def _wellbeing(schools: list[School]) -> None:
    by_name = {s.name: s for s in schools}
    for name, groups in WELLBEING_GROUPS.items():
        school = by_name.get(name)
        if school is None:
            continue
        for g, group in enumerate(groups):
            # (year, moment, well-being counts 1..5, involvement counts 1..5): a modest rise pre -> post.
            for year, moment, wb, inv in [
                ("2025-2026", "pre", (1, 3, 8, 9, 3), (2, 4, 9, 7, 2)),
                ("2025-2026", "post", (0, 2, 6, 11, 5), (1, 3, 7, 10, 3)),
                ("2026-2027", "pre", (1, 2, 7, 11, 3), (1, 3, 8, 9, 3)),
            ]:
                shift = g % 2
                row = WellbeingMeasurement(school=school, school_year=year, moment=moment, group_name=group)
                for n in range(5):
                    setattr(row, f"wellbeing_{n + 1}", wb[n] + (shift if n == 2 else 0))
                    setattr(row, f"involvement_{n + 1}", inv[n] + (shift if n == 3 else 0))
                db.session.add(row)
