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
from datetime import date as date_
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
    # What one filler made for the next ones (e.g. "sprints": ids in number order).
    made: dict[str, list] = field(default_factory=dict)


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
#
# Three years of history per school, ending today: 15 sprints of SPRINT_WEEKS weeks, the last one
# active; the fillers below run in this order and hand ids on through SyntheticSchool.made.

SPRINTS = 15
SPRINT_WEEKS = 10
INITIATIVES_PER_SPRINT = 10
BACKLOG_IDEAS = 12
ADVICE_PER_ROUND = 5
BLOCKS = ["structure", "people", "systems", "culture", "leadership"]
MISSIONS = ["qualification", "talent", "learning_capacity", "involvement"]
FINGERPRINT = "0" * 64


def _first_sprint_start():
    """A Monday such that sprint SPRINTS started three weeks ago."""
    from warmeveranderen.timeutil import today

    start = today() - timedelta(days=(SPRINTS - 1) * SPRINT_WEEKS * 7 + 21)
    return start - timedelta(days=start.weekday())


def _at(day, hour=17):
    from datetime import datetime, time

    return datetime.combine(day, time(hour))


def _chunked(session, table, rows, out=None, every=50_000):
    """Insert when the buffer is large; returns the buffer (emptied after an insert)."""
    if len(rows) >= every:
        ids = insert_rows(session, table, rows)
        if out is not None:
            out.extend(ids)
        rows.clear()
    return rows


@filler
def intake(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """The programme terms and, per school, an agreement in force: one version, signed by three."""
    from warmeveranderen.intake.models import (
        AgreementVersion,
        EvaluationMoment,
        IntakeAgreement,
        IntakeEvent,
        ProgrammeTerms,
        Signatory,
        Signature,
    )

    now = utcnow()
    coordinator_id = session.execute(select(User.id).where(User.email == ACCOUNTS["coordinator"])).scalar_one()
    insert_rows(session, ProgrammeTerms.__table__, [{
        "price_per_year": 4500, "school_years": 3, "support_package": "Begeleiding door een adviseur, lerend netwerk.",
        "matching_ratio": 1, "matching_cap": 10000, "evaluation_count": 3, "evaluation_first_after_months": 12,
        "evaluation_spacing_months": 12, "sprint_weeks": SPRINT_WEEKS, "created_at": now,
        "created_by_id": coordinator_id,
    }])
    start = _first_sprint_start() - timedelta(days=60)
    signed = _at(start - timedelta(days=20))
    agreement_ids = insert_rows(session, IntakeAgreement.__table__, [{
        "school_id": s.id, "state": "active", "shared_with_school": True, "created_at": signed - timedelta(days=30),
        "created_by_id": s.people["director"][0],
    } for s in schools])
    version_ids = insert_rows(session, AgreementVersion.__table__, [{
        "agreement_id": agreement_id, "number": 1, "state": "active",
        "strategic_intention": "Wij willen een warme school worden waar elke leerling gezien wordt.",
        "commitments": ["flywheel", "forum", "sprints"], "commitments_note": "", "own_investment": 5000,
        "matched_amount": 5000, "start_date": start, "duration_years": 4, "price_per_year": 4500,
        "matching_ratio": 1, "matching_cap": 10000, "support_package": "Begeleiding door een adviseur.",
        "fingerprint": FINGERPRINT, "frozen_at": signed - timedelta(days=7), "activated_at": signed,
        "created_at": signed - timedelta(days=30), "created_by_id": s.people["director"][0], "updated_at": signed,
    } for s, agreement_id in zip(schools, agreement_ids, strict=True)])
    signatories, moments = [], []
    for s, version_id in zip(schools, version_ids, strict=True):
        signatories += [
            {"version_id": version_id, "role": "director", "user_id": s.people["director"][0]},
            {"version_id": version_id, "role": "board", "user_id": s.people["board"][0]},
            {"version_id": version_id, "role": "coordinator", "user_id": None},
        ]
        moments += [{"version_id": version_id, "on_date": start + timedelta(days=365 * n)} for n in (1, 2, 3)]
    signatory_ids = insert_rows(session, Signatory.__table__, signatories)
    insert_rows(session, EvaluationMoment.__table__, moments)
    signatures, events = [], []
    for row, signatory_id in zip(signatories, signatory_ids, strict=True):
        signatures.append({"version_id": row["version_id"], "signatory_id": signatory_id,
                           "user_id": row["user_id"] or coordinator_id, "role": row["role"],
                           "fingerprint": FINGERPRINT, "signed_at": signed})
    for s, agreement_id, version_id in zip(schools, agreement_ids, version_ids, strict=True):
        for n, action in enumerate(["opened", "draft_saved", "ready", "signed", "signed", "signed", "activated"]):
            events.append({"agreement_id": agreement_id, "version_id": version_id, "actor_id": s.people["director"][0],
                           "action": action, "note": "", "at": signed - timedelta(days=7 - n)})
    insert_rows(session, Signature.__table__, signatures)
    insert_rows(session, IntakeEvent.__table__, events)


@filler
def sprints(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """15 sprints per school (14 closed, one active) with goals, reviews, two checkpoints and two
    flywheel meetings each; 10 initiatives per sprint across the building blocks plus a backlog of ideas;
    one status event per initiative; a small offer basket."""
    from warmeveranderen.sprints.models import (
        BasketItem,
        Checkpoint,
        FlywheelMeeting,
        Initiative,
        InitiativeEvent,
        Sprint,
        SprintCalendar,
        flywheel_meeting_attendees,
    )

    now = utcnow()
    first = _first_sprint_start()
    programme_id = session.execute(select(Programme.id)).scalars().first()
    basket_ids = insert_rows(session, BasketItem.__table__, [{
        "programme_id": programme_id, "title": f"Aanbod {n}: {BLOCKS[n % 5]}", "what": "Een vorming voor het team.",
        "audience": "Leerkrachten", "building_block": BLOCKS[n % 5], "core_missions": [MISSIONS[n % 4]],
        "provider": "Expertisenetwerk", "contact": "", "links": "", "active": True, "created_at": now, "updated_at": now,
    } for n in range(40)])
    insert_rows(session, SprintCalendar.__table__, [{
        "school_id": s.id, "start_date": first, "weeks_override": None, "override_reason": "",
        "created_by_id": None, "created_at": now} for s in schools])
    sprint_rows = []
    for s in schools:
        lead = s.people["flywheel"][0]
        for n in range(1, SPRINTS + 1):
            start = first + timedelta(days=(n - 1) * SPRINT_WEEKS * 7)
            closed = n < SPRINTS
            sprint_rows.append({
                "school_id": s.id, "number": n, "start_date": start,
                "end_date": start + timedelta(days=SPRINT_WEEKS * 7 - 1),
                "goal": f"Sprint {n}: we zetten een volgende stap naar leergemeenschappen.",
                "state": "closed" if closed else "active", "started_at": _at(start, 8), "started_by_id": lead,
                "closed_at": _at(start + timedelta(days=SPRINT_WEEKS * 7)) if closed else None,
                "closed_by_id": lead if closed else None,
                "review_summary": "De meeste initiatieven zijn gerealiseerd." if closed else "",
                "retro_went_well": "Goede samenwerking." if closed else "",
                "retro_to_improve": "Vroeger plannen." if closed else "",
                "retro_actions": "Agenda een maand vooruit." if closed else "",
                "created_at": _at(start - timedelta(days=14)),
            })
    sprint_ids = insert_rows(session, Sprint.__table__, sprint_rows)
    for i, s in enumerate(schools):
        s.made["sprints"] = sprint_ids[i * SPRINTS:(i + 1) * SPRINTS]
        s.made["sprint_rows"] = sprint_rows[i * SPRINTS:(i + 1) * SPRINTS]
    done = ["done", "done", "done", "done", "done", "decided", "decided", "done", "dropped", "done"]
    active = ["planned", "planned", "in_progress", "in_progress", "in_progress", "in_progress",
              "ready_for_forum", "ready_for_forum", "decided", "done"]
    initiatives, events, checkpoints, meetings = [], [], [], []
    for s in schools:
        flywheel = s.people["flywheel"]
        position = 0
        for n, (sprint_id, sprint) in enumerate(zip(s.made["sprints"], s.made["sprint_rows"], strict=True), 1):
            closed = sprint["state"] == "closed"
            for k in range(INITIATIVES_PER_SPRINT):
                position += 1
                status = (done if closed else active)[k]
                block = BLOCKS[(n + k) % 5]
                initiatives.append({
                    "school_id": s.id, "title": f"Initiatief {n}.{k + 1}: {block}", "description": "Wat we willen bereiken.",
                    "building_block": block, "secondary_block": BLOCKS[(n + k + 2) % 5] if k % 3 == 0 else None,
                    "core_missions": [MISSIONS[k % 4]], "owner_id": flywheel[k % len(flywheel)], "status": status,
                    "position": position, "sprint_id": sprint_id,
                    "basket_item_id": basket_ids[(n * k) % len(basket_ids)] if k == 4 else None,
                    "created_by_id": flywheel[0], "created_at": _at(sprint["start_date"] - timedelta(days=7)),
                    "updated_at": _at(sprint["start_date"] + timedelta(days=30)),
                })
            checkpoints.append({"sprint_id": sprint_id, "kind": "start", "held_on": sprint["start_date"],
                                "who": "Directie, bestuur", "note": "Doel afgestemd.", "recorded_by_id": flywheel[0],
                                "recorded_at": _at(sprint["start_date"])})
            if closed:
                checkpoints.append({"sprint_id": sprint_id, "kind": "pre_forum",
                                    "held_on": sprint["end_date"] - timedelta(days=10), "who": "Directie",
                                    "note": "Agenda van het forum afgestemd.", "recorded_by_id": flywheel[0],
                                    "recorded_at": _at(sprint["end_date"] - timedelta(days=10))})
            for week in (2, 6):
                held = sprint["start_date"] + timedelta(days=week * 7)
                if held <= first + timedelta(days=(SPRINTS - 1) * SPRINT_WEEKS * 7 + 20):
                    meetings.append({"school_id": s.id, "sprint_id": sprint_id, "held_on": held,
                                     "notes": "We bespraken de voortgang van de initiatieven.",
                                     "recorded_by_id": flywheel[0], "created_at": _at(held)})
        for k in range(BACKLOG_IDEAS):
            position += 1
            block = BLOCKS[k % 5]
            initiatives.append({
                "school_id": s.id, "title": f"Idee {k + 1}: {block}", "description": "", "building_block": block,
                "secondary_block": None, "core_missions": [], "owner_id": None, "status": "idea", "position": position,
                "sprint_id": None, "basket_item_id": None, "created_by_id": flywheel[1], "created_at": now,
                "updated_at": now,
            })
        if len(initiatives) >= 50_000:
            _flush_initiatives(session, Initiative, InitiativeEvent, initiatives, events)
    _flush_initiatives(session, Initiative, InitiativeEvent, initiatives, events)
    insert_rows(session, Checkpoint.__table__, checkpoints)
    meeting_ids = insert_rows(session, FlywheelMeeting.__table__, meetings)
    school_people = {s.id: s.people["flywheel"] for s in schools}
    attendees = [{"meeting_id": meeting_id, "user_id": user_id}
                 for meeting_id, row in zip(meeting_ids, meetings, strict=True)
                 for user_id in school_people[row["school_id"]][:4]]
    for offset in range(0, len(attendees), CHUNK):
        session.execute(insert(flywheel_meeting_attendees), attendees[offset:offset + CHUNK])


def _flush_initiatives(session, Initiative, InitiativeEvent, initiatives: list[dict], events: list[dict]) -> None:
    """Insert the buffered initiatives and one status event each (the move into their current status)."""
    ids = insert_rows(session, Initiative.__table__, initiatives)
    for row, initiative_id in zip(initiatives, ids, strict=True):
        if row["sprint_id"] is not None:
            events.append({"initiative_id": initiative_id, "sprint_id": row["sprint_id"], "from_status": "planned",
                           "to_status": row["status"], "note": "", "user_id": row["owner_id"], "at": row["updated_at"]})
    insert_rows(session, InitiativeEvent.__table__, events)
    initiatives.clear()
    events.clear()


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
                        # History: already handled by earlier sweeps (none pending for the sweep).
                        "email_status": "sent" if n % 2 else "none",
                    })
        if len(rows) >= 50_000:
            insert_rows(session, Notification.__table__, rows)
            rows = []
    insert_rows(session, Notification.__table__, rows)


@filler
def forum(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """Per sprint one forum session (with minutes once held) and one advice round on an initiative of
    that sprint: five pieces of advice (one with concerns, sometimes an objection) with responses, and a
    decision for the rounds of closed sprints. The active sprint's round is still open."""
    from warmeveranderen.forum.models import (
        Advice,
        AdviceResponse,
        AdviceRound,
        Decision,
        ForumGuests,
        ForumSession,
    )
    from warmeveranderen.sprints.models import Initiative

    now = utcnow()
    # One subject per sprint: its first initiative that went to the forum (position 7 of 10).
    subjects = dict(session.execute(
        select(Initiative.sprint_id, func.min(Initiative.id))
        .where(Initiative.sprint_id.is_not(None), Initiative.status.in_(("decided", "ready_for_forum")))
        .group_by(Initiative.sprint_id)
    ).all())
    initiative_rows = {row.id: row for row in session.execute(
        select(Initiative.id, Initiative.title, Initiative.building_block, Initiative.secondary_block)
        .where(Initiative.id.in_(list(subjects.values())))
    )} if len(subjects) < 30_000 else None
    if initiative_rows is None:  # large scale: read them in one pass instead of a huge IN list
        wanted = set(subjects.values())
        initiative_rows = {row.id: row for row in session.execute(
            select(Initiative.id, Initiative.title, Initiative.building_block, Initiative.secondary_block)
            .where(Initiative.sprint_id.is_not(None), Initiative.status.in_(("decided", "ready_for_forum")))
        ) if row.id in wanted}
    sessions, rounds, plan = [], [], []
    for s in schools:
        lead = s.people["flywheel"][0]
        for sprint_id, sprint in zip(s.made["sprints"], s.made["sprint_rows"], strict=True):
            closed = sprint["state"] == "closed"
            starts = _at(sprint["end_date"] - timedelta(days=3), 18)
            sessions.append({
                "school_id": s.id, "sprint_id": sprint_id, "starts_at": starts, "location": "Refter",
                "online_url": "", "notes": "", "created_by_id": lead, "created_at": starts - timedelta(days=30),
                "minutes_summary": "Het forum gaf advies over de initiatieven van de sprint." if closed else "",
                "minutes_recorded_at": starts + timedelta(days=1) if closed else None,
                "minutes_recorded_by_id": lead if closed else None,
            })
            subject = initiative_rows[subjects[sprint_id]]
            deadline = starts - timedelta(days=1) if closed else now + timedelta(days=10)
            rounds.append({
                "school_id": s.id, "subject_kind": "initiative", "subject_id": subject.id,
                "subject_title": subject.title, "question": "Wat vinden jullie van dit initiatief?",
                "background": "", "deadline": deadline, "position": 0, "session_note": "",
                "opened_by_id": lead, "opened_at": deadline - timedelta(days=21),
            })
            plan.append((s, sprint_id, closed, subject))
    session_ids = insert_rows(session, ForumSession.__table__, sessions)
    for row, session_id in zip(rounds, session_ids, strict=True):
        row["session_id"] = session_id
    round_ids = insert_rows(session, AdviceRound.__table__, rounds)
    for (s, *_rest), round_id in zip(plan, round_ids, strict=True):
        s.made.setdefault("rounds", []).append(round_id)
    insert_rows(session, ForumGuests.__table__, [
        {"session_id": session_id, "group": "parent", "count": 4 + session_id % 9} for session_id in session_ids])
    advice, decisions = [], []
    for (s, sprint_id, closed, subject), round_id, row in zip(plan, round_ids, rounds, strict=True):
        forum_members = s.people["forum"]
        for k in range(ADVICE_PER_ROUND):
            n = (round_id + k * 2) % len(forum_members)
            stance = "support" if k < 3 else ("concerns" if k == 3 else ("objection" if round_id % 4 == 0 else "concerns"))
            at = row["opened_at"] + timedelta(days=k + 1)
            advice.append({
                "round_id": round_id, "author_id": forum_members[n],
                "stakeholder_group": FORUM_GROUPS[n % len(FORUM_GROUPS)], "stance": stance,
                "objection_kind": ("principled" if round_id % 8 == 0 else "personal") if stance == "objection" else None,
                "reasoning": "Ik steun dit, als we de leerlingen erbij betrekken.", "created_at": at,
                "updated_at": at, "revisions": 0,
            })
        if closed:
            decisions.append({
                "round_id": round_id, "school_id": s.id, "outcome": "adopt" if round_id % 5 else "adjust",
                "reasons": "We volgen het advies en passen de planning aan.", "decided_by_id": s.people["flywheel"][0],
                "decided_at": row["deadline"] + timedelta(days=2), "corrects_id": None, "subject_kind": "initiative",
                "subject_title": subject.title, "sprint_id": sprint_id, "building_block": subject.building_block,
                "secondary_block": subject.secondary_block,
            })
    advice_ids = insert_rows(session, Advice.__table__, advice)
    insert_rows(session, Decision.__table__, decisions)
    lead_of = {s.id: s.people["flywheel"][0] for s in schools}
    school_of_round = {round_id: row["school_id"] for round_id, row in zip(round_ids, rounds, strict=True)}
    insert_rows(session, AdviceResponse.__table__, [
        {"advice_id": advice_id, "body": "Dank je; we nemen dit mee in de uitwerking.",
         "author_id": lead_of[school_of_round[row["round_id"]]], "created_at": row["created_at"] + timedelta(days=5),
         "updated_at": row["created_at"] + timedelta(days=5)}
        for advice_id, row in zip(advice_ids, advice, strict=True) if row["stance"] != "support"
    ])


@filler
def tracking(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """The nine indicators rated at two moments, coaching sessions (collective per network, individual
    per school), the journey's milestones and well-being counts (four groups, pre and post, three years)."""
    from warmeveranderen.timeutil import today
    from warmeveranderen.tracking.defaults import DEFAULT_LEVEL_LABELS, INDICATORS
    from warmeveranderen.tracking.models import (
        CoachingSession,
        IndicatorDefinition,
        IndicatorRating,
        Milestone,
        WellbeingMeasurement,
        session_advisers,
    )
    from warmeveranderen.tracking.windows import school_year

    now = utcnow()
    indicator_ids = insert_rows(session, IndicatorDefinition.__table__, [{
        "number": number, "title": title, "guidance": guidance, "updated_at": now,
        **{f"label_{code}": label for code, label in DEFAULT_LEVEL_LABELS.items()},
    } for number, title, guidance in INDICATORS])
    adviser_of = dict(session.execute(
        select(AdviserAssignment.network_id, AdviserAssignment.adviser_id).where(AdviserAssignment.network_id.is_not(None))
    ).all())
    this_year = today().year if today().month >= 9 else today().year - 1  # first calendar year of the school year
    levels = ["realised", "in_progress", "started", "not_started"]
    moments = [date_(this_year - 1, 6, 1), date_(this_year, 6, 1)]
    ratings = []
    for s in schools:
        for m, measured in enumerate(moments):
            for i, indicator_id in enumerate(indicator_ids):
                ratings.append({
                    "school_id": s.id, "indicator_id": indicator_id, "measured_on": measured,
                    "school_year": school_year(measured), "level": levels[max(0, 3 - m - (s.id + i) % 3)],
                    "remark": "", "evidence": "", "rated_by_id": adviser_of.get(s.network_id), "created_at": _at(measured),
                })
        _chunked(session, IndicatorRating.__table__, ratings)
    insert_rows(session, IndicatorRating.__table__, ratings)

    coaching, links = [], []
    for network_id, adviser_id in adviser_of.items():
        for year in range(3):
            for month in (10, 3):
                held = date_(this_year - 2 + year + (month < 9), month, 12)
                coaching.append({"kind": "collective", "network_id": network_id, "school_id": None, "held_on": held,
                                 "duration_minutes": 180, "participants": "vliegwiel (5 scholen)",
                                 "notes": "Lerend netwerk rond gedeeld leiderschap.", "summary": "Collectieve sessie.",
                                 "import_key": None, "created_by_id": adviser_id, "created_at": _at(held)})
    for s in schools:
        for year in range(3):
            for month in (11, 2):
                held = date_(this_year - 2 + year + (month < 9), month, 20)
                coaching.append({"kind": "individual", "network_id": s.network_id, "school_id": s.id, "held_on": held,
                                 "duration_minutes": 90, "participants": "vliegwiel (5), directie (1)",
                                 "notes": "Sprintreview voorbereid.", "summary": "Individuele begeleiding.",
                                 "import_key": None, "created_by_id": adviser_of.get(s.network_id),
                                 "created_at": _at(held)})
    coaching_ids = insert_rows(session, CoachingSession.__table__, coaching)
    links = [{"session_id": session_id, "user_id": row["created_by_id"]}
             for session_id, row in zip(coaching_ids, coaching, strict=True) if row["created_by_id"]]
    for offset in range(0, len(links), CHUNK):
        session.execute(insert(session_advisers), links[offset:offset + CHUNK])

    start = _first_sprint_start()
    milestones = []
    for s in schools:
        for n, kind in enumerate(["intake", "staff_kickoff", "flywheel_composed", "seminar", "stakeholder_kickoff",
                                  "forum_composed", "prototype_presented"]):
            milestones.append({"school_id": s.id, "kind": kind, "happened_on": start + timedelta(days=30 * n - 60),
                               "note": "", "created_at": now})
        for year in (1, 2):
            milestones.append({"school_id": s.id, "kind": "evaluation", "happened_on": start + timedelta(days=365 * year),
                               "note": "", "created_at": now})
    insert_rows(session, Milestone.__table__, milestones)

    wellbeing = []
    groups = ["1A", "2B", "3C", "leergemeenschap 1"]
    for s in schools:
        for year in range(this_year - 3, this_year + 1):
            for moment in ("pre", "post") if year < this_year else ("pre",):
                for group in groups:
                    counts = [rng.randint(0, 6) for _ in range(10)]
                    wellbeing.append({
                        "school_id": s.id, "school_year": f"{year}-{year + 1}", "moment": moment, "group_name": group,
                        **{f"wellbeing_{n}": counts[n - 1] for n in range(1, 6)},
                        **{f"involvement_{n}": counts[n + 4] for n in range(1, 6)},
                        **{f"emotional_{n}": counts[5 - n] for n in range(1, 6)},  # the third scale
                        "entered_by_id": s.people["director"][0], "created_at": now, "updated_at": now,
                    })
        _chunked(session, WellbeingMeasurement.__table__, wellbeing)
    insert_rows(session, WellbeingMeasurement.__table__, wellbeing)


def vision_content(suffix: str) -> dict:
    """A vision's content in the shape the app writes and shows: text parts as text, value parts as
    rows of name and meaning, through the same `normalise` as the draft page (issue 15: the filler
    once stored text where the app expects rows, and those pages failed)."""
    from warmeveranderen.vision.content import PARTS, VALUES, normalise

    content = {}
    for part in PARTS:
        if part.kind == VALUES:
            content[part.key] = [{"name": "Verbondenheid", "meaning": "We kennen elkaar en zorgen voor elkaar." + suffix},
                                 {"name": "Eigenaarschap", "meaning": "Leerlingen en leraren nemen hun leren in handen."}]
        else:
            content[part.key] = f"Onze school: {part.key.replace('_', ' ')}. Wat we samen willen bereiken.{suffix}"
    return normalise(content)


@filler
def vision(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """Per school a vision with two published versions (the second a revision a year later) and an
    endorsement of the first by four stakeholder groups."""
    from warmeveranderen.vision.models import DraftRevision, Endorsement, Vision, VisionVersion

    first = _first_sprint_start()
    content_1, content_2 = vision_content(""), vision_content(" Aangescherpt na het advies van het forum.")
    published = [_at(first + timedelta(days=120)), _at(first + timedelta(days=485))]
    vision_ids = insert_rows(session, Vision.__table__, [{
        "school_id": s.id, "content": content_2, "revision": 2, "updated_at": published[1],
        "updated_by_id": s.people["flywheel"][0], "shared_with_network": s.id % 2 == 0, "created_at": published[0],
    } for s in schools])
    lead_of = {vision_id: s.people["flywheel"][0] for s, vision_id in zip(schools, vision_ids, strict=True)}
    insert_rows(session, DraftRevision.__table__, [
        {"vision_id": vision_id, "revision": n, "content": content, "saved_by_id": lead_of[vision_id],
         "saved_at": published[n - 1]}
        for vision_id in vision_ids for n, content in ((1, content_1), (2, content_2))
    ])
    version_ids = insert_rows(session, VisionVersion.__table__, [
        {"vision_id": vision_id, "number": n, "content": content, "change_note": note,
         "published_by_id": lead_of[vision_id], "published_at": published[n - 1]}
        for vision_id in vision_ids
        for n, content, note in ((1, content_1, "Eerste versie."), (2, content_2, "Bijgestuurd na een jaar."))
    ])
    insert_rows(session, Endorsement.__table__, [
        {"version_id": version_id, "groups": ["staff", "pupil", "parent", "board"],
         "endorsed_on": (published[0] + timedelta(days=30)).date(), "changes": "Kleine aanpassingen.",
         "advice_round_id": None, "recorded_by_id": None, "recorded_at": published[0] + timedelta(days=30)}
        for version_id in version_ids[::2]
    ])


@filler
def discussion(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """Issue 19: each initiative of the running sprint has three comments (one mentions the trekker and
    was edited once), two attachments (rows only: the benchmark serves pages, not files; no preview)
    and the flywheel's reads."""
    from warmeveranderen.discussion.models import Comment, CommentMention, CommentRevision, DiscussionRead
    from warmeveranderen.files.models import Attachment
    from warmeveranderen.sprints.models import Initiative

    by_sprint = {s.made["sprints"][-1]: s for s in schools if s.made.get("sprints")}
    found = session.execute(select(Initiative.id, Initiative.sprint_id)
                            .where(Initiative.sprint_id.in_(list(by_sprint))).order_by(Initiative.id)).all()
    now = utcnow()
    comments, plan, attachments, reads = [], [], [], []
    for initiative_id, sprint_id in found:
        school = by_sprint[sprint_id]
        school.made.setdefault("discussed", []).append(initiative_id)
        flywheel = school.people["flywheel"]
        for n in range(3):
            author = flywheel[(initiative_id + n) % len(flywheel)]
            at = now - timedelta(days=3 - n)
            body = (f"Voorbeeldreactie {n + 1}: @Flywheel 0 van school {school.id}, wie neemt dit op?" if n == 0
                    else f"Voorbeeldreactie {n + 1} over de aanpak en de planning.")
            comments.append({"school_id": school.id, "initiative_id": initiative_id, "author_id": author,
                             "body": body, "created_at": at, "edited_at": at + timedelta(minutes=5) if n == 0 else None})
            plan.append((n, flywheel[0]))
        for n, (name, kind) in enumerate((("Plan van aanpak.pdf", "application/pdf"), ("Foto bord.jpg", "image/jpeg"))):
            attachments.append({"parent_kind": "initiative", "parent_id": initiative_id, "school_id": school.id,
                                "uploaded_by_id": flywheel[0], "original_name": name,
                                "storage_key": f"bench/{initiative_id}-{n}", "preview_key": None, "size": 120_000 + n,
                                "content_type": kind, "sha256": "0" * 64, "created_at": now - timedelta(days=4)})
        reads += [{"initiative_id": initiative_id, "user_id": user_id, "read_at": now - timedelta(days=1)}
                  for user_id in flywheel[:3]]
    comment_ids = insert_rows(session, Comment.__table__, comments)
    mentions, revisions = [], []
    for comment_id, row, (n, lead) in zip(comment_ids, comments, plan, strict=True):
        if n == 0:
            mentions.append({"comment_id": comment_id, "user_id": lead})
            revisions.append({"comment_id": comment_id, "body": "Eerste versie van de reactie.",
                              "written_at": row["created_at"], "replaced_at": row["edited_at"]})
    for table, rows in ((CommentMention.__table__, mentions), (DiscussionRead.__table__, reads)):
        for offset in range(0, len(rows), CHUNK):
            session.execute(insert(table), rows[offset:offset + CHUNK])
    insert_rows(session, CommentRevision.__table__, revisions)
    insert_rows(session, Attachment.__table__, attachments)


@filler
def action_plans(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """The running sprint's initiatives each get an action plan: four tasks (one done) for one or two
    flywheel members, due in the sprint's weeks, the first with a checklist of three; and each is linked
    to the vision's ambition and one guiding principle."""
    from warmeveranderen.actionplan.models import ChecklistItem, Task, VisionLink, task_assignees
    from warmeveranderen.sprints.models import Initiative

    now = utcnow()
    running = {s.made["sprints"][-1]: s for s in schools}
    initiatives = session.execute(
        select(Initiative.id, Initiative.school_id, Initiative.sprint_id).where(Initiative.sprint_id.in_(running))
        .order_by(Initiative.id)
    ).all()
    starts = {s.made["sprints"][-1]: s.made["sprint_rows"][-1]["start_date"] for s in schools}
    tasks, people, links = [], [], []
    for initiative_id, school_id, sprint_id in initiatives:
        flywheel = running[sprint_id].people["flywheel"]
        for k in range(4):
            due = starts[sprint_id] + timedelta(days=14 * (k + 1))
            tasks.append({
                "initiative_id": initiative_id, "school_id": school_id, "title": f"Taak {k + 1}: de volgende stap",
                "notes": "Wie doet wat, tegen wanneer." if k == 0 else "", "due_date": due, "done": k == 0,
                "done_at": _at(due - timedelta(days=2)) if k == 0 else None,
                "done_by_id": flywheel[0] if k == 0 else None, "position": k + 1, "created_by_id": flywheel[0],
                "created_at": _at(starts[sprint_id]),
            })
            people.append(flywheel[(initiative_id + k) % len(flywheel): (initiative_id + k) % len(flywheel) + 1 + k % 2])
        for kind, target in (("ambition", "Onze school: ambitions. Wat we samen willen bereiken."),
                             ("principle", "participative")):
            links.append({"initiative_id": initiative_id, "school_id": school_id, "kind": kind, "target": target,
                          "version_number": 1, "created_by_id": flywheel[0], "created_at": now})
    task_ids = insert_rows(session, Task.__table__, tasks)
    rows = [{"task_id": task_id, "user_id": user_id} for task_id, users in zip(task_ids, people, strict=True)
            for user_id in users]
    for offset in range(0, len(rows), CHUNK):
        session.execute(insert(task_assignees), rows[offset:offset + CHUNK])
    insert_rows(session, ChecklistItem.__table__, [
        {"task_id": task_id, "text": f"Stap {n}", "done": n == 1, "position": n, "created_at": now}
        for task_id, task in zip(task_ids, tasks, strict=True) if task["position"] == 1 for n in (1, 2, 3)
    ])
    insert_rows(session, VisionLink.__table__, links)


@filler
def surveys(session: Session, schools: list[SyntheticSchool], rng: random.Random) -> None:
    """The three survey templates, and per school a staff survey of last school year (pre and post) and of
    this year (pre), six responses each, and a parent survey with three (below the minimum group size)."""
    from warmeveranderen.surveys.defaults import TEMPLATES
    from warmeveranderen.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTemplate
    from warmeveranderen.timeutil import today

    now = utcnow()
    audiences = list(TEMPLATES)
    template_ids = insert_rows(session, SurveyTemplate.__table__, [
        {"audience": a, "title": TEMPLATES[a][0], "intro": TEMPLATES[a][1], "updated_at": now} for a in audiences])
    questions: dict[str, list[tuple[int, str, int]]] = {}
    for audience, template_id in zip(audiences, template_ids, strict=True):
        rows = [{"template_id": template_id, "school_id": None, "position": p, "kind": kind, "text": text_nl,
                 "text_en": text_en, "theme": theme, "choices": choices, "choices_en": choices_en, "archived": False,
                 "created_at": now}
                for p, (kind, text_nl, text_en, theme, choices, choices_en) in enumerate(TEMPLATES[audience][2], 1)]
        ids = insert_rows(session, SurveyQuestion.__table__, rows)
        questions[audience] = [(i, r["kind"], len([c for c in r["choices"].splitlines() if c])) for i, r in
                               zip(ids, rows, strict=True)]
    first = today().year if today().month >= 9 else today().year - 1
    plan = [("staff", f"{first - 1}-{first}", "pre", 6, True), ("staff", f"{first - 1}-{first}", "post", 6, True),
            ("staff", f"{first}-{first + 1}", "pre", 6, False), ("parents", f"{first}-{first + 1}", "pre", 3, False)]
    surveys_rows = []
    for s in schools:
        for audience, year, moment, count, closed in plan:
            surveys_rows.append({
                "school_id": s.id, "template_id": template_ids[audiences.index(audience)], "school_year": year,
                "moment": moment, "group_name": "Personeel" if audience == "staff" else "Ouders",
                "closes_on": date_(first, 10, 15) if closed else today() + timedelta(days=14), "closed": closed,
                "shared_token": None if closed else f"bench-{s.id}-{audience}-{moment}",
                "max_responses": 200, "response_count": count, "window_started_at": None, "window_count": 0,
                "created_by_id": s.people["director"][0], "created_at": now})
    survey_ids = insert_rows(session, Survey.__table__, surveys_rows)
    responses = [{"survey_id": survey_id} for survey_id, row in zip(survey_ids, surveys_rows, strict=True)
                 for _ in range(row["response_count"])]
    response_ids = insert_rows(session, SurveyResponse.__table__, responses)
    audience_of = {template_ids[i]: a for i, a in enumerate(audiences)}
    template_of = {survey_id: row["template_id"] for survey_id, row in zip(survey_ids, surveys_rows, strict=True)}
    answers = []
    for response_id, response in zip(response_ids, responses, strict=True):
        survey_id = response["survey_id"]
        for question_id, kind, n_choices in questions[audience_of[template_of[survey_id]]]:
            value, text_value = None, None
            if kind == "likert":
                value = rng.randint(2, 5)
            elif kind in ("single", "multiple"):
                value = rng.randint(1, n_choices)
            else:
                text_value = "Meer tijd om samen te werken."
            answers.append({"survey_id": survey_id, "response_id": response_id, "question_id": question_id,
                            "value": value, "text": text_value})
        _chunked(session, SurveyAnswer.__table__, answers)
    insert_rows(session, SurveyAnswer.__table__, answers)
