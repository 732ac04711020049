"""Demo data for the follow-up: advisers for every network, ratings that follow the impact report's
distributions (only for the seven indicators it gives figures for), the report's 2017-2020 session counts
as sessions on example dates, the demo school's own sessions, milestones and well-being counts. The demo
school has no ratings yet."""

from __future__ import annotations

import random
from datetime import date, timedelta

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, School
from warmeveranderen.programme.structure import DATA_DIR, read_rows
from warmeveranderen.timeutil import today
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

# (email local part, name, networks they coach)
DEMO_ADVISERS = [
    ("ann.adviseur", "Ann Van den Broeck", ["Lerend netwerk Gent 2", "Lerend netwerk gevorderden"]),
    ("bart.adviseur", "Bart Peeters", ["Lerend netwerk Leuven-Genk", "Lerend netwerk Brugge 1",
                                      "Lerend netwerk Kortrijk Brugge"]),
    ("hilde.adviseur", "Hilde Janssens", ["Lerend netwerk Turnhout mix", "Lerend netwerk Turnhout Heilig Graf",
                                         "Lerend netwerk Zwevegem"]),
]
LAST_YEAR_RATING = date(2026, 6, 26)
# How much a school's levels may differ between indicators around its maturity (0..1): a little.
DEMO_JITTER = 0.12
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
    _sessions(demo_school, adviser_of)
    _history(networks)
    _milestones(demo_school, others)
    _wellbeing(others)
    _demo_school_screening(demo_school)
    db.session.flush()


def _ratings(schools: list[School], adviser_of: dict) -> None:
    """Each indicator follows the report's distribution, and the levels are plausible per school: every school
    has one example maturity (how far its journey is), so a school far along is far along on most indicators
    (with a little difference per indicator), instead of levels shuffled independently per indicator."""
    # Most schools, not all: a few have not been rated yet (they show "nog geen score").
    rated = [s for i, s in enumerate(schools) if i % 12 != 5]
    maturity = {s.id: random.Random(f"{s.name}-maturity").random() for s in rated}
    for definition in indicators():
        if definition.number not in REPORT_DISTRIBUTION:
            continue  # the report gives no figures for indicators 7 and 8: the demo invents none
        levels = []  # highest first: LEVEL_CODES runs from realised to not started
        for code, count in zip(LEVEL_CODES, _spread(REPORT_DISTRIBUTION[definition.number], len(rated)), strict=True):
            levels += [code] * count
        jitter = random.Random(definition.number)
        ranked = sorted(rated, key=lambda s: maturity[s.id] + jitter.uniform(-DEMO_JITTER, DEMO_JITTER), reverse=True)
        for school, level in zip(ranked, levels, strict=True):
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


def _sessions(demo_school: School, adviser_of: dict) -> None:
    """The demo school's own sessions this school year (one of them planned)."""
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


# The impact report's session table (seed 001, 3.1) counts sessions, not dates: the demo spreads each
# count over the three school years on example dates, Tuesdays between October and June.
HISTORY_FIRST_WEEK = date(2017, 10, 3)
HISTORY_WEEKS = [w for w in range(0, 143) if (HISTORY_FIRST_WEEK + timedelta(weeks=w)).month not in (7, 8)]
HISTORY_NOTE = "Historiek Warme Scholen 2017–2020 (impactrapport). De datum is een voorbeeld."


def history_dates(count: int, shift: int = 0) -> list[date]:
    """`count` distinct example dates spread evenly over the school years 2017-2018 to 2019-2020."""
    step = len(HISTORY_WEEKS) / max(count, 1)
    return [HISTORY_FIRST_WEEK + timedelta(weeks=HISTORY_WEEKS[int(i * step + shift) % len(HISTORY_WEEKS)])
            for i in range(count)]


def _history(networks: dict) -> None:
    """One held session per count of the report's table; the adviser is not recorded there."""
    schools = {s.name: s for s in db.session.scalars(db.select(School))}
    for row in read_rows(DATA_DIR / "networks.csv"):
        for day in history_dates(int(row["collective_sessions"])):
            db.session.add(CoachingSession(kind="collective", network=networks[row["network"]], held_on=day,
                                           summary="Netwerkdag.", notes=HISTORY_NOTE))
    for i, row in enumerate(read_rows(DATA_DIR / "schools.csv")):
        school = schools[row["school"]]
        for day in history_dates(int(row["individual_sessions"]), shift=i % 3):
            db.session.add(CoachingSession(kind="individual", school=school, network=school.network, held_on=day,
                                           summary="Individuele begeleiding.", notes=HISTORY_NOTE))


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


# The demo school's screening this school year, with the third scale and its staff team (example figures):
# one class with many pupils at levels 1–2 of healthy emotional functioning, so the progress page
# suggests basket items that address it ("Van meting naar actie").
DEMO_SCREENING = [
    ("Klas 1A (voorbeeld)", "pupils", (1, 3, 9, 8, 3), (1, 4, 9, 7, 3), (3, 5, 8, 6, 2)),
    ("Klas 2B (voorbeeld)", "pupils", (0, 2, 7, 10, 4), (1, 2, 8, 9, 3), (0, 2, 8, 10, 3)),
    ("Team (voorbeeld)", "staff", (0, 2, 9, 14, 5), (0, 1, 8, 15, 6), (0, 0, 0, 0, 0)),
]


def _demo_school_screening(school: School) -> None:
    year = school_year(today())
    for group, population, wb, inv, emo in DEMO_SCREENING:
        row = WellbeingMeasurement(school=school, school_year=year, moment="pre", group_name=group,
                                   population=population)
        for n in range(5):
            setattr(row, f"wellbeing_{n + 1}", wb[n])
            setattr(row, f"involvement_{n + 1}", inv[n])
            setattr(row, f"emotional_{n + 1}", emo[n])
        db.session.add(row)
