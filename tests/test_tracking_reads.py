"""What the follow-up and the evaluation sections read on a page rendered afresh (no part cache): the
progress page's header, evaluation, indicators, well-being, sessions and milestones, and the school
home's follow-up panel, each without duplicate reads or a query per row."""

from __future__ import annotations

import re
import traceback
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from tests.factories_intake import make_agreement
from tests.factories_tracking import (
    CoachingSessionFactory,
    IndicatorRatingFactory,
    MilestoneFactory,
    WellbeingMeasurementFactory,
)
from warmeveranderen.extensions import db
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance import services_funds
from warmeveranderen.tracking import services

OURS = ("/warmeveranderen/tracking/", "/warmeveranderen/governance/")
# A join of a parenthesised join (what joinedload writes for a many-to-many): SQLite cannot flatten it
# under an outer join and reads the advisers of every session of the programme for each statement.
NESTED_JOIN = re.compile(r"JOIN \((?!SELECT)")


@contextmanager
def counting():
    """The page's statements (one-line each) with whether tracking's or governance's code issued them
    (the innermost frame of the app's own code: a read shared through memo.py is its owner's)."""
    statements: list[tuple[str, bool]] = []

    def record(_conn, _cursor, statement, *_args):
        frames = [f.filename for f in traceback.extract_stack()
                  if "/warmeveranderen/" in f.filename and not f.filename.endswith("memo.py")]
        issuer = frames[-1] if frames else ""
        statements.append((" ".join(statement.split()), any(o in issuer for o in OURS)))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _fill(world) -> None:
    """Everything the progress page shows for world.school: an agreement, sessions with advisers, partner
    days, spend, ratings by several advisers, a measurement and a milestone."""
    school, adviser = world.school, world.users["adviser"]
    make_agreement(world, "active")
    for day in (date(2026, 10, 1), date(2026, 12, 1)):
        CoachingSessionFactory(kind="individual", school=school, held_on=day, advisers=[adviser])
    CoachingSessionFactory(kind="collective", network=school.network, school=None, held_on=date(2026, 11, 5),
                           advisers=[adviser, world.users["coordinator"]])
    services_funds.add_partner_day(school, adviser, partner="cego", kind="support", held_on=date(2027, 1, 10),
                                   days=Decimal("1"))
    services_funds.add_partner_day(school, adviser, partner="tenz", kind="training", held_on=date(2027, 1, 12),
                                   days=Decimal("2"))
    services_funds.add_spend(school, world.users["director"], spent_on=date(2026, 11, 15), description="Tweedaagse",
                             own_amount=Decimal("600"), matched_amount=Decimal("400"))
    for definition in services.indicators()[:3]:
        IndicatorRatingFactory(school=school, indicator=definition)  # each by an adviser of its own
    WellbeingMeasurementFactory(school=school)
    MilestoneFactory(school=school)
    db.session.commit()


def _tables(statement: str) -> set[str]:
    return set(re.findall(r"\b(?:FROM|JOIN) \(?(\w+)", statement))


def _afresh(world, auth, monkeypatch, url: str) -> tuple[str, list[tuple[str, bool]]]:
    """The adviser's page at `url` with everything filled in, rendered afresh (no part cache), and its
    statements (the second visit: the first may create the nine indicator definitions)."""
    _fill(world)
    client = auth.client_for(world.users["adviser"])
    monkeypatch.setitem(client.application.config, "PART_CACHE_SECONDS", 0)
    client.get(url)
    with counting() as statements:
        page = client.get(url)
    assert page.status_code == 200
    return page.get_data(as_text=True), statements


def test_the_progress_page_reads_each_of_its_follow_up_tables_once(world, auth, monkeypatch):
    text, page_statements = _afresh(world, auth, monkeypatch, f"/scholen/{world.school.id}/voortgang")
    assert "Evaluatie, ondersteuning en enveloppe" in text and "Begeleidingssessies" in text
    # The header: nothing (the school's city and network come with the person, accounts/loading.py);
    # the evaluation: the envelope and the support delivered in one statement, the evaluations another;
    # the indicators: the definitions, the ratings with who rated; then the well-being totals, the
    # sessions with their advisers and the milestones.
    statements = [s for s, ours in page_statements if ours]
    assert len(statements) <= 7, "\n".join(statements)
    # Over the whole page (a lazy load in a template has no issuer of ours): each table once.
    every = [s for s, _ours in page_statements]
    header = [s for s in every if "warm_cities" in _tables(s)]
    assert len(header) == 1 and {"schools", "learning_networks"} <= _tables(header[0]), "\n\n".join(header)
    sums = [s for s in every if _tables(s) & {"governance_envelope_spend", "governance_reallocations",
                                               "governance_partner_days"}]
    assert len(sums) == 1 and "coaching_sessions" in _tables(sums[0]), sums
    ratings = [s for s in every if "indicator_ratings" in _tables(s)]
    assert len(ratings) == 1 and "users" in _tables(ratings[0])
    # The ten newest sessions (limited in a subquery, with their number) with their advisers.
    sessions = [s for s in every if "coaching_sessions" in _tables(s) and "governance_envelope_spend" not in _tables(s)]
    assert len(sessions) == 1 and "coaching_session_advisers" in _tables(sessions[0]), sessions
    assert "LIMIT" in sessions[0] and "count(*) OVER ()" in sessions[0], sessions[0]
    assert not NESTED_JOIN.search(sessions[0]), sessions[0]
    assert not [s for s in every if s.startswith(("SELECT learning_networks.", "SELECT warm_cities.",
                                                  "SELECT coaching_session_advisers."))]
    # No one-by-one loads of who rated or of the sessions' schools (a statement of that table alone).
    assert not [s for s in statements if _tables(s) in ({"users"}, {"schools"})], statements


def test_the_school_home_panel_counts_the_ratings_without_reading_the_definitions(world, auth, monkeypatch):
    text, statements = _afresh(world, auth, monkeypatch, f"/scholen/{world.school.id}")
    assert "3 van de 9 indicatoren hebben een score." in text
    assert not [s for s, _ours in statements if "indicator_definitions" in _tables(s)]
    assert len([s for s, ours in statements if ours and "indicator_ratings" in _tables(s)]) <= 2  # + the next step


def test_support_and_envelope_together_are_what_each_reads_alone(world):
    _fill(world)
    day = date(2027, 9, 1)
    lines, envelope = figures.support_and_envelope(world.school, day)
    assert lines == figures.support(world.school, day) and envelope == figures.envelope(world.school)
    delivered = {line.key: line.delivered for line in lines}
    assert delivered == {"individual": 2.0, "collective": 1.0, "cego": 1.0, "tenz_training": 2.0,
                         "tenz_coaching": 0.0}
    assert (envelope.own_spent, envelope.matched_spent) == (Decimal("600.00"), Decimal("400.00"))
    assert envelope.matched_left == envelope.matched_agreed - Decimal("400.00")


def test_the_sessions_section_reads_the_ten_newest_and_counts_them_all(world, auth):
    """One statement for the ten newest and the number of all; each with all its advisers (a joined
    collection under a LIMIT: the ORM limits the sessions, not the rows of sessions x advisers)."""
    from warmeveranderen.tracking import queries

    advisers = [world.users["adviser"], world.users["coordinator"]]
    made = [CoachingSessionFactory(school=world.school, held_on=date(2026, 1, 1 + n)) for n in range(12)]
    made[-1].advisers = advisers
    made[-2].advisers = advisers[:1]
    db.session.flush()
    db.session.expire_all()
    assert world.school.network_id is not None  # (read again after the expiry: not the section's)
    with counting() as statements:
        newest, count = queries.school_sessions(world.school, limit=10)
        names = [[a.name for a in s.advisers] for s in newest]
    assert len(statements) == 1
    assert count == 12
    assert [s.id for s in newest] == [s.id for s in reversed(made)][:10]
    assert names[0] == sorted(a.name for a in advisers) and names[1] == [advisers[0].name]
    assert queries.school_sessions(world.other_school, limit=10) == ([], 0)


def test_sessions_come_with_their_advisers_in_order_through_flat_joins(world):
    """The network's sessions and the sessions of a period (calendar feeds, reminders): each in one
    statement without a nested join, with every adviser once, by name, and sessions without one."""
    from tests.factories import UserFactory
    from tests.test_queries import counting as plain_counting
    from warmeveranderen.tracking import queries

    network = world.school.network
    zoe, anna = UserFactory(name="Zoë Adviseur", is_adviser=True), UserFactory(name="Anna Adviseur", is_adviser=True)
    both = CoachingSessionFactory(kind="collective", network=network, school=None, held_on=date(2026, 10, 5),
                                  advisers=[zoe, anna])
    alone = CoachingSessionFactory(kind="collective", network=network, school=None, held_on=date(2026, 10, 12),
                                   advisers=[])
    db.session.commit()
    both_id, alone_id, network_id, name = both.id, alone.id, network.id, network.name
    db.session.expunge_all()  # nothing already loaded: what the statements bring is what is shown
    network = db.session.get(type(network), network_id)
    with plain_counting() as statements:
        found = queries.network_sessions(network)  # newest first
        between = queries.sessions_between(date(2026, 10, 1), date(2026, 10, 31))
        shown = [(s.id, [a.name for a in s.advisers], s.network.name) for s in (*found, *between)]
    assert len(statements) == 2 and not any(NESTED_JOIN.search(s) for s in statements), statements
    assert shown[:2] == [(alone_id, [], name), (both_id, ["Anna Adviseur", "Zoë Adviseur"], name)]
    assert shown[2:] == list(reversed(shown[:2]))
