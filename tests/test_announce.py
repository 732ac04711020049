"""Telling the school (issue 18): a started sprint's goal and planned initiatives and the sprint review go to
the school's forum and staff; whoever advised on, supported or follows an initiative hears when it is
achieved or dropped. In the app and by email per preference, each exactly once (the reminder send log)."""

from __future__ import annotations

from datetime import datetime

from tests.factories import MembershipFactory
from tests.factories_forum import AdviceFactory, AdviceRoundFactory, DecisionFactory, ForumInitiativeFactory, ForumSprintFactory
from tests.factories_ideas import IdeaFactory, IdeaSupportFactory
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import InitiativeFollow
from warmeveranderen.notifications.models import Notification, NotificationPreference, ReminderLog
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.sprints.models import InitiativeEvent, SprintResult

STARTED = datetime(2027, 1, 11, 8, 30)
NOW = datetime(2027, 1, 11, 9, 0)


def _told(rule: str, object_key: str | None = None) -> dict[int, list[Notification]]:
    """recipient id -> the notifications this rule left in the app (about one object, if given)."""
    db.session.expire_all()
    found: dict[int, list[Notification]] = {}
    query = db.select(ReminderLog).where(ReminderLog.rule == rule)
    if object_key:
        query = query.where(ReminderLog.object_key == object_key)
    keys = {(r.recipient_id, r.object_key) for r in db.session.scalars(query)}
    for user_id, _key in keys:
        found[user_id] = db.session.scalars(db.select(Notification).where(Notification.user_id == user_id)).all()
    return found


def _ids(world, *roles) -> set[int]:
    return {world.users[r].id for r in roles}


def test_a_started_sprint_is_announced_to_the_forum_and_staff_once(world, outbox):
    sprint = ForumSprintFactory(school=world.school, number=2, started_at=STARTED,
                                started_by=world.users["flywheel_lead"], goal="Elke leerling voelt zich welkom.")
    ForumInitiativeFactory(school=world.school, sprint=sprint, status="planned", title="Praatronde op maandag")
    ForumInitiativeFactory(school=world.school, sprint=sprint, status="planned", title="Buddy voor nieuwkomers")
    other = ForumSprintFactory(school=world.other_school, number=2, started_at=STARTED)
    db.session.commit()

    report = sweep(NOW)
    told = _told("sprint_started", f"sprint-{sprint.id}")
    # The forum (parent, pupil), the flywheel member and the director; not the trekker who started it,
    # not the board, the adviser or the other school.
    assert set(told) == _ids(world, "forum", "pupil", "flywheel", "director")
    [note] = told[world.users["pupil"].id]
    assert note.title == "Sprint 2 is gestart"
    assert "Sprintdoel: Elke leerling voelt zich welkom." in note.body
    assert "Gepland: Praatronde op maandag, Buddy voor nieuwkomers" in note.body
    assert note.url == f"/sprints/{sprint.id}"
    assert world.users["pupil"].email in {m["To"] for m in outbox()}
    # The other school's sprint goes to its own people only.
    assert set(_told("sprint_started", f"sprint-{other.id}")) == _ids(world, "outsider")
    assert report.per_rule["sprint_started"] == 5

    again = sweep(datetime(2027, 1, 12, 9, 0))
    assert again.per_rule["sprint_started"] == 0
    assert len(_told("sprint_started")[world.users["pupil"].id]) == 1


def test_the_announcement_follows_each_persons_preference(world, outbox):
    db.session.add(NotificationPreference(user_id=world.users["forum"].id, category="sprint", mode="in_app"))
    ForumSprintFactory(school=world.school, number=2, started_at=STARTED, started_by=world.users["flywheel_lead"])
    db.session.commit()
    sweep(NOW)
    recipients = {m["To"] for m in outbox()}
    assert world.users["pupil"].email in recipients and world.users["forum"].email not in recipients
    assert _told("sprint_started")[world.users["forum"].id]  # still in the app


def test_an_old_start_is_not_announced(world):
    ForumSprintFactory(school=world.school, number=2, started_at=datetime(2026, 11, 1, 8))
    db.session.commit()
    assert sweep(NOW).per_rule["sprint_started"] == 0


def test_the_sprint_review_reaches_the_forum_with_what_the_forum_decided(world):
    sprint = ForumSprintFactory(school=world.school, number=1, state="closed", closed_at=STARTED,
                                closed_by=world.users["flywheel"], review_summary="Een **sterke** sprint.")
    achieved = ForumInitiativeFactory(school=world.school, status="done", title="Warm onthaal")
    moved = ForumInitiativeFactory(school=world.school, status="in_progress", title="Leerteams")
    back = ForumInitiativeFactory(school=world.school, status="idea", title="Moestuin")
    for initiative, result in ((achieved, "achieved"), (moved, "carried_over"), (back, "not_achieved")):
        db.session.add(SprintResult(sprint_id=sprint.id, initiative_id=initiative.id, result=result))
    advice_round = AdviceRoundFactory(school=world.school, subject_id=achieved.id, subject_title="Warm onthaal")
    DecisionFactory(round=advice_round, school_id=world.school.id, outcome="adopt", sprint_id=sprint.id)
    db.session.commit()

    sweep(NOW)
    told = _told("sprint_review")
    assert set(told) == _ids(world, "forum", "pupil", "flywheel_lead", "director")  # not who closed it
    [note] = told[world.users["forum"].id]
    assert note.title == "Sprintreview van sprint 1"
    assert "Bereikt: Warm onthaal" in note.body
    assert "Mee naar de volgende sprint: Leerteams" in note.body
    assert "Terug naar de backlog: Moestuin" in note.body
    assert "Wat het forum besliste:\n- Besluit over Warm onthaal: Aannemen" in note.body
    assert "Een sterke sprint." in note.body
    assert sweep(datetime(2027, 1, 12, 9)).per_rule["sprint_review"] == 0


def test_a_review_without_decisions_says_so(world):
    ForumSprintFactory(school=world.school, number=1, state="closed", closed_at=STARTED)
    db.session.commit()
    sweep(NOW)
    [note] = _told("sprint_review")[world.users["pupil"].id]
    assert "Deze sprint legde het vliegwiel geen besluit na forumadvies vast." in note.body


def test_who_advised_supported_or_follows_hears_the_initiative_is_achieved_once(world):
    initiative = ForumInitiativeFactory(school=world.school, status="done", title="Praatronde op maandag")
    advice_round = AdviceRoundFactory(school=world.school, subject_id=initiative.id)
    AdviceFactory(round=advice_round, author=world.users["forum"], stance="objection")
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], state="backlog", answer_reason="Ja.",
                       initiative=initiative)
    IdeaSupportFactory(idea=idea, user=world.users["board"])
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=world.users["director"].id))
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=world.users["flywheel_lead"].id))
    # Someone who followed and then left the school hears nothing.
    leaver = MembershipFactory(school=world.other_school, role="forum").user
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=leaver.id))
    db.session.add(InitiativeEvent(initiative_id=initiative.id, from_status="decided", to_status="done",
                                   user_id=world.users["flywheel_lead"].id, at=STARTED, note="Bereikt in sprint 1."))
    db.session.commit()

    sweep(NOW)
    told = _told("initiative_finished")
    # Advised (parent), wrote the idea (pupil), supported it (board), follows it (director); not the trekker
    # who moved it, nor the one who left.
    assert set(told) == _ids(world, "forum", "pupil", "board", "director")
    [note] = [n for n in told[world.users["board"].id]]
    assert note.title == "Bereikt: Praatronde op maandag" and note.url == f"/initiatieven/{initiative.id}"
    assert sweep(datetime(2027, 1, 12, 9)).per_rule["initiative_finished"] == 0


def test_a_dropped_initiative_is_told_as_dropped(world):
    initiative = ForumInitiativeFactory(school=world.school, status="dropped", title="Moestuin")
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=world.users["pupil"].id))
    db.session.add(InitiativeEvent(initiative_id=initiative.id, from_status="idea", to_status="dropped",
                                   user_id=world.users["flywheel"].id, at=STARTED))
    db.session.commit()
    sweep(NOW)
    [note] = _told("initiative_finished")[world.users["pupil"].id]
    assert note.title == "Geschrapt: Moestuin"


def test_a_move_undone_before_the_sweep_is_not_told(world):
    initiative = ForumInitiativeFactory(school=world.school, status="in_progress")
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=world.users["pupil"].id))
    db.session.add(InitiativeEvent(initiative_id=initiative.id, from_status="in_progress", to_status="dropped",
                                   user_id=world.users["flywheel"].id, at=STARTED))
    db.session.commit()
    assert sweep(NOW).per_rule["initiative_finished"] == 0
