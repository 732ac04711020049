"""A synthetic programme for the benchmark, built with bulk inserts.

`build(session, n_schools, rng)` creates the structure every feature needs (warm cities, learning
networks, schools, people with their memberships, advisers) and then runs every registered filler.
A filler adds one feature's history for all schools:

    @filler
    def sprints(session, schools, rng):
        rows = [{"school_id": s.id, "number": n, ...} for s in schools for n in range(1, 16)]
        ids = insert_rows(session, Sprint.__table__, rows)

`schools` is a list of SyntheticSchool (id, network_id, city_id and the user ids per role);
`insert_rows` inserts in chunks with explicit ids and returns them, so a filler can refer to the
rows it just made. Keep fillers to bulk inserts: the 5,000-school build must stay within minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from warmeveranderen.accounts.models import User
from warmeveranderen.notifications.models import Notification
from warmeveranderen.programme.models import (
    AdviserAssignment,
    LearningNetwork,
    Membership,
    Programme,
    School,
    WarmCity,
)
from warmeveranderen.timeutil import utcnow

CHUNK = 2000
SCHOOLS_PER_NETWORK = 5
SCHOOLS_PER_CITY = 10
NETWORKS_PER_ADVISER = 2
# People per school and role; the first flywheel member is the trekker.
PEOPLE = {"director": 1, "board": 1, "flywheel": 5, "forum": 12}
FORUM_GROUPS = ["staff", "staff", "staff", "pupil", "pupil", "pupil", "parent", "parent", "partner", "board", "leadership"]
PASSWORD = "benchmark-wachtwoord"
# The accounts the benchmark logs in with, all in the first school: role -> email.
ACCOUNTS = {
    "coordinator": "coordinator@bench.example.org",
    "adviser": "adviser@bench.example.org",
    "director": "director@bench.example.org",
    "flywheel_lead": "trekker@bench.example.org",
    "forum": "forum@bench.example.org",
}


@dataclass
class SyntheticSchool:
    id: int
    network_id: int
    city_id: int
    people: dict[str, list[int]] = field(default_factory=dict)  # role -> user ids


Filler = Callable[[Session, list[SyntheticSchool], random.Random], None]
FILLERS: list[Filler] = []


def filler(fn: Filler) -> Filler:
    """Register a feature's history filler; build() runs them in the order they were registered."""
    FILLERS.append(fn)
    return fn


def insert_rows(session: Session, table: Table, rows: list[dict]) -> list[int]:
    """Insert rows in chunks with explicit ids (after the table's current maximum); returns the ids."""
    start = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    ids = list(range(start, start + len(rows)))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    for offset in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[offset:offset + CHUNK])
    return ids


def build(session: Session, n_schools: int, rng: random.Random, log=print) -> list[SyntheticSchool]:
    """The structure and people for n_schools, then every registered filler; commits."""
    now = utcnow()
    [programme_id] = insert_rows(session, Programme.__table__, [{"name": "Warme Scholen", "description": ""}])
    n_cities = max(1, n_schools // SCHOOLS_PER_CITY)
    n_networks = max(1, n_schools // SCHOOLS_PER_NETWORK)
    city_ids = insert_rows(session, WarmCity.__table__,
                           [{"programme_id": programme_id, "name": f"Warme stad {i:04d}"} for i in range(1, n_cities + 1)])
    network_ids = insert_rows(session, LearningNetwork.__table__,
                              [{"programme_id": programme_id, "name": f"Lerend netwerk {i:04d}"}
                               for i in range(1, n_networks + 1)])
    levels = ["basis", "secundair", "buitengewoon"]
    umbrellas = ["go", "katholiek", "ovsg", "povo"]
    school_rows = [
        {
            "programme_id": programme_id,
            "name": f"School {i:05d}",
            "city_id": city_ids[(i - 1) // SCHOOLS_PER_CITY % n_cities],
            "network_id": network_ids[(i - 1) // SCHOOLS_PER_NETWORK % n_networks],
            "level": rng.choice(levels),
            "umbrella": rng.choice(umbrellas),
            "created_at": now,
        }
        for i in range(1, n_schools + 1)
    ]
    school_ids = insert_rows(session, School.__table__, school_rows)
    schools = [SyntheticSchool(id=sid, network_id=row["network_id"], city_id=row["city_id"])
               for sid, row in zip(school_ids, school_rows, strict=True)]
    log(f"  {n_cities} warm cities, {n_networks} networks, {n_schools} schools")

    # People: one real scrypt hash shared by everyone (logging in checks it like any other).
    password_hash = generate_password_hash(PASSWORD)
    user_rows, membership_plan = [], []
    for school in schools:
        for role, count in PEOPLE.items():
            for n in range(count):
                email = f"{role}{n}.s{school.id}@bench.example.org"
                if school is schools[0] and role in ("director", "forum") and n == 0:
                    email = ACCOUNTS[role]
                if school is schools[0] and role == "flywheel" and n == 0:
                    email = ACCOUNTS["flywheel_lead"]
                user_rows.append(_user(email, f"{role.title()} {n} van school {school.id}", password_hash, now))
                membership_plan.append((school, role, n))
    n_advisers = max(1, n_networks // NETWORKS_PER_ADVISER)
    user_rows.append(_user(ACCOUNTS["coordinator"], "Cora Coördinator", password_hash, now, is_coordinator=True))
    user_rows += [_user(ACCOUNTS["adviser"] if i == 0 else f"adviser{i}@bench.example.org", f"Adviseur {i}",
                        password_hash, now, is_adviser=True) for i in range(n_advisers)]
    user_ids = insert_rows(session, User.__table__, user_rows)
    membership_rows = []
    for (school, role, n), user_id in zip(membership_plan, user_ids, strict=False):
        school.people.setdefault(role, []).append(user_id)
        membership_rows.append({
            "user_id": user_id,
            "school_id": school.id,
            "role": role,
            "is_lead": role == "flywheel" and n == 0,
            "stakeholder_group": FORUM_GROUPS[n % len(FORUM_GROUPS)] if role == "forum" else None,
            "created_at": now,
        })
    insert_rows(session, Membership.__table__, membership_rows)
    adviser_ids = user_ids[-n_advisers:]
    insert_rows(session, AdviserAssignment.__table__, [
        {"adviser_id": adviser_ids[(i // NETWORKS_PER_ADVISER) % n_advisers], "school_id": None, "network_id": network_id}
        for i, network_id in enumerate(network_ids)
    ])
    log(f"  {len(user_rows)} people, {len(membership_rows)} memberships, {n_advisers} advisers")
    session.commit()

    for fill in FILLERS:
        fill(session, schools, rng)
        session.commit()
        log(f"  filler {fill.__name__} done")
    return schools


def _user(email: str, name: str, password_hash: str, now, **flags) -> dict:
    return {
        "email": email,
        "name": name,
        "password_hash": password_hash,
        "locale": "nl",
        "is_coordinator": flags.get("is_coordinator", False),
        "is_adviser": flags.get("is_adviser", False),
        "active": True,
        "created_at": now,
        "session_token": "bench",
    }


def reset_sequences(session: Session) -> None:
    """PostgreSQL: move every id sequence past the explicit ids the fillers used."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from warmeveranderen.extensions import db

    for table in db.metadata.sorted_tables:
        if "id" in table.c:
            session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ))
    session.commit()


# --- history per feature ------------------------------------------------------------------------


@filler
def notifications(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """Three years of notifications: 10 per school member, 3 of them unread."""
    now = utcnow()
    categories = ["reminder", "sprint", "forum", "intake", "vision"]
    rows = []
    for school in schools:
        for user_ids in school.people.values():
            for user_id in user_ids:
                for n in range(10):
                    created = now - timedelta(days=rng.randint(0, 3 * 365), minutes=n)
                    rows.append({
                        "user_id": user_id,
                        "school_id": school.id,
                        "category": categories[n % len(categories)],
                        "title": f"Melding {n}",
                        "body": "",
                        "url": f"/scholen/{school.id}",
                        "created_at": created,
                        "read_at": None if n < 3 else created + timedelta(hours=4),
                    })
        if len(rows) >= 50_000:
            insert_rows(session, Notification.__table__, rows)
            rows = []
    insert_rows(session, Notification.__table__, rows)
