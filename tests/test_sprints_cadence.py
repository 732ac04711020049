"""Cadence arithmetic: sprints in school weeks, leap years, DST, moving sprints and the school's own length."""

from datetime import UTC, date, datetime

import pytest

from warmeveranderen import timeutil
from warmeveranderen.extensions import db
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.schoolcalendar import SchoolCalendar
from warmeveranderen.sprints import cadence, queries
from warmeveranderen.sprints.models import Sprint, SprintChange
from warmeveranderen.sprints.services import SprintError


@pytest.fixture(autouse=True)
def _request_context(app):
    # Flask-Babel's locale selector (core i18n) reads the request; messages are built in Dutch here.
    with app.test_request_context():
        yield


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today (Brussels) is the given date, for the services."""

    def set_day(day: date):
        for module in (cadence, queries):
            monkeypatch.setattr(module, "today", lambda: day)
        return day

    return set_day


def _sprints(school):
    db.session.expire_all()
    return list(db.session.scalars(db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)))


def _assert_contiguous(sprints):
    """Contiguous in school time: each sprint starts on the first school day after the previous one ends."""
    calendar = SchoolCalendar()
    for a, b in zip(sprints, sprints[1:], strict=False):
        assert b.start_date == calendar.next_school_day(a.end_date), (a, b)
        assert b.number == a.number + 1


def test_default_length_comes_from_the_setting(app):
    assert queries.default_sprint_weeks() == 10
    app.config["SPRINT_WEEKS_DEFAULT"] = 8
    try:
        assert queries.default_sprint_weeks() == 8
    finally:
        app.config["SPRINT_WEEKS_DEFAULT"] = 10


def test_ten_weeks_is_exactly_seventy_days():
    start = date(2026, 9, 7)
    end = queries.sprint_end(start, 10)
    assert (end - start).days + 1 == 70
    assert end == date(2026, 11, 15)
    assert end.weekday() == 6  # a Monday start ends on a Sunday


def test_leap_day_is_a_normal_day_of_the_sprint():
    # 2028 is a leap year: a sprint starting 21 Feb 2028 contains 29 Feb and is still 70 days long.
    start = date(2028, 2, 21)
    end = queries.sprint_end(start, 10)
    assert end == date(2028, 4, 30)
    assert (end - start).days + 1 == 70
    # The same Monday-to-Sunday sprint in a common year ends on the same weekday, one calendar day later.
    assert queries.sprint_end(date(2027, 2, 22), 10) == date(2027, 5, 2)
    # A one-week sprint across 29 Feb 2024.
    assert queries.sprint_end(date(2024, 2, 26), 1) == date(2024, 3, 3)


def test_century_rule_2100_is_not_a_leap_year():
    assert queries.sprint_end(date(2100, 2, 22), 1) == date(2100, 2, 28)
    assert queries.sprint_end(date(2100, 2, 23), 1) == date(2100, 3, 1)


def test_dst_changes_do_not_change_the_length():
    # Spring forward (28 Mar 2027) and fall back (31 Oct 2027) inside sprints: still 70 calendar days.
    for start in (date(2027, 3, 1), date(2027, 9, 6)):
        end = queries.sprint_end(start, 10)
        assert (end - start).days + 1 == 70
        assert end.weekday() == 6


def test_today_is_the_brussels_date_around_midnight(monkeypatch):
    # 23:30 UTC on 28 Mar 2027 is 01:30 on 29 Mar in Brussels (summer time has started).
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2027, 3, 28, 23, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(timeutil, "datetime", Clock)
    assert timeutil.today() == date(2027, 3, 29)


def test_sprint_for_date_across_dst(world, on_day):
    on_day(date(2027, 3, 1))
    cadence.setup_calendar(world.school, date(2027, 3, 1), world.users["coordinator"])
    sprint1, sprint2 = _sprints(world.school)[:2]
    assert queries.sprint_for_date(world.school, date(2027, 3, 28)) == sprint1  # the DST Sunday
    assert queries.sprint_for_date(world.school, date(2027, 5, 21)) == sprint1  # last day
    assert queries.sprint_for_date(world.school, date(2027, 5, 24)) == sprint2
    assert queries.sprint_for_date(world.school, date(2027, 2, 28)) is None


def test_setup_creates_sprint_one_and_two(world, on_day):
    on_day(date(2026, 11, 21))
    cadence.setup_calendar(world.school, date(2026, 11, 16), world.users["coordinator"])
    sprints = _sprints(world.school)
    assert [(s.number, s.start_date, s.end_date) for s in sprints] == [
        # Ten school weeks each: the Christmas and carnival holidays do not count.
        (1, date(2026, 11, 16), date(2027, 2, 5)),
        (2, date(2027, 2, 15), date(2027, 5, 5)),  # after carnival; ends before Ascension (6-7 May)
    ]
    assert queries.current_sprint(world.school) == sprints[0]
    with pytest.raises(SprintError):
        cadence.setup_calendar(world.school, date(2026, 11, 23), world.users["coordinator"])


def test_future_cadence_start_has_sprint_one_and_two(world, on_day):
    on_day(date(2026, 11, 21))
    cadence.setup_calendar(world.school, date(2027, 1, 4), world.users["director"])
    assert [s.number for s in _sprints(world.school)] == [1, 2]
    assert queries.current_sprint(world.school) is None


def test_next_sprint_exists_as_soon_as_the_current_one_starts(world, on_day):
    on_day(date(2026, 9, 7))
    cadence.setup_calendar(world.school, date(2026, 9, 7), world.users["coordinator"])
    assert [s.number for s in _sprints(world.school)] == [1, 2]
    # Time passes into sprint 2: the sweep's upkeep creates sprint 3 at once.
    on_day(date(2026, 11, 23))
    cadence.extend_cadences(date(2026, 11, 23))
    current = queries.current_sprint(world.school)
    assert current.number == 2
    sprints = _sprints(world.school)
    assert [s.number for s in sprints] == [1, 2, 3]
    _assert_contiguous(sprints)
    # Years later: every sprint in between exists, without gaps, the last one after today.
    on_day(date(2029, 6, 1))
    cadence.extend_cadences(date(2029, 6, 1))
    assert queries.current_sprint(world.school).contains(date(2029, 6, 1))
    sprints = _sprints(world.school)
    _assert_contiguous(sprints)
    assert sprints[-1].start_date > date(2029, 6, 1)


def test_reading_makes_no_sprint_and_the_sweep_makes_the_next_one(world, on_day):
    on_day(date(2026, 9, 7))
    cadence.setup_calendar(world.school, date(2026, 9, 7), world.users["coordinator"])
    db.session.commit()
    on_day(date(2026, 11, 23))
    assert queries.current_sprint(world.school).number == 2
    assert [s.number for s in _sprints(world.school)] == [1, 2]  # a page only reads
    sweep(datetime(2026, 11, 23, 5))  # 06:00 in Brussels
    assert [s.number for s in _sprints(world.school)] == [1, 2, 3]
    _assert_contiguous(_sprints(world.school))


def test_sprints_count_school_weeks_and_the_summer_ends_the_last_one(world, on_day):
    # Holiday weeks do not count; no sprint starts or ends in a holiday or on a free day; the summer
    # ends the year's last sprint on 30 June and the next one starts on 1 September.
    on_day(date(2026, 9, 1))
    cadence.setup_calendar(world.school, date(2026, 9, 7), world.users["coordinator"])
    on_day(date(2027, 6, 30))
    cadence.extend_cadences(date(2027, 6, 30))
    sprints = queries.sprints_of(world.school)
    assert [(s.start_date, s.end_date) for s in sprints[:4]] == [
        (date(2026, 9, 7), date(2026, 11, 20)),  # the autumn holiday week does not count
        (date(2026, 11, 23), date(2027, 2, 19)),  # nor do Christmas and carnival
        (date(2027, 2, 22), date(2027, 5, 14)),  # nor Easter (29 March - 11 April 2027)
        (date(2027, 5, 18), date(2027, 6, 30)),  # after Whit Monday; the summer ends it
    ]
    assert sprints[4].start_date == date(2027, 9, 1)
    calendar = SchoolCalendar()
    for s in sprints:
        assert calendar.is_school_day(s.start_date) and calendar.is_school_day(s.end_date), s


def test_moving_a_sprint_shifts_it_and_all_later_sprints(world, on_day):
    on_day(date(2026, 9, 7))
    coordinator = world.users["coordinator"]
    cadence.setup_calendar(world.school, date(2026, 9, 7), coordinator)
    cadence.ensure_sprints(world.school, date(2027, 2, 1))
    sprint2 = _sprints(world.school)[1]
    cadence.move_sprint(sprint2, date(2026, 11, 30), "Pedagogische studiedag en forum schuiven op", coordinator)
    sprints = _sprints(world.school)
    assert sprints[0].end_date == date(2026, 11, 27)  # sprint 1 got a week longer, to the Friday before
    assert sprints[1].start_date == date(2026, 11, 30)
    assert sprints[1].end_date == date(2027, 2, 26)  # still ten school weeks
    assert sprints[2].start_date == date(2027, 3, 1)
    _assert_contiguous(sprints)
    change = db.session.scalar(db.select(SprintChange).where(SprintChange.kind == "move"))
    assert (change.old_start, change.new_start, change.sprint_id) == (date(2026, 11, 23), date(2026, 11, 30),
                                                                      sprint2.id)
    assert change.reason.startswith("Pedagogische") and change.changed_by_id == coordinator.id


def test_moving_needs_a_reason_and_keeps_the_cadence(world, on_day):
    on_day(date(2026, 9, 7))
    coordinator = world.users["coordinator"]
    cadence.setup_calendar(world.school, date(2026, 9, 7), coordinator)
    sprint1, sprint2 = _sprints(world.school)[:2]
    with pytest.raises(SprintError, match="reden"):
        cadence.move_sprint(sprint2, date(2026, 11, 23), "  ", coordinator)
    with pytest.raises(SprintError, match="breekt de cadans"):
        cadence.move_sprint(sprint2, date(2026, 9, 10), "te vroeg", coordinator)
    sprint1.goal = "Doel"
    db.session.commit()
    cadence.start_sprint(sprint1, world.users["flywheel"])
    with pytest.raises(SprintError, match="lopende sprint"):
        cadence.move_sprint(sprint1, date(2026, 9, 14), "later", coordinator)
    assert _sprints(world.school)[1].start_date == date(2026, 11, 23)  # nothing half-changed


def test_moving_sprint_one_moves_the_cadence_start(world, on_day):
    on_day(date(2026, 9, 1))
    coordinator = world.users["coordinator"]
    cadence.setup_calendar(world.school, date(2026, 9, 7), coordinator)
    cadence.move_sprint(_sprints(world.school)[0], date(2026, 9, 14), "Start na de eerste schoolweek",
                         coordinator)
    assert queries.calendar_of(world.school).start_date == date(2026, 9, 14)
    sprints = _sprints(world.school)
    assert sprints[0].start_date == date(2026, 9, 14) and sprints[1].start_date == date(2026, 11, 30)


def test_own_length_applies_to_sprints_that_did_not_start(world, on_day):
    on_day(date(2026, 9, 7))
    coordinator = world.users["coordinator"]
    cadence.setup_calendar(world.school, date(2026, 9, 7), coordinator)
    sprint1 = _sprints(world.school)[0]
    sprint1.goal = "Doel"
    db.session.commit()
    cadence.start_sprint(sprint1, world.users["flywheel_lead"])
    with pytest.raises(SprintError, match="reden"):
        cadence.set_sprint_weeks(world.school, 8, "", coordinator)
    with pytest.raises(SprintError, match="tussen"):
        cadence.set_sprint_weeks(world.school, 40, "te lang", coordinator)
    cadence.set_sprint_weeks(world.school, 8, "Afgestemd op de rapportperiodes", coordinator)
    sprints = _sprints(world.school)
    assert (sprints[0].start_date, sprints[0].end_date) == (date(2026, 9, 7), date(2026, 11, 20))  # running
    assert (sprints[1].start_date, sprints[1].end_date) == (date(2026, 11, 23), date(2027, 1, 29))  # 8 school weeks
    _assert_contiguous(sprints)
    # Back to the programme default.
    cadence.set_sprint_weeks(world.school, None, "Terug naar de programmaduur", coordinator)
    assert _sprints(world.school)[1].end_date == date(2027, 2, 19)
    kinds = [c.kind for c in queries.sprint_history(world.school)]
    assert kinds.count("length") == 2 and "calendar" in kinds
