"""The cadence keeper: reminders exactly once, email per preference, digests, retries, calendars, the lock."""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import date, datetime, timedelta

import pytest
from flask import url_for
from icalendar import Calendar
from sqlalchemy import event

from tests.factories_notify import ReminderLogFactory
from warmeveranderen import plugins
from warmeveranderen.extensions import db
from warmeveranderen.mail import MailError
from warmeveranderen.notifications import delivery as sweep_module
from warmeveranderen.notifications.calendar import SOURCES, CalendarEvent, calendar_source
from warmeveranderen.notifications.models import (
    Notification,
    NotificationSettings,
    ReminderLog,
    SchedulerHeartbeat,
)
from warmeveranderen.notifications.rules import Due, lookback, offset, reminder_rule, unregister
from warmeveranderen.notifications.services import notify
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.timeutil import utcnow

# A winter morning: no measurement window is open, so only the test rule speaks.
WINTER = datetime(2026, 12, 1, 8, 0)


@pytest.fixture
def events():
    """A test-only rule: remind `forum_session_days` before each (user, key, day) event, within the lookback."""
    items: list[tuple] = []

    @reminder_rule("test_event_soon", "sprint", description="Test-only")
    def event_soon(now):
        today = now.date()
        for user, key, day in items:
            due_from = day - timedelta(days=offset("forum_session_days"))
            if due_from <= today < day and today < due_from + timedelta(days=lookback()):
                yield Due(recipient=user, object_key=key, occurrence=f"day-{day}",
                          title=f"Binnenkort: {key}", body="Bereid je voor.", url="/")

    plugins.register(event_soon)
    yield items
    unregister("test_event_soon")


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_reminder_is_sent_once_in_app_and_by_email(world, events, outbox):
    lead = world.users["flywheel_lead"]
    events.append((lead, "session-1", date(2026, 12, 10)))
    first = sweep(WINTER)
    second = sweep(WINTER + timedelta(minutes=5))
    assert [s[1] for s in first.sent] == [lead.email]
    assert second.sent == []
    [n] = db.session.scalars(db.select(Notification)).all()
    assert n.user_id == lead.id and n.title == "Binnenkort: session-1" and n.email_status == "sent"
    [mail] = outbox()
    assert mail["To"] == lead.email and mail["Subject"] == "Binnenkort: session-1"
    assert "http://localhost/" in mail.get_body(("plain",)).get_content()
    assert _count(SchedulerHeartbeat) == 2


def test_moving_the_date_gives_a_new_reminder(world, events):
    lead = world.users["flywheel_lead"]
    events.append((lead, "session-1", date(2026, 12, 10)))
    sweep(WINTER)
    events[0] = (lead, "session-1", date(2026, 12, 12))
    assert len(sweep(WINTER + timedelta(hours=1)).sent) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reminder_arrives_once_on_a_real_smtp_server(app, world, events, monkeypatch):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        director = world.users["director"]
        events.append((director, "evaluation-1", date(2026, 12, 5)))
        sweep(WINTER)
        sweep(WINTER + timedelta(minutes=5))
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0].rcpt_tos == [director.email]
    assert b"Binnenkort: evaluation-1" in received[0].content


def test_concurrent_sweeps_in_threads_deliver_each_reminder_once(app, world, events, outbox):
    users = [world.users[r] for r in ("director", "board", "flywheel_lead", "flywheel", "forum", "adviser")]
    for i, user in enumerate(users):
        events.append((user, f"thing-{i}", date(2026, 12, 10)))
        events.append((user, f"other-{i}", date(2026, 12, 11)))
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                reports.append(sweep(WINTER))
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(len(r.sent) for r in reports) == 12
    assert _count(Notification) == 12 and _count(ReminderLog) == 12
    assert len(outbox()) == 12
    assert sorted(m["To"] for m in outbox()) == sorted(u.email for u in users for _ in range(2))


def _sweep_in_child(database_url, now, queue):
    from warmeveranderen import create_app
    from warmeveranderen.extensions import db as child_db

    # The registry is inherited through fork; a fresh app gives the child its own connections.
    child = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                        "MAIL_OUTBOX_DIR": _child_outbox[0], "BASE_URL": "http://localhost"})
    with child.app_context():
        queue.put(len(sweep(now).sent))
        child_db.session.remove()


_child_outbox: list[str] = []


@pytest.mark.postgres
def test_concurrent_sweeps_in_processes_on_postgres(app, database_url, world, outbox):
    import multiprocessing

    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    # The real measurement rule: the autumn window opened yesterday, for directors and flywheel leads.
    from tests.factories import MembershipFactory, SchoolFactory

    for _ in range(10):
        school = SchoolFactory()
        MembershipFactory(school=school, role="director")
        MembershipFactory(school=school, role="flywheel", is_lead=True)
    db.session.commit()
    db.session.remove()
    _child_outbox[:] = [app.config["MAIL_OUTBOX_DIR"]]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    now = datetime(2026, 9, 2, 8, 0)
    procs = [ctx.Process(target=_sweep_in_child, args=(database_url, now, queue)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    sent = sum(queue.get(timeout=5) for _ in procs)
    expected = 10 * 2 + 3  # the new schools, plus world's director, lead and the outsider (director of B)
    assert sent == expected
    assert _count(Notification) == expected
    assert len(outbox()) == expected


def test_missed_reminders_are_sent_once_when_the_scheduler_comes_back(runner, world, outbox):
    # The autumn window opened on 1 September; the scheduler was down until the 8th.
    result = runner.invoke(args=["reminders", "sweep", "--now", "2026-09-08T08:00"])
    assert result.exit_code == 0, result.output
    recipients = {world.users["director"].email, world.users["flywheel_lead"].email, world.users["outsider"].email}
    lines = [line for line in result.output.splitlines() if line.startswith("verstuurd:")]
    assert {line.split("] ")[1].split(":")[0] for line in lines} == recipients
    again = runner.invoke(args=["reminders", "sweep", "--now", "2026-09-09T08:00"])
    assert "0 herinneringen verstuurd" in again.output
    assert sorted(m["To"] for m in outbox()) == sorted(recipients)


def test_stale_reminders_are_not_sent(runner, world, outbox):
    # A month after the window opened (beyond the 14-day lookback) it is no longer news.
    result = runner.invoke(args=["reminders", "sweep", "--now", "2026-10-01T08:00"])
    assert "0 herinneringen verstuurd" in result.output
    assert outbox() == []


def test_dry_run_sends_and_writes_nothing(runner, world, outbox):
    result = runner.invoke(args=["reminders", "sweep", "--now", "2026-09-02T08:00", "--dry-run"])
    assert result.exit_code == 0
    assert result.output.count("zou versturen:") == 3
    assert _count(ReminderLog) == 0 and _count(Notification) == 0 and _count(SchedulerHeartbeat) == 0
    assert outbox() == []


def test_bad_now_is_refused(runner):
    result = runner.invoke(args=["reminders", "sweep", "--now", "morgen"])
    assert result.exit_code != 0 and "ISO" in result.output


def test_indicator_window_reminds_advisers(world):
    report = sweep(datetime(2026, 5, 3, 8, 0))
    advisers = [email for rule, email, _t in report.sent if rule == "indicator_window_open"]
    assert advisers == [world.users["adviser"].email]


def test_email_failure_is_retried_later_and_does_not_block_the_sweep(world, events, outbox, monkeypatch):
    director, lead = world.users["director"], world.users["flywheel_lead"]
    events.append((director, "a", date(2026, 12, 10)))
    events.append((lead, "b", date(2026, 12, 10)))
    real = sweep_module.send_email

    def failing_for_director(to, *args, **kwargs):
        if to == director.email:
            raise MailError("451 try again later")
        return real(to, *args, **kwargs)

    monkeypatch.setattr(sweep_module, "send_email", failing_for_director)
    report = sweep(WINTER)
    assert len(report.sent) == 2 and report.emails_sent == 1 and len(report.errors) == 1
    failed = db.session.scalar(db.select(Notification).where(Notification.user_id == director.id))
    assert failed.email_status == "retry" and failed.email_attempts == 1 and "451" in failed.email_last_error
    assert [m["To"] for m in outbox()] == [lead.email]
    # Too early for the retry: nothing happens.
    monkeypatch.setattr(sweep_module, "send_email", real)
    assert sweep(WINTER + timedelta(minutes=1)).emails_sent == 0
    assert sweep(WINTER + timedelta(minutes=10)).emails_sent == 1
    assert sorted(m["To"] for m in outbox()) == sorted([lead.email, director.email])
    db.session.expire_all()
    assert failed.email_status == "sent" and failed.email_last_error is None


def test_a_claim_left_by_a_crash_is_delivered_later(world, outbox):
    lead = world.users["flywheel_lead"]
    ReminderLogFactory(rule="test_crashed", recipient=lead, category="sprint", title="Na een crash",
                       status="claimed", claimed_at=utcnow() - timedelta(hours=1))
    report = sweep(WINTER)
    assert report.recovered == 1
    entry = db.session.scalar(db.select(ReminderLog))
    assert entry.status == "delivered" and entry.notification_id is not None
    assert [m["Subject"] for m in outbox()] == ["Na een crash"]
    assert sweep(WINTER).recovered == 0


def _prefs(overrides: dict, hour: int = 7) -> dict:
    from warmeveranderen.domain import NOTIFICATION_CATEGORIES

    data = {f"mode_{c}": "immediate" for c in NOTIFICATION_CATEGORIES}
    data.update({f"mode_{c}": m for c, m in overrides.items()})
    data["digest_hour"] = str(hour)
    return data


def test_preferences_immediate_digest_and_in_app(world, auth, outbox):
    lead = world.users["flywheel_lead"]
    client = auth.client_for(lead)
    page = client.get("/meldingen/voorkeuren")
    assert page.status_code == 200 and "Dagelijks overzicht per e-mail" in page.get_data(as_text=True)
    response = client.post_form("/meldingen/voorkeuren", _prefs({"sprint": "digest", "forum": "in_app"}, hour=18))
    assert response.status_code == 302
    notify([lead], category="sprint", title="Sprint 2 is gepland", url="/")
    notify([lead], category="forum", title="Het forum adviseerde", url="/")
    notify([lead], category="general", title="Welkom", url="/")
    db.session.commit()
    # 11:00 in Brussels: the immediate one goes, the digest waits for 18:00, the forum one stays in-app.
    sweep(datetime(2026, 12, 1, 10, 0))
    assert [m["Subject"] for m in outbox()] == ["Welkom"]
    statuses = dict(db.session.execute(db.select(Notification.title, Notification.email_status)).all())
    assert statuses == {"Sprint 2 is gepland": "digest", "Het forum adviseerde": "none", "Welkom": "sent"}
    sweep(datetime(2026, 12, 1, 17, 30))  # 18:30 in Brussels
    assert len(outbox()) == 2
    [digest] = [m for m in outbox() if m["Subject"] != "Welkom"]
    assert digest["Subject"] == "Je dagelijks overzicht van Warm Veranderen"
    assert "Sprint 2 is gepland" in digest.get_body(("plain",)).get_content()
    assert "Het forum adviseerde" not in digest.get_body(("plain",)).get_content()
    # One digest a day: a new item the same evening waits until tomorrow's hour.
    notify([lead], category="sprint", title="Sprint 3 is gepland", url="/")
    db.session.commit()
    sweep(datetime(2026, 12, 1, 19, 0))
    assert len(outbox()) == 2
    sweep(datetime(2026, 12, 2, 17, 5))
    assert len(outbox()) == 3
    assert db.session.get(NotificationSettings, lead.id).last_digest_on == date(2026, 12, 2)


def test_invalid_preferences_are_refused_and_not_saved(world, auth):
    client = auth.client_for(world.users["director"])
    response = client.post_form("/meldingen/voorkeuren", _prefs({"forum": "pigeon"}, hour=7))
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True) or "geldige" in response.get_data(as_text=True)
    from warmeveranderen.notifications.models import NotificationPreference

    assert _count(NotificationPreference) == 0


def test_notify_without_email_stays_in_app(world, outbox):
    notify([world.users["director"]], category="forum", title="Stil", url="/", email=False)
    db.session.commit()
    sweep(WINTER)
    assert outbox() == []


FEED_RE = re.compile(r'value="(http://localhost/meldingen/agenda/([^"]+)\.ics)"')


def _new_feed_url(client) -> tuple[str, str]:
    response = client.post_form("/meldingen/agenda/nieuwe-link", follow_redirects=True)
    match = FEED_RE.search(response.get_data(as_text=True))
    assert match, "the new calendar link is shown once"
    return match.group(1).replace("http://localhost", ""), match.group(2)


@pytest.fixture
def changing_source():
    state = {"summary": "Forumbijeenkomst"}

    @calendar_source
    def test_source(user, school=None):
        yield CalendarEvent(uid="forum-session-7@warmeveranderen", summary=state["summary"],
                            start=datetime(2026, 12, 3, 18, 0), end=datetime(2026, 12, 3, 20, 0), url="/")

    plugins.register(test_source)
    yield state
    SOURCES.remove(test_source)


def test_calendar_feed_token_parse_rotation_and_stable_uids(world, auth, app, changing_source):
    director = world.users["director"]
    client = auth.client_for(director)
    path, token = _new_feed_url(client)
    stored = db.session.get(NotificationSettings, director.id)
    assert stored.feed_token_hash and token not in stored.feed_token_hash
    # The page shows the secret once only.
    assert token not in client.get("/meldingen/voorkeuren").get_data(as_text=True)

    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    uids = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert uids["forum-session-7@warmeveranderen"] == "Forumbijeenkomst"
    assert any(u.startswith("measurement-wellbeing-") and u.endswith(f"-school-{world.school.id}@warmeveranderen")
               for u in uids)

    changing_source["summary"] = "Forumbijeenkomst (verplaatst)"
    again = {str(e["UID"]): str(e["SUMMARY"]) for e in Calendar.from_ical(anonymous.get(path).data).walk("VEVENT")}
    assert set(again) == set(uids)
    assert again["forum-session-7@warmeveranderen"] == "Forumbijeenkomst (verplaatst)"

    assert anonymous.get("/meldingen/agenda/wrong-token.ics").status_code == 404
    new_path, _new = _new_feed_url(client)
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(new_path).status_code == 200


def test_school_calendar_download(world, auth):
    client = auth.client_for(world.users["forum"])
    response = client.get(f"/meldingen/scholen/{world.school.id}/agenda.ics")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert events and all(str(e["LOCATION"]) == world.school.name for e in events)
    home = client.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert f"/meldingen/scholen/{world.school.id}/agenda.ics" in home
    assert auth.client_for(world.users["outsider"]).get(f"/meldingen/scholen/{world.school.id}/agenda.ics").status_code == 403


def test_scheduler_page_shows_heartbeat_and_edits_offsets(world, auth, events):
    events.append((world.users["director"], "x", date(2026, 12, 10)))
    sweep(WINTER)
    client = auth.client_for(world.users["coordinator"])
    page = client.get("/meldingen/planner").get_data(as_text=True)
    assert "test_event_soon" in page and "wellbeing_window_open" in page
    beat = db.session.scalar(db.select(SchedulerHeartbeat))
    assert json.loads(beat.per_rule) == {"test_event_soon": 1}
    from warmeveranderen.notifications.rules import OFFSETS

    data = {key: str(default) for key, (default, _l) in OFFSETS.items()}
    data["forum_session_days"] = "21"
    assert client.post_form("/meldingen/planner", data).status_code == 302
    db.session.expire_all()
    from flask import g

    g.pop("_reminder_offsets", None)
    assert offset("forum_session_days") == 21
    data["forum_session_days"] = "veel"
    bad = client.post_form("/meldingen/planner", data)
    assert bad.status_code == 422 and 'value="veel"' in bad.get_data(as_text=True)
    g.pop("_reminder_offsets", None)
    assert offset("forum_session_days") == 21


def test_offsets_change_what_is_due(world, events):
    from warmeveranderen.notifications.services import save_reminder_offsets

    events.append((world.users["director"], "x", date(2026, 12, 20)))
    assert sweep(WINTER).sent == []  # 19 days ahead, the default offset is 14
    save_reminder_offsets({"forum_session_days": 21})
    assert len(sweep(WINTER).sent) == 1


def _queries_during(fn) -> int:
    count = [0]

    def listener(*args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return count[0]


def test_sweep_cost_does_not_grow_with_history(world, events):
    lead = world.users["flywheel_lead"]
    events.append((lead, "now", date(2026, 12, 10)))
    baseline = _queries_during(lambda: sweep(WINTER))
    # A long history: many past reminders, sent emails and delivered logs.
    for i in range(300):
        n = Notification(user_id=lead.id, category="sprint", title=f"oud {i}", url="/", email_status="sent")
        db.session.add(n)
        db.session.add(ReminderLog(rule="test_event_soon", object_key=f"old-{i}", recipient_id=lead.id,
                                   occurrence=f"day-2025-01-{i % 28 + 1:02d}", category="sprint", title="oud",
                                   url="/", status="delivered"))
    db.session.commit()
    events[0] = (lead, "now", date(2026, 12, 11))  # a fresh reminder, so the work is the same
    assert _queries_during(lambda: sweep(WINTER)) == baseline


def test_preferences_page_query_count_is_constant(world, auth):
    client = auth.client_for(world.users["director"])
    client.get("/meldingen/voorkeuren")
    first = _queries_during(lambda: client.get("/meldingen/voorkeuren"))
    client.post_form("/meldingen/voorkeuren", _prefs({"sprint": "digest"}))
    assert _queries_during(lambda: client.get("/meldingen/voorkeuren")) == first


def test_file_lock_admits_one_scheduler(app, tmp_path, monkeypatch):
    from warmeveranderen.scheduler import _acquire_file_lock

    path = tmp_path / "scheduler.lock"
    first = _acquire_file_lock(path)
    assert first is not None
    assert _acquire_file_lock(path) is None
    first.release()
    again = _acquire_file_lock(path)
    assert again is not None
    again.release()


@pytest.mark.postgres
def test_advisory_lock_admits_one_scheduler(app, database_url):
    from warmeveranderen.scheduler import acquire_lock

    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    first = acquire_lock(app)
    assert first is not None
    assert acquire_lock(app) is None
    first.release()
    again = acquire_lock(app)
    assert again is not None
    again.release()


def test_second_scheduler_runs_no_jobs(app, tmp_path, monkeypatch, runner):
    from warmeveranderen import scheduler

    monkeypatch.setitem(app.config, "SCHEDULER_LOCK_FILE", str(tmp_path / "scheduler.lock"))
    held = scheduler.acquire_lock(app)
    try:
        assert scheduler.start_background(app) is None
        result = runner.invoke(args=["scheduler"])
        assert result.exit_code != 0 and "draait al een planner" in result.output
    finally:
        held.release()


def test_jobs_have_stable_ids_and_tolerate_misfires(app):
    from warmeveranderen.scheduler import DIGEST_JOB_ID, SWEEP_JOB_ID, build_scheduler

    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP_JOB_ID, DIGEST_JOB_ID}
    for job in jobs.values():
        assert job.coalesce is True and job.misfire_grace_time >= 600 and job.max_instances == 1
    assert jobs[SWEEP_JOB_ID].trigger.interval == timedelta(minutes=app.config["SCHEDULER_SWEEP_MINUTES"])


def test_links_to_preferences(world, auth):
    client = auth.client_for(world.users["pupil"])
    with client.application.test_request_context():
        target = url_for("notifications.preferences")
    assert target in client.get("/profiel").get_data(as_text=True)
    assert target in client.get("/meldingen/").get_data(as_text=True)


def test_the_web_app_never_starts_a_scheduler(monkeypatch):
    """wsgi:app (gunicorn's workers) builds the app without starting a scheduler."""
    from apscheduler.schedulers.base import BaseScheduler

    started = []
    monkeypatch.setattr(BaseScheduler, "start", lambda self, *a, **k: started.append(self))
    from warmeveranderen import create_app

    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert started == []


def test_english_speaking_people_get_their_reminder_in_their_locale(world, outbox):
    director = world.users["director"]
    director.locale = "en"
    db.session.commit()
    report = sweep(datetime(2026, 9, 2, 8, 0))
    assert director.email in {email for _rule, email, _title in report.sent}
    [mail] = [m for m in outbox() if m["To"] == director.email]
    # Dates are formatted in the person's locale (English month names); texts follow the catalog.
    assert "September" in mail.get_body(("plain",)).get_content()
