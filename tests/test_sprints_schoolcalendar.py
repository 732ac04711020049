"""Issue 17: the cadence follows the school calendar — sprints in school weeks, forums on school days,
own days that replan only future sprints, the calendar page, the holiday feed and the coordinator's overview."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from warmeveranderen import timeutil
from warmeveranderen.demo import load_demo
from warmeveranderen.domain import NOTIFICATION_CATEGORIES
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import ForumSession
from warmeveranderen.forum.queries import proposed_session_start, utc_to_local
from warmeveranderen.schoolcalendar import SchoolCalendar
from warmeveranderen.sprints import cadence, replan, schooltime
from warmeveranderen.sprints.models import OwnDay, Sprint, SprintCalendar, SprintChange


@pytest.fixture
def clock(monkeypatch):
    """Pretend it is the given Brussels day (10:00) everywhere: timeutil.today() and utcnow()."""

    def set_day(day: date) -> date:
        moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=timeutil.BRUSSELS)

        class Clock(datetime):
            @classmethod
            def now(cls, tz=None):
                return moment.astimezone(tz or UTC)

        monkeypatch.setattr(timeutil, "datetime", Clock)
        return day

    return set_day


def _sprints(school) -> list[Sprint]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)))


# The demo loaded in term time, in each holiday, on free days and in the summer.
DEMO_DAYS = [date(2026, 9, 1), date(2026, 11, 4), date(2026, 12, 28), date(2027, 2, 10), date(2027, 4, 6),
             date(2027, 5, 7), date(2027, 7, 15), date(2027, 8, 31), date(2028, 1, 20)]


@pytest.mark.parametrize("day", DEMO_DAYS, ids=[d.isoformat() for d in DEMO_DAYS])
def test_demo_school_on_any_day_has_no_sprint_or_forum_in_a_holiday(app, clock, day):
    clock(day)
    with app.test_request_context():
        school = load_demo()
        cadence.extend_cadences(day + timedelta(days=3 * 366))  # three school years ahead, as the sweep would
        sprints = _sprints(school)
        calendar = schooltime.calendar_for(school)
        assert sprints[-1].start_date > day + timedelta(days=3 * 366)
        assert len({calendar.school_year(s.start_date).start_year for s in sprints}) >= 3
        for s in sprints:
            assert calendar.is_school_day(s.start_date), ("start", s)
            assert calendar.is_school_day(s.end_date), ("end", s)
            assert calendar.is_school_day(utc_to_local(proposed_session_start(s)).date()), ("forum", s)
        for a, b in zip(sprints, sprints[1:], strict=False):
            assert b.start_date == calendar.next_school_day(a.end_date), (a, b)
        session = db.session.scalar(db.select(ForumSession).where(ForumSession.school_id == school.id))
        assert calendar.is_school_day(utc_to_local(session.starts_at).date())


@pytest.fixture
def cadence_in_october(app, world, clock):
    """School A: sprint 1 (7 Sep - 20 Nov 2026) running on 1 October 2026, sprints through spring planned."""
    clock(date(2026, 10, 1))
    with app.test_request_context():
        cadence.setup_calendar(world.school, date(2026, 9, 7), world.users["coordinator"])
        cadence.ensure_sprints(world.school, date(2027, 3, 1))
        sprint1 = _sprints(world.school)[0]
        sprint1.goal = "Een warm onthaal"
        cadence.start_sprint(sprint1, world.users["flywheel_lead"])
        db.session.commit()
    return [(s.number, s.start_date, s.end_date) for s in _sprints(world.school)]


def test_adding_a_study_day_moves_only_future_sprints(world, auth, cadence_in_october):
    before = cadence_in_october
    assert before[:3] == [(1, date(2026, 9, 7), date(2026, 11, 20)), (2, date(2026, 11, 23), date(2027, 2, 19)),
                          (3, date(2027, 2, 22), date(2027, 5, 14))]
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/sprints/vrije-dagen"
    # On the running sprint's last day: the running sprint keeps its dates.
    assert director.post_form(url, {"day": "2026-11-20", "name": "Pedagogische studiedag"}).status_code == 302
    # On the last day of sprint 2 and the first day of sprint 3: both are future, both follow.
    assert director.post_form(url, {"day": "2027-02-19", "name": "Studiedag team"}).status_code == 302
    assert director.post_form(url, {"day": "2027-02-22", "name": "Facultatieve vrije dag"}).status_code == 302
    after = [(s.number, s.start_date, s.end_date) for s in _sprints(world.school)]
    assert after[0] == before[0]  # running: unchanged, even though it now ends on a study day
    assert after[1] == (2, date(2026, 11, 23), date(2027, 2, 18))
    assert after[2][1] == date(2027, 2, 23)
    changes = db.session.scalars(db.select(SprintChange).where(SprintChange.kind == "replan")
                                 .order_by(SprintChange.id)).all()
    assert {c.sprint.number for c in changes} >= {2, 3} and 1 not in {c.sprint.number for c in changes}
    assert any("Facultatieve vrije dag" in c.reason for c in changes)
    page = director.get(f"/scholen/{world.school.id}/sprints").text
    assert "volgt de schoolkalender" in page and "Facultatieve vrije dag" in page
    assert "geen schooldag" in page  # the running sprint's end, flagged


def test_own_day_form_keeps_what_was_typed_and_explains(world, auth, cadence_in_october):
    lead = auth.client_for(world.users["flywheel_lead"])
    r = lead.post_form(f"/scholen/{world.school.id}/sprints/vrije-dagen", {"day": "2027-02-20", "name": "Opendeurdag"})
    assert r.status_code == 422 and "valt in het weekend" in r.text and 'value="Opendeurdag"' in r.text
    r = lead.post_form(f"/scholen/{world.school.id}/sprints/vrije-dagen", {"day": "", "name": "Studiedag"})
    assert r.status_code == 422 and "geldige datum" in r.text
    assert db.session.scalar(db.select(OwnDay.id)) is None


def test_own_days_from_an_ics_file(world, auth, cadence_in_october):
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Smartschool//NL\r\n"
           b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270219\r\nDTEND;VALUE=DATE:20270220\r\n"
           b"SUMMARY:Pedagogische studiedag\r\nEND:VEVENT\r\n"
           b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270210T140000Z\r\nDTEND:20270210T160000Z\r\n"
           b"SUMMARY:Personeelsvergadering\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/sprints/vrije-dagen/inlezen"
    r = director.post_form(url, {"file": (io.BytesIO(b"geen agenda"), "agenda.ics")},
                           content_type="multipart/form-data")
    assert r.status_code == 422 and "geen leesbare iCalendar-agenda" in r.text
    r = director.post_form(url, {"file": (io.BytesIO(ics), "agenda.ics")}, content_type="multipart/form-data")
    assert r.status_code == 302
    days = db.session.scalars(db.select(OwnDay)).all()
    assert [(d.day, d.name) for d in days] == [(date(2027, 2, 19), "Pedagogische studiedag")]  # not the meeting
    assert _sprints(world.school)[1].end_date == date(2027, 2, 18)


def test_a_network_day_counts_for_every_school_and_only_the_coordinator_adds_it(world, auth, cadence_in_october):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/sprints/vrije-dagen"
    director.post_form(url, {"day": "2027-02-19", "name": "Netwerkdag", "everyone": "y"})
    assert db.session.scalar(db.select(OwnDay.school_id)) == world.school.id  # the director's is the school's own
    db.session.execute(db.delete(OwnDay))
    db.session.commit()
    coordinator = auth.client_for(world.users["coordinator"])
    assert coordinator.post_form(url, {"day": "2027-02-19", "name": "Netwerkdag", "everyone": "y"}).status_code == 302
    assert db.session.scalar(db.select(OwnDay.school_id)) is None
    other = schooltime.calendar_for(world.other_school)
    assert not other.is_school_day(date(2027, 2, 19))


def test_legacy_cadence_keeps_past_and_running_sprints_and_replans_the_future(app, world, clock):
    clock(date(2026, 12, 1))
    # A cadence from before issue 17: 70 days back to back from 7 September 2026.
    calendar = SprintCalendar(school_id=world.school.id, start_date=date(2026, 9, 7), rule="calendar_days")
    db.session.add(calendar)
    spans = [(date(2026, 9, 7) + timedelta(days=70 * i), date(2026, 9, 7) + timedelta(days=70 * i + 69))
             for i in range(3)]
    for n, (a, b) in enumerate(spans, start=1):
        db.session.add(Sprint(school_id=world.school.id, number=n, start_date=a, end_date=b,
                              state="closed" if n == 1 else "active" if n == 2 else "planned"))
    db.session.commit()
    with app.test_request_context():
        replan.replan_legacy_cadences(date(2026, 12, 1))
        db.session.commit()
    sprints = _sprints(world.school)
    assert [(s.start_date, s.end_date) for s in sprints[:2]] == spans[:2]  # past and running stay
    cal = SchoolCalendar()
    assert sprints[2].start_date == cal.next_school_day(spans[1][1])  # 25 January 2027 stays a Monday
    assert cal.is_school_day(sprints[2].end_date) and sprints[2].end_date != spans[2][1]
    assert db.session.get(SprintCalendar, calendar.id).rule == "school_weeks"
    with app.test_request_context():
        replan.replan_legacy_cadences(date(2026, 12, 2))  # once: nothing left to do
    assert db.session.scalar(db.select(db.func.count()).select_from(SprintChange)) == 1


def test_forum_on_the_thursday_before_as_a_setting(app, world, cadence_in_october):
    sprint2 = _sprints(world.school)[1]  # ends Friday 19 February 2027
    with app.test_request_context():
        assert utc_to_local(proposed_session_start(sprint2)).date() == date(2027, 2, 19)
        app.config["FORUM_DAY"] = "thursday_before"
        try:
            assert utc_to_local(proposed_session_start(sprint2)).date() == date(2027, 2, 18)
        finally:
            app.config["FORUM_DAY"] = "last_school_day"


def test_calendar_page_and_holiday_feed(world, auth, cadence_in_october):
    client = auth.client_for(world.users["forum"])
    page = client.get(f"/scholen/{world.school.id}/sprints").text
    assert "Schooljaar 2026–2027" in page and "Kerstvakantie" in page and "Wapenstilstand" in page
    assert "Schoolweken" in page and "Vrije dag toevoegen" not in page  # the forum member reads only
    feed = client.get(f"/meldingen/scholen/{world.school.id}/agenda.ics").text
    assert "Kerstvakantie (Warme School A)" in feed and "DTSTART;VALUE=DATE:20261221" in feed
    assert "DTEND;VALUE=DATE:20270104" in feed  # the holiday as one all-day event to 3 January
    # A choice per person: without the holidays, the feed keeps the sprints.
    prefs = client.get("/meldingen/voorkeuren").text
    assert re.search(r'<input[^>]*checked[^>]*name="holidays"|<input[^>]*name="holidays"[^>]*checked', prefs)
    modes = {f"mode_{c}": "immediate" for c in NOTIFICATION_CATEGORIES}
    assert client.post_form("/meldingen/voorkeuren", {**modes, "digest_hour": "7"}).status_code == 302
    feed = client.get(f"/meldingen/scholen/{world.school.id}/agenda.ics").text
    assert "Kerstvakantie" not in feed and "BEGIN:VEVENT" in feed


def test_coordinator_sees_sprints_moved_into_a_holiday(world, auth, cadence_in_october):
    sprint3 = _sprints(world.school)[2]
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get("/programma/sprints/schoolkalender").text
    assert "beginnen en eindigen op een schooldag" in page
    r = coordinator.post_form(f"/sprints/{sprint3.id}/verschuiven",
                              {"new_start": "2027-04-05", "reason": "Na de paasvakantie? Nee, erin."})
    assert r.status_code == 302
    page = coordinator.get("/programma/sprints/schoolkalender").text
    assert "Warme School A" in page and "begint niet op een schooldag" in page


def test_a_sprint_moved_by_hand_keeps_its_start_when_the_calendar_changes(world, auth, cadence_in_october):
    sprint3 = _sprints(world.school)[2]  # 22 February 2027
    coordinator = auth.client_for(world.users["coordinator"])
    r = coordinator.post_form(f"/sprints/{sprint3.id}/verschuiven",
                              {"new_start": "2027-03-01", "reason": "Na de rapporten"})
    assert r.status_code == 302
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/sprints/vrije-dagen"
    assert director.post_form(url, {"day": "2027-01-15", "name": "Studiedag"}).status_code == 302
    sprints = _sprints(world.school)
    assert sprints[2].start_date == date(2027, 3, 1)  # the coordinator's choice stays
    assert sprints[1].end_date == date(2027, 2, 26)  # sprint 2 runs up to it
