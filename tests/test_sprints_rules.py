"""Service rules: statuses and guards, planning, closing and read-only sprints, ordering, coverage."""

from datetime import date, timedelta

import pytest
from flask import has_request_context, request

from tests.factories_sprints import BasketItemFactory, InitiativeFactory
from warmeveranderen import memo, plugins
from warmeveranderen.extensions import db
from warmeveranderen.sprints import cadence, queries, services
from warmeveranderen.sprints.models import Initiative, InitiativeEvent, Sprint, SprintResult
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.timeutil import today


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def running(world):
    """School A with sprint 1 started two weeks ago (goal set, active) and sprint 2 planned."""
    monday = today() - timedelta(days=today().weekday() + 14)
    cadence.setup_calendar(world.school, monday, world.users["coordinator"])
    sprint1 = queries.current_sprint(world.school)
    cadence.set_goal(sprint1, "Iedereen voelt zich welkom", world.users["flywheel_lead"])
    cadence.start_sprint(sprint1, world.users["flywheel_lead"])
    return sprint1


def _new(world, **data):
    data.setdefault("title", "Praatronde")
    data.setdefault("building_block", "culture")
    return services.create_initiative(world.school, data, world.users["flywheel"])


def test_statuses_are_defined_once_with_dutch_labels():
    from warmeveranderen.domain import INITIATIVE_STATUSES

    assert list(INITIATIVE_STATUSES) == ["idea", "planned", "in_progress", "ready_for_forum", "decided", "done",
                                         "dropped"]
    assert str(INITIATIVE_STATUSES["ready_for_forum"]) == "Klaar voor het forum"
    assert set(services.TRANSITIONS) == set(INITIATIVE_STATUSES)


def test_an_initiative_needs_a_title_and_exactly_one_primary_building_block(world):
    with pytest.raises(SprintError, match="bouwsteen"):
        _new(world, building_block="")
    with pytest.raises(SprintError, match="verschillen"):
        _new(world, building_block="culture", secondary_block="culture")
    with pytest.raises(SprintError, match="titel"):
        _new(world, title=" ")
    with pytest.raises(SprintError, match="zowel een niveau als een strategie"):
        _new(world, health_level="class")
    with pytest.raises(SprintError, match="vliegwiel"):
        _new(world, owner_id=world.users["forum"].id)
    assert db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 0
    initiative = _new(world, secondary_block="people", core_missions=["talent", "involvement"],
                      health_level="class", health_strategy="education", owner_id=world.users["director"].id)
    assert initiative.blocks == ["culture", "people"]
    assert initiative.core_missions == ["talent", "involvement"]
    assert initiative.status == "idea" and initiative.events[0].to_status == "idea"


def test_board_moves_follow_the_transitions_and_record_who_and_when(world, running):
    initiative = _new(world)
    user = world.users["flywheel"]
    with pytest.raises(SprintError, match="Plan het initiatief eerst"):
        services.move_initiative(initiative, "planned", user)
    services.plan_initiative(initiative, running, user)
    assert initiative.status == "planned" and initiative.sprint_id == running.id
    with pytest.raises(SprintError, match="niet rechtstreeks"):
        services.move_initiative(initiative, "ready_for_forum", user)
    services.move_initiative(initiative, "in_progress", user)
    services.move_initiative(initiative, "ready_for_forum", user, "Klaar om voor te leggen")
    with pytest.raises(SprintError, match="Besloten"):
        services.move_initiative(initiative, "decided", user)
    with pytest.raises(SprintError, match="Onbekende"):
        services.move_initiative(initiative, "zomaar", user)
    events = list(db.session.scalars(
        db.select(InitiativeEvent).where(InitiativeEvent.initiative_id == initiative.id).order_by(InitiativeEvent.id)))
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "idea"), ("idea", "planned"), ("planned", "in_progress"), ("in_progress", "ready_for_forum")]
    assert all(e.user_id == user.id and e.at is not None for e in events[1:])
    assert events[-1].note == "Klaar om voor te leggen" and events[-1].sprint_id == running.id


def test_guards_can_refuse_and_the_forum_sets_decided(world, running):
    initiative = _new(world)
    services.plan_initiative(initiative, running, world.users["flywheel"])
    services.move_initiative(initiative, "in_progress", world.users["flywheel"])

    def needs_decision(i, to_status, user):
        if to_status == "done" and i.status != "decided":
            return "Zonder geregistreerd besluit kan een initiatief niet afgerond worden."
        return None

    plugins.register(services.transition_guard(needs_decision))
    try:
        with pytest.raises(SprintError, match="besluit"):
            services.move_initiative(initiative, "done", world.users["flywheel"])
        assert initiative.status == "in_progress"
        services.move_initiative(initiative, "ready_for_forum", world.users["flywheel"])
        services.set_status(initiative, "decided", world.users["flywheel_lead"], "Besluit: aannemen")
        assert initiative.status == "decided"
        services.move_initiative(initiative, "done", world.users["flywheel"])
        assert initiative.status == "done"
    finally:
        services.TRANSITION_GUARDS.remove(needs_decision)


def test_planning_into_a_closed_sprint_is_refused_and_closed_sprints_are_read_only(world, running):
    lead = world.users["flywheel_lead"]
    a, b, c = _new(world, title="A"), _new(world, title="B"), _new(world, title="C")
    for i in (a, b, c):
        services.plan_initiative(i, running, lead)
    services.move_initiative(a, "in_progress", lead)
    services.set_status(a, "decided", lead, "Besluit na forumadvies")  # the forum guard: no done without a decision
    services.move_initiative(a, "done", lead)
    with pytest.raises(SprintError, match="Kies een resultaat"):
        cadence.close_sprint(running, {a.id: ("achieved", "")}, went_well="x", to_improve="y", actions="",
                              summary="", user=lead)
    with pytest.raises(SprintError, match="wat goed ging"):
        cadence.close_sprint(running, {a.id: ("achieved", ""), b.id: ("carried_over", ""),
                                        c.id: ("not_achieved", "")}, went_well="", to_improve="y", actions="",
                              summary="", user=lead)
    assert running.state == "active"
    cadence.close_sprint(running, {a.id: ("achieved", "Top"), b.id: ("carried_over", ""),
                                    c.id: ("not_achieved", "Geen tijd")},
                          went_well="Samen gewerkt", to_improve="Vaker overleggen", actions="Elke week overleg",
                          summary="Onthaal staat", user=lead, confirm_early=True)
    db.session.expire_all()
    sprint = db.session.get(Sprint, running.id)
    sprint2 = queries.next_sprint(sprint)
    assert sprint.state == "closed" and sprint.closed_by_id == lead.id
    assert db.session.get(Initiative, b.id).sprint_id == sprint2.id  # carried over
    c2 = db.session.get(Initiative, c.id)
    assert c2.sprint_id is None and c2.status == "idea"  # back to the backlog
    assert {r.result for r in db.session.scalars(db.select(SprintResult))} == {"achieved", "carried_over",
                                                                                "not_achieved"}
    a2 = db.session.get(Initiative, a.id)
    for attempt in (
        lambda: cadence.set_goal(sprint, "Nieuw doel", lead),
        lambda: services.plan_initiative(c2, sprint, lead),
        lambda: services.move_initiative(a2, "in_progress", lead),
        lambda: services.update_initiative(a2, {"title": "X", "building_block": "people"}, lead),
        lambda: cadence.start_sprint(sprint, lead),
        lambda: cadence.move_sprint(sprint, today(), "reden", world.users["coordinator"]),
    ):
        with pytest.raises(SprintError, match="afgesloten"):
            attempt()
    assert db.session.get(Sprint, sprint.id).goal == "Iedereen voelt zich welkom"


def test_a_sprint_needs_a_goal_before_it_starts(world):
    cadence.setup_calendar(world.school, today() - timedelta(days=today().weekday()), world.users["coordinator"])
    sprint = queries.current_sprint(world.school)
    with pytest.raises(SprintError, match="sprintdoel"):
        cadence.start_sprint(sprint, world.users["flywheel"])
    with pytest.raises(SprintError, match="sprintdoel"):
        cadence.set_goal(sprint, "   ", world.users["flywheel"])
    following = queries.next_sprint(sprint)
    following.goal = "Later"
    db.session.commit()
    with pytest.raises(SprintError, match="pas op"):
        cadence.start_sprint(following, world.users["flywheel"])
    assert sprint.state == "planned"


def test_checkpoints_and_meetings_validate_dates_and_people(world, running):
    lead = world.users["flywheel_lead"]
    with pytest.raises(SprintError, match="toekomst"):
        cadence.record_checkpoint(running, "start", today() + timedelta(days=1), "Directie", "", lead)
    with pytest.raises(SprintError, match="wie"):
        cadence.record_checkpoint(running, "start", today(), " ", "", lead)
    cadence.record_checkpoint(running, "start", running.start_date, "Directie, bestuur, trekker", "Akkoord", lead)
    cadence.record_checkpoint(running, "start", running.start_date + timedelta(days=1), "Directie", "Correctie", lead)
    assert len(running.checkpoints) == 1 and running.checkpoints[0].note == "Correctie"
    with pytest.raises(SprintError, match="aanwezig"):
        cadence.add_meeting(running, today(), [], "", lead)
    with pytest.raises(SprintError, match="Alleen vliegwielleden"):
        cadence.add_meeting(running, today(), [world.users["forum"].id], "", lead)
    with pytest.raises(SprintError, match="buiten sprint"):
        cadence.add_meeting(running, running.start_date - timedelta(days=1), [lead.id], "", lead)
    # The home and progress pages read the same with the cadence (queries.meeting_rhythm_once; each
    # time as in a new request: the cadence is read once per request).
    def both():
        if has_request_context():
            request.environ.pop(memo.ENVIRON_KEY, None)
        return queries.meeting_rhythm(world.school), queries.meeting_rhythm_once(world.school)

    assert both() == ((None, None),) * 2
    cadence.add_meeting(running, running.start_date, [lead.id, world.users["flywheel"].id], "Kick-off", lead)
    assert both() == ((running.start_date, None),) * 2
    cadence.add_meeting(running, running.start_date + timedelta(days=7), [lead.id], "", lead)
    cadence.add_meeting(running, running.start_date + timedelta(days=11), [world.users["director"].id], "", lead)
    assert both() == ((running.start_date + timedelta(days=11), 5.5),) * 2


def test_coverage_warns_when_only_one_or_two_blocks_are_touched():
    def make(*blocks):
        return [Initiative(building_block=b[0], secondary_block=b[1] if len(b) > 1 else None) for b in blocks]

    assert queries.coverage_warning(queries.coverage([])) is None
    assert "1 van de vijf" in queries.coverage_warning(queries.coverage(make(("culture",))))
    assert "2 van de vijf" in queries.coverage_warning(queries.coverage(make(("culture", "people"))))
    counts = queries.coverage(make(("culture", "people"), ("systems",)))
    assert queries.coverage_warning(counts) is None
    assert counts == {"structure": 0, "people": 1, "systems": 1, "culture": 1, "leadership": 0}


def test_backlog_order_up_down_and_reorder(world):
    a, b, c = (_new(world, title=t) for t in "ABC")
    user = world.users["flywheel"]
    services.move_in_backlog(c, "up", user)
    order = lambda: [i.title for i in db.session.scalars(queries.open_backlog_query(world.school))]  # noqa: E731
    assert order() == ["A", "C", "B"]
    services.move_in_backlog(a, "up", user)  # already first: nothing changes
    services.move_in_backlog(a, "down", user)
    assert order() == ["C", "A", "B"]
    services.reorder_backlog(world.school, [b.id, c.id, a.id], user)
    assert order() == ["B", "C", "A"]
    with pytest.raises(SprintError, match="gewijzigd"):
        services.reorder_backlog(world.school, [b.id, c.id], user)
    with pytest.raises(SprintError, match="gewijzigd"):
        services.reorder_backlog(world.school, [b.id, c.id, a.id, 99999], user)
    # Equal positions (concurrent inserts) still give a total order after a move.
    for i in (a, b, c):
        i.position = 5
    db.session.commit()
    services.move_in_backlog(a, "down", user)
    positions = [i.position for i in db.session.scalars(queries.open_backlog_query(world.school))]
    assert len(set(positions)) == 3


def test_basket_item_becomes_an_initiative_that_links_back(world):
    item = BasketItemFactory(programme=world.school.programme, building_block="people",
                             core_missions=["talent"], health_level="pupil", health_strategy="care",
                             provider="CLB")
    initiative = services.add_from_basket(world.school, item, world.users["flywheel"],
                                          world.users["flywheel"].id)
    assert initiative.basket_item_id == item.id and initiative.building_block == "people"
    assert initiative.health_level == "pupil" and "CLB" in initiative.description
    item.active = False
    db.session.commit()
    with pytest.raises(SprintError, match="niet meer"):
        services.add_from_basket(world.school, item, world.users["flywheel"])


def test_basket_validation(world):
    with pytest.raises(SprintError, match="https://"):
        services.save_basket_item(world.school.programme_id, {"title": "X", "what": "Y", "building_block": "culture",
                                                              "links": "www.example.org"})
    with pytest.raises(SprintError, match="bouwsteen"):
        services.save_basket_item(world.school.programme_id, {"title": "X", "what": "Y"})


def test_burnup_counts_done_per_week(world, running):
    lead = world.users["flywheel_lead"]
    a, b = _new(world, title="A"), _new(world, title="B")
    for i in (a, b):
        services.plan_initiative(i, running, lead)
        services.move_initiative(i, "in_progress", lead)
    services.set_status(a, "decided", lead, "Besluit na forumadvies")  # the forum guard: no done without a decision
    services.move_initiative(a, "done", lead)
    rows = queries.burnup(running)
    # Calendar weeks, the holiday weeks included (a sprint of ten school weeks may span twelve).
    assert len(rows) == running.weeks and rows[0][0] == 1 and rows[-1][1] == running.end_date
    week_now = (today() - running.start_date).days // 7 + 1
    assert [done for _w, _d, done, _s in rows] == [0] * (week_now - 1) + [1] + [None] * (running.weeks - week_now)
    assert {scope for *_r, scope in rows} == {2}


def test_health_grid_and_coverage_over_sprints(world, running):
    _new(world, title="A", health_level="class", health_strategy="education")
    _new(world, title="B", health_level="class", health_strategy="education")
    dropped = InitiativeFactory(school=world.school, health_level="school", health_strategy="policy",
                                status="dropped")
    assert dropped.id
    assert queries.health_grid(world.school) == {("class", "education"): 2}
    c = _new(world, title="C", building_block="systems", secondary_block="people")
    services.plan_initiative(c, running, world.users["flywheel"])
    data = queries.coverage_over_sprints(world.school)
    assert data[0][0] == running and data[0][1]["systems"] == 1 and data[0][1]["people"] == 1
    assert sum(data[1][1].values()) == 0


def test_sprint_helpers_for_other_features(world, running):
    assert queries.current_sprint(world.school) == running
    assert queries.sprint_for_date(world.school, running.end_date) == running
    assert [s.number for s in queries.sprints_of(world.school)] == [1, 2]
    assert queries.sprint_for_date(world.other_school, date(2026, 1, 1)) is None
    assert queries.current_sprint(world.other_school) is None
