"""The routine sweep asks the database only for what the send log does not hold yet (issue 24).

The rules leave out in SQL what was sent (notifications/unsent.py). These tests hold that to:
- nothing sent twice, also when the SQL check would let everything through (the unique key decides);
- a reminder that became due after an earlier sweep (a new sprint in the window, a new member, a
  moved date) is still sent, once;
- the SQL texts of key and occurrence equal what the rules write into the log (else a quiet rule
  would render its whole window again), on both sides of a daylight-saving change;
- a quiet sweep's statements do not grow with what its windows already hold.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event

from tests.factories import MembershipFactory, SchoolFactory
from tests.factories_forum import AdviceFactory, AdviceRoundFactory, ForumInitiativeFactory, ForumSessionFactory
from tests.factories_sprints import SprintFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum.subjects import QUESTION
from warmeveranderen.notifications import unsent as unsent_module
from warmeveranderen.notifications.models import Notification, ReminderLog
from warmeveranderen.notifications.rules import load_rules, offsets
from warmeveranderen.notifications.sweep import sweep


def log_rows(rule: str) -> list[tuple[str, int, str]]:
    db.session.expire_all()
    return sorted(tuple(row) for row in db.session.execute(
        db.select(ReminderLog.object_key, ReminderLog.recipient_id, ReminderLog.occurrence).where(ReminderLog.rule == rule)
    ).all())


def still_due(app, rule: str, now: datetime) -> list:
    """What the rule itself returns at `now` (before the sweep's own send-log check)."""
    with app.test_request_context("/"):
        return list(load_rules()[rule].fn(now))


def statements(fn) -> int:
    count = [0]

    def listener(*_args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return count[0]


# Each case: the data that makes one rule due, when it is due, and a moment later the same day or the next.
def _next_sprint(world):
    SprintFactory(school=world.school, number=2, start_date=date(2027, 1, 11), end_date=date(2027, 3, 21), goal="",
                  state="planned")


def _running_sprint(world):
    SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                  goal="Warm onthaal", state="active")


def _summer_session(world):
    ForumSessionFactory(school=world.school, starts_at=datetime(2027, 6, 18, 16, 30))  # 18:30 in Brussels (CEST)


def _winter_session(world):
    ForumSessionFactory(school=world.school, starts_at=datetime(2027, 1, 8, 23, 30))  # past midnight in Brussels


def _initiative_round(world):
    initiative = ForumInitiativeFactory(school=world.school, owner=world.users["flywheel"])
    advice_round = AdviceRoundFactory(school=world.school, subject_id=initiative.id,
                                      deadline=datetime(2027, 2, 10, 23, 30))
    AdviceFactory(round=advice_round, author=world.users["forum"], stance="objection")


def _question_round(world):
    """A free question: the round is its own subject, and whoever opened it owns it."""
    advice_round = AdviceRoundFactory(school=world.school, subject_kind=QUESTION, opened_by=world.users["board"],
                                      deadline=datetime(2027, 2, 10, 22, 0))
    advice_round.subject_id = advice_round.id
    db.session.commit()


def _ownerless_round(world):
    AdviceRoundFactory(school=world.school, subject_kind="initiative", subject_id=0,
                       deadline=datetime(2027, 2, 10, 22, 0))


CASES = [
    ("sprint_start_no_goal", _next_sprint, datetime(2027, 1, 4, 8), datetime(2027, 1, 5, 8), {"flywheel_lead", "flywheel"}),
    ("sprint_start_alignment", _next_sprint, datetime(2027, 1, 4, 8), datetime(2027, 1, 5, 8),
     {"flywheel_lead", "flywheel", "director"}),
    ("flywheel_idle", _running_sprint, datetime(2026, 11, 21, 8), datetime(2026, 11, 22, 8), {"flywheel_lead"}),
    ("sprint_not_closed", _running_sprint, datetime(2027, 1, 13, 8), datetime(2027, 1, 14, 8),
     {"flywheel_lead", "flywheel"}),
    ("sprint_not_closed_adviser", _running_sprint, datetime(2027, 1, 17, 8), datetime(2027, 1, 18, 8), {"adviser"}),
    ("forum_session_soon", _summer_session, datetime(2027, 6, 4, 17), datetime(2027, 6, 5, 8),
     {"flywheel_lead", "director"}),
    ("forum_session_soon", _winter_session, datetime(2026, 12, 26, 8), datetime(2026, 12, 27, 8),
     {"flywheel_lead", "director"}),
    ("advice_deadline_soon", _initiative_round, datetime(2027, 2, 9, 8), datetime(2027, 2, 10, 8), {"pupil"}),
    ("advice_closed_owner", _initiative_round, datetime(2027, 2, 18, 8), datetime(2027, 2, 19, 8), {"flywheel"}),
    ("advice_closed_owner", _question_round, datetime(2027, 2, 18, 8), datetime(2027, 2, 19, 8), {"board"}),
    ("advice_closed_owner", _ownerless_round, datetime(2027, 2, 18, 8), datetime(2027, 2, 19, 8), {"flywheel_lead"}),
    ("advice_closed_adviser", _initiative_round, datetime(2027, 2, 25, 8), datetime(2027, 2, 26, 8), {"adviser"}),
]


@pytest.mark.parametrize(("rule", "make", "first", "later", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1].__name__.strip('_')}" for c in CASES])
def test_a_rule_asks_only_for_what_was_not_sent(app, world, rule, make, first, later, expected):
    make(world)
    assert {due.recipient.id for due in still_due(app, rule, later)} == {world.users[k].id for k in expected}
    sweep(first)
    sent = log_rows(rule)
    assert {recipient for _key, recipient, _when in sent} == {world.users[k].id for k in expected}
    # The database leaves out what the log holds: the SQL key and occurrence are the logged texts.
    assert still_due(app, rule, first) == []
    assert still_due(app, rule, later) == []
    assert sweep(later).per_rule[rule] == 0
    assert log_rows(rule) == sent


def test_a_new_member_after_the_reminder_is_still_reminded_once(app, world):
    _next_sprint(world)
    sweep(datetime(2027, 1, 4, 8))
    before = log_rows("sprint_start_no_goal")
    newcomer = MembershipFactory(school=world.school, role="flywheel").user
    report = sweep(datetime(2027, 1, 4, 8, 5))
    assert report.per_rule["sprint_start_no_goal"] == 1
    assert set(log_rows("sprint_start_no_goal")) - set(before) == {
        (before[0][0], newcomer.id, before[0][2])}
    assert sweep(datetime(2027, 1, 4, 8, 10)).per_rule["sprint_start_no_goal"] == 0


def test_a_sprint_that_enters_the_window_later_is_reminded_and_a_moved_one_again(app, world):
    _next_sprint(world)
    sweep(datetime(2027, 1, 4, 8))
    other = SprintFactory(school=world.school, number=3, start_date=date(2027, 1, 12), end_date=date(2027, 3, 22),
                          goal="", state="planned")
    assert sweep(datetime(2027, 1, 4, 8, 5)).per_rule["sprint_start_no_goal"] == 0  # not yet due
    report = sweep(datetime(2027, 1, 5, 8))
    assert report.per_rule["sprint_start_no_goal"] == 2
    assert {key for key, _r, _w in log_rows("sprint_start_no_goal")} >= {f"sprint-{other.id}"}
    other.start_date = date(2027, 1, 13)
    db.session.commit()
    assert sweep(datetime(2027, 1, 6, 8)).per_rule["sprint_start_no_goal"] == 2  # a new date, a new reminder
    assert sweep(datetime(2027, 1, 6, 8, 5)).per_rule["sprint_start_no_goal"] == 0


def test_exactly_once_does_not_rest_on_the_sql_check(app, world, monkeypatch):
    """Were the anti-join to let every candidate through, the send log's unique key still sends nothing twice."""
    _next_sprint(world)
    _initiative_round(world)
    sweep(datetime(2027, 2, 18, 8))
    sweep(datetime(2027, 1, 4, 8))
    logged = log_rows("sprint_start_no_goal") + log_rows("advice_closed_owner")
    notifications = db.session.scalar(db.select(db.func.count()).select_from(Notification))
    monkeypatch.setattr(unsent_module, "unsent", lambda *_args: db.true())
    for module in ("warmeveranderen.sprints.jobs", "warmeveranderen.forum.jobs"):
        monkeypatch.setattr(f"{module}.unsent", lambda *_args: db.true())
    assert still_due(app, "sprint_start_no_goal", datetime(2027, 1, 4, 9)), "the check is really off"
    report = sweep(datetime(2027, 1, 4, 9))
    assert report.per_rule["sprint_start_no_goal"] == 0
    report = sweep(datetime(2027, 2, 18, 9))
    assert report.per_rule["advice_closed_owner"] == 0
    assert log_rows("sprint_start_no_goal") + log_rows("advice_closed_owner") == logged
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == notifications


def _schools_with_due_reminders(count: int) -> None:
    """`count` schools, each with a flywheel, a sprint starting without a goal and an idle running sprint."""
    for _ in range(count):
        school = SchoolFactory()
        MembershipFactory(school=school, role="flywheel", is_lead=True)
        MembershipFactory(school=school, role="director")
        SprintFactory(school=school, number=1, start_date=date(2026, 12, 15), end_date=date(2027, 1, 8), goal="Doel",
                      state="active")
        SprintFactory(school=school, number=2, start_date=date(2027, 1, 11), end_date=date(2027, 3, 21), goal="",
                      state="planned")


def test_a_quiet_sweep_costs_the_same_however_much_its_windows_already_sent(app, world):
    now = datetime(2027, 1, 5, 8)
    _schools_with_due_reminders(3)
    first = sweep(now)
    assert first.per_rule["sprint_start_no_goal"] == 3 and first.per_rule["flywheel_idle"] == 3
    few = statements(lambda: sweep(datetime(2027, 1, 5, 8, 5)))
    _schools_with_due_reminders(12)
    assert sweep(datetime(2027, 1, 5, 8, 10)).per_rule["sprint_start_alignment"] == 24
    many = statements(lambda: sweep(datetime(2027, 1, 5, 8, 15)))
    assert many == few
    # And each of those rules asked one question: no objects, people or send-log rows loaded.
    for rule in ("sprint_start_no_goal", "sprint_start_alignment", "flywheel_idle", "forum_session_soon",
                 "advice_deadline_soon", "advice_closed_adviser", "sprint_not_closed", "sprint_not_closed_adviser"):
        with app.test_request_context("/"):
            offsets()  # read once per sweep
            assert statements(lambda rule=rule: list(load_rules()[rule].fn(datetime(2027, 1, 5, 8, 20)))) == 1, rule
