"""The reminder rules of the features: due, not yet due, no longer relevant, exactly once."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.factories import PASSWORD
from tests.factories_forum import AdviceFactory, AdviceRoundFactory, DecisionFactory, ForumInitiativeFactory, ForumSessionFactory
from tests.factories_intake import make_agreement
from tests.factories_sprints import SprintFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum import services as forum_services
from warmeveranderen.intake import services as intake_services
from warmeveranderen.notifications.models import Notification, ReminderLog
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.sprints.models import Checkpoint, FlywheelMeeting


def sent(rule: str) -> list[tuple[str, str]]:
    """(email, url) of every reminder of this rule in the send log, sorted."""
    db.session.expire_all()
    rows = db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == rule)).all()
    return sorted((r.recipient.email, r.url) for r in rows)


def emails(world, *keys) -> list[str]:
    return sorted(world.users[k].email for k in keys)


def check_once(rule: str, now: datetime, later: datetime, expected: list[str], url: str) -> None:
    """Due at `now` for exactly `expected`, with the link; a second sweep sends nothing new."""
    sweep(now)
    first = sent(rule)
    assert [email for email, _url in first] == expected
    assert {u for _e, u in first} == {url}
    report = sweep(later)
    assert report.per_rule[rule] == 0
    assert sent(rule) == first
    notified = db.session.scalar(db.select(db.func.count()).select_from(Notification).where(Notification.url == url))
    assert notified >= len(expected)


# --- sprints --------------------------------------------------------------------------------------


@pytest.fixture
def next_sprint(world):
    return SprintFactory(school=world.school, number=2, start_date=date(2027, 1, 11), end_date=date(2027, 3, 21),
                         goal="", state="planned")


def test_sprint_without_goal_reminds_the_flywheel_a_week_before(world, next_sprint):
    check_once("sprint_start_no_goal", datetime(2027, 1, 4, 8), datetime(2027, 1, 5, 8),
               emails(world, "flywheel_lead", "flywheel"), f"/sprints/{next_sprint.id}")


def test_sprint_without_goal_not_yet_due(world, next_sprint):
    sweep(datetime(2027, 1, 3, 8))
    assert sent("sprint_start_no_goal") == []


def test_sprint_with_a_goal_meanwhile_is_not_reminded(world, next_sprint):
    next_sprint.goal = "Elke leerling kent een vertrouwenspersoon"
    db.session.commit()
    sweep(datetime(2027, 1, 4, 8))
    assert sent("sprint_start_no_goal") == []


def test_sprint_already_started_is_not_reminded(world, next_sprint):
    sweep(datetime(2027, 1, 11, 8))
    assert sent("sprint_start_no_goal") == [] and sent("sprint_start_alignment") == []


def test_start_alignment_reminds_flywheel_and_director(world, next_sprint):
    check_once("sprint_start_alignment", datetime(2027, 1, 5, 8), datetime(2027, 1, 6, 8),
               emails(world, "director", "flywheel_lead", "flywheel"), f"/sprints/{next_sprint.id}")


def test_start_alignment_not_yet_due_and_recorded(world, next_sprint):
    sweep(datetime(2027, 1, 2, 8))
    assert sent("sprint_start_alignment") == []
    db.session.add(Checkpoint(sprint_id=next_sprint.id, kind="start", held_on=date(2027, 1, 3), who="Bestuursteam"))
    db.session.commit()
    sweep(datetime(2027, 1, 5, 8))
    assert sent("sprint_start_alignment") == []


def test_moving_the_sprint_gives_a_new_reminder(world, next_sprint):
    sweep(datetime(2027, 1, 4, 8))
    next_sprint.start_date = date(2027, 1, 18)
    db.session.commit()
    sweep(datetime(2027, 1, 12, 8))
    assert len(sent("sprint_start_no_goal")) == 4


@pytest.fixture
def running_sprint(world):
    return SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                         goal="Warm onthaal", state="active")


def test_idle_flywheel_reminds_the_trekker(world, running_sprint):
    check_once("flywheel_idle", datetime(2026, 11, 21, 8), datetime(2026, 11, 22, 8),
               emails(world, "flywheel_lead"), f"/sprints/{running_sprint.id}/overleg")


def test_idle_flywheel_not_yet_due(world, running_sprint):
    sweep(datetime(2026, 11, 10, 8))
    assert sent("flywheel_idle") == []


def test_a_meeting_meanwhile_means_no_idle_reminder(world, running_sprint):
    db.session.add(FlywheelMeeting(school_id=world.school.id, sprint_id=running_sprint.id, held_on=date(2026, 11, 12)))
    db.session.commit()
    sweep(datetime(2026, 11, 21, 8))
    assert sent("flywheel_idle") == []
    # Fourteen days after that meeting, a new quiet stretch is reminded.
    sweep(datetime(2026, 11, 27, 8))
    assert [e for e, _u in sent("flywheel_idle")] == emails(world, "flywheel_lead")


def test_sprint_not_closed_reminds_flywheel_then_adviser(world, running_sprint):
    url = f"/sprints/{running_sprint.id}/afsluiten"
    check_once("sprint_not_closed", datetime(2027, 1, 13, 8), datetime(2027, 1, 14, 8),
               emails(world, "flywheel_lead", "flywheel"), url)
    assert sent("sprint_not_closed_adviser") == []
    check_once("sprint_not_closed_adviser", datetime(2027, 1, 17, 8), datetime(2027, 1, 18, 8),
               emails(world, "adviser"), url)


def test_sprint_not_closed_not_yet_due_or_closed(world, running_sprint):
    sweep(datetime(2027, 1, 12, 8))
    assert sent("sprint_not_closed") == []
    running_sprint.state = "closed"
    db.session.commit()
    sweep(datetime(2027, 1, 17, 8))
    assert sent("sprint_not_closed") == [] and sent("sprint_not_closed_adviser") == []


def test_sprint_rule_through_the_cli(runner, world, next_sprint, outbox):
    result = runner.invoke(args=["reminders", "sweep", "--now", "2027-01-04T08:00"])
    assert result.exit_code == 0, result.output
    assert f"[sprint_start_no_goal] {world.users['flywheel'].email}:" in result.output
    again = runner.invoke(args=["reminders", "sweep", "--now", "2027-01-04T09:00"])
    assert "[sprint_start_no_goal]" not in again.output
    assert world.users["flywheel"].email in {m["To"] for m in outbox()}


# --- forum ----------------------------------------------------------------------------------------


@pytest.fixture
def forum_session(world):
    return ForumSessionFactory(school=world.school, starts_at=datetime(2027, 1, 8, 18, 0))


def test_forum_session_in_two_weeks_reminds_trekker_and_director(world, forum_session):
    check_once("forum_session_soon", datetime(2026, 12, 25, 19), datetime(2026, 12, 26, 8),
               emails(world, "director", "flywheel_lead"),
               f"/scholen/{world.school.id}/forum/bijeenkomsten/{forum_session.id}")


def test_forum_session_not_yet_due(world, forum_session):
    sweep(datetime(2026, 12, 24, 8))
    assert sent("forum_session_soon") == []


def test_forum_session_aligned_with_agenda_is_not_reminded(world):
    sprint = SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                           goal="Warm onthaal", state="active")
    session = ForumSessionFactory(school=world.school, sprint=sprint, starts_at=datetime(2027, 1, 8, 18, 0))
    AdviceRoundFactory(school=world.school, session=session, deadline=datetime(2027, 1, 8, 12, 0))
    db.session.add(Checkpoint(sprint_id=sprint.id, kind="pre_forum", held_on=date(2026, 12, 20), who="Bestuursteam"))
    db.session.commit()
    sweep(datetime(2026, 12, 25, 19))
    assert sent("forum_session_soon") == []


@pytest.fixture
def advice_round(world):
    initiative = ForumInitiativeFactory(school=world.school, owner=world.users["flywheel"])
    advice_round = AdviceRoundFactory(school=world.school, subject_id=initiative.id,
                                      deadline=datetime(2027, 2, 10, 22, 0))
    AdviceFactory(round=advice_round, author=world.users["forum"], stance="objection")
    return advice_round


def test_advice_deadline_reminds_members_who_did_not_advise(world, advice_round):
    check_once("advice_deadline_soon", datetime(2027, 2, 9, 8), datetime(2027, 2, 10, 8),
               emails(world, "pupil"), f"/scholen/{world.school.id}/forum/rondes/{advice_round.id}")


def test_advice_deadline_not_yet_due_and_decided(world, advice_round):
    sweep(datetime(2027, 2, 7, 8))
    assert sent("advice_deadline_soon") == []
    DecisionFactory(round=advice_round)
    sweep(datetime(2027, 2, 9, 8))
    assert sent("advice_deadline_soon") == []


def test_closed_round_reminds_the_owner_then_the_adviser(world, advice_round):
    url = f"/scholen/{world.school.id}/forum/rondes/{advice_round.id}"
    check_once("advice_closed_owner", datetime(2027, 2, 17, 23), datetime(2027, 2, 18, 8),
               emails(world, "flywheel"), url)
    assert sent("advice_closed_adviser") == []
    check_once("advice_closed_adviser", datetime(2027, 2, 24, 23), datetime(2027, 2, 25, 8),
               emails(world, "adviser"), url)
    [note] = db.session.scalars(db.select(Notification).where(Notification.user_id == world.users["flywheel"].id)).all()
    assert "1 advies(en) zonder antwoord" in note.body


def test_closed_round_not_yet_due_or_decided(world, advice_round):
    sweep(datetime(2027, 2, 17, 8))
    assert sent("advice_closed_owner") == []
    DecisionFactory(round=advice_round)
    sweep(datetime(2027, 2, 25, 8))
    assert sent("advice_closed_owner") == [] and sent("advice_closed_adviser") == []


def test_closed_round_without_owner_reminds_the_trekker(world):
    advice_round = AdviceRoundFactory(school=world.school, subject_kind="initiative", subject_id=0,
                                      deadline=datetime(2027, 2, 10, 22, 0))
    sweep(datetime(2027, 2, 17, 23))
    assert [e for e, _u in sent("advice_closed_owner")] == emails(world, "flywheel_lead")
    assert advice_round.id


def test_forum_rule_through_the_cli(runner, world, advice_round):
    result = runner.invoke(args=["reminders", "sweep", "--now", "2027-02-09T08:00"])
    assert result.exit_code == 0, result.output
    assert f"[advice_deadline_soon] {world.users['pupil'].email}:" in result.output
    assert world.users["forum"].email not in result.output


def test_decisions_are_emailed_per_preference(app, world, outbox):
    initiative = ForumInitiativeFactory(school=world.school, owner=world.users["flywheel_lead"])
    advice_round = AdviceRoundFactory(school=world.school, subject_id=initiative.id,
                                      deadline=datetime(2026, 11, 1, 12, 0))
    AdviceFactory(round=advice_round, author=world.users["forum"], stance="support")
    with app.test_request_context():
        forum_services.decide(advice_round, world.users["flywheel_lead"], "adopt", "Het forum steunt het.")
    assert outbox() == []  # told in the app first; the sweep emails it
    sweep(datetime(2026, 11, 21, 8))
    recipients = {m["To"] for m in outbox()}
    assert {world.users["forum"].email, world.users["pupil"].email, world.users["flywheel"].email} <= recipients
    assert world.users["flywheel_lead"].email not in recipients
    subjects = {m["Subject"] for m in outbox()}
    assert any(s.startswith("Besluit over") for s in subjects)
    sweep(datetime(2026, 11, 21, 9))
    assert len(outbox()) == len(recipients)


# --- intake ---------------------------------------------------------------------------------------


def _ready_at(agreement) -> datetime:
    return agreement.pending.frozen_at


def test_signature_waiting_a_week_reminds_each_missing_signatory(world):
    agreement = make_agreement(world, "awaiting")
    ready = _ready_at(agreement)
    intake_services.sign(agreement, world.users["director"], PASSWORD, agreement.pending.fingerprint)
    url = f"/scholen/{world.school.id}/intake/ondertekenen"
    from datetime import timedelta

    check_once("signature_waiting", ready + timedelta(days=7, hours=1), ready + timedelta(days=8),
               emails(world, "board", "coordinator"), url)


def test_signature_waiting_not_yet_due_and_signed(world):
    from datetime import timedelta

    agreement = make_agreement(world, "awaiting")
    ready = _ready_at(agreement)
    sweep(ready + timedelta(days=6))
    assert sent("signature_waiting") == []
    version = agreement.pending
    for key in ("director", "board", "coordinator"):
        intake_services.sign(agreement, world.users[key], PASSWORD, version.fingerprint)
    sweep(ready + timedelta(days=8))
    assert sent("signature_waiting") == []


def test_evaluation_moment_reminds_director_board_and_adviser(world):
    make_agreement(world, "active")
    check_once("evaluation_soon", datetime(2027, 5, 18, 8), datetime(2027, 5, 19, 8),
               emails(world, "adviser", "board", "director"), f"/scholen/{world.school.id}/intake")


def test_evaluation_moment_not_yet_due_or_agreement_ended(world):
    agreement = make_agreement(world, "active")
    sweep(datetime(2027, 5, 17, 8))
    assert sent("evaluation_soon") == []
    intake_services.end_agreement(agreement, world.users["board"], date(2027, 1, 1), "Het past nu niet.")
    sweep(datetime(2027, 5, 18, 8))
    assert sent("evaluation_soon") == []


def test_intake_rule_through_the_cli_in_english(runner, world, outbox):
    world.users["board"].locale = "en"
    db.session.commit()
    make_agreement(world, "active")
    result = runner.invoke(args=["reminders", "sweep", "--now", "2027-05-18T08:00"])
    assert result.exit_code == 0, result.output
    assert f"[evaluation_soon] {world.users['board'].email}:" in result.output
    [mail] = [m for m in outbox() if m["To"] == world.users["board"].email and "2027" in m["Subject"]]
    assert mail["Subject"] == f"Evaluation moment on 1 June 2027 ({world.school.name})"
    assert "Leadership, board and adviser" in mail.get_body(("plain",)).get_content()


# --- tracking: the measurement windows --------------------------------------------------------------


def test_wellbeing_window_skips_a_school_that_already_measured(world):
    from tests.factories_tracking import WellbeingMeasurementFactory

    WellbeingMeasurementFactory(school=world.school, school_year="2026-2027", moment="pre")
    sweep(datetime(2026, 9, 2, 8))
    # Only the other school's director still has to measure.
    assert [e for e, _u in sent("wellbeing_window_open")] == emails(world, "outsider")
    assert {u for _e, u in sent("wellbeing_window_open")} == {f"/scholen/{world.other_school.id}"}


@pytest.mark.parametrize(("code", "first", "later"), [
    ("wellbeing_window_open", datetime(2026, 9, 1, 8), datetime(2026, 9, 3, 8)),
    ("indicator_window_open", datetime(2027, 5, 1, 8), datetime(2027, 5, 3, 8)),
])
def test_window_rules_render_nothing_for_reminders_already_sent(app, world, code, first, later):
    """During a window's first days every sweep asks again; what was sent is skipped before any text is made."""
    from warmeveranderen.notifications.rules import load_rules

    rule = load_rules()[code].fn
    with app.test_request_context("/"):
        assert list(rule(later)), "due on both days"
    sweep(first)
    assert sent(code)
    with app.test_request_context("/"):
        assert list(rule(later)) == []
