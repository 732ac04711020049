"""The action plan's link to the vision (an initiative names ambitions and principles; the vision page
shows per ambition the initiatives on it), its reminders (exactly once) and its calendar events."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

from tests.factories import MembershipFactory
from tests.factories_actionplan import TaskFactory, VisionLinkFactory
from tests.factories_sprints import InitiativeFactory
from tests.factories_vision import EndorsementFactory, VisionFactory, VisionVersionFactory, sample_content
from tests.test_calendar_sources import feed
from warmeveranderen.actionplan.models import Task, VisionLink
from warmeveranderen.actionplan.vision_targets import ambitions
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import ReminderLog
from warmeveranderen.notifications.sweep import sweep


def _endorsed(school, number=1, **content):
    vision = VisionFactory(school=school, content=sample_content(**content))
    version = VisionVersionFactory(vision=vision, number=number)
    EndorsementFactory(version=version)
    return version


# --- the link to the vision ----------------------------------------------------------------------------


def test_ambitions_are_the_list_items_else_the_paragraphs():
    assert ambitions("- Vaste **teams**\n- Warm onthaal\n  elke maandag\n- Vaste teams") == [
        "Vaste teams", "Warm onthaal elke maandag"]
    assert ambitions("1. Eén\n2) Twee") == ["Eén", "Twee"]
    assert ambitions("Een eerste ambitie.\n\nEen tweede ambitie.") == ["Een eerste ambitie.", "Een tweede ambitie."]
    assert ambitions("") == []


def test_an_initiative_names_what_it_realises_and_the_vision_shows_it(world, auth):
    _endorsed(world.school)
    initiative = InitiativeFactory(school=world.school, title="Onthaalteam", status="in_progress")
    TaskFactory(initiative=initiative, done=True)
    TaskFactory(initiative=initiative)
    client = auth.client_for(world.users["flywheel"])
    form = client.get(f"/initiatieven/{initiative.id}/visie").get_data(as_text=True)
    assert "Een warm onthaal elke maandag" in form and "Participatieve en ondernemende school" in form
    response = client.post_form(f"/initiatieven/{initiative.id}/visie", {
        "targets": ["ambition:Een warm onthaal elke maandag", "principle:participative"]})
    assert response.status_code == 302
    links = db.session.scalars(db.select(VisionLink).order_by(VisionLink.kind)).all()
    assert [(link.kind, link.target, link.version_number) for link in links] == [
        ("ambition", "Een warm onthaal elke maandag", 1), ("principle", "participative", 1)]
    page = client.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Werkt aan de visie" in page and "Ambitie: Een warm onthaal elke maandag" in page

    vision = auth.client_for(world.users["pupil"]).get(f"/scholen/{world.school.id}/visie").get_data(as_text=True)
    assert "Initiatieven per ambitie" in vision
    section = vision.split("Initiatieven per ambitie", 1)[1]
    onthaal = section.split("Een warm onthaal elke maandag", 1)[1].split("</dd>", 1)[0]
    assert "Onthaalteam" in onthaal and "In uitvoering" in onthaal and "1 van 2 taken afgerond" in onthaal
    teams = section.split("Vaste teams per leergemeenschap", 1)[1].split("</dd>", 1)[0]
    assert "Nog geen initiatief werkt hieraan." in teams

    # Unticking removes a link.
    client.post_form(f"/initiatieven/{initiative.id}/visie", {"targets": ["principle:participative"]})
    db.session.expire_all()
    assert [link.kind for link in db.session.scalars(db.select(VisionLink))] == ["principle"]


def test_only_targets_of_the_current_vision(world, auth):
    _endorsed(world.school)
    initiative = InitiativeFactory(school=world.school)
    client = auth.client_for(world.users["director"])
    response = client.post_form(f"/initiatieven/{initiative.id}/visie", {"targets": ["ambition:Iets anders"]})
    assert response.status_code == 422
    assert db.session.scalars(db.select(VisionLink)).all() == []


def test_an_ambition_of_an_earlier_version_stays_visible(world, auth):
    version = _endorsed(world.school, ambitions="- Elke leerling een coach")
    initiative = InitiativeFactory(school=world.school, title="Coaching")
    VisionLinkFactory(initiative=initiative, target="Oude ambitie", version_number=version.number)
    page = auth.client_for(world.users["board"]).get(f"/scholen/{world.school.id}/visie").get_data(as_text=True)
    assert "Gekoppeld aan een ambitie uit een eerdere versie" in page and "Oude ambitie" in page
    initiative_page = auth.client_for(world.users["board"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "staat niet meer in de huidige visie" in initiative_page


def test_without_a_vision_the_initiative_says_so(world, auth):
    initiative = InitiativeFactory(school=world.school)
    page = auth.client_for(world.users["flywheel"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "De school heeft nog geen afgeklopte visie om naar te verwijzen." in page
    # Readers see no empty section.
    page = auth.client_for(world.users["forum"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Werkt aan de visie" not in page


# --- reminders -----------------------------------------------------------------------------------------


def _sent(rule: str) -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == rule)).all()
    return sorted((r.recipient.email, r.occurrence) for r in rows)


def test_a_task_due_soon_and_overdue_reminds_its_people_exactly_once(app, world):
    flywheel, pupil = world.users["flywheel"], world.users["pupil"]
    initiative = InitiativeFactory(school=world.school, owner=world.users["director"])
    task = TaskFactory(initiative=initiative, title="Affiches", due_date=date(2027, 3, 10), assignees=[flywheel, pupil])
    sweep(datetime(2027, 3, 7, 8))  # three days ahead: not yet (default 2)
    assert _sent("task_due_soon") == []
    sweep(datetime(2027, 3, 8, 8))
    assert _sent("task_due_soon") == sorted([(flywheel.email, "due-2027-03-10"), (pupil.email, "due-2027-03-10")])
    report = sweep(datetime(2027, 3, 9, 8))
    assert report.per_rule["task_due_soon"] == 0 and len(_sent("task_due_soon")) == 2
    sweep(datetime(2027, 3, 10, 20))  # the due date itself: not overdue yet
    assert _sent("task_overdue") == []
    sweep(datetime(2027, 3, 11, 8))
    assert len(_sent("task_overdue")) == 2
    assert sweep(datetime(2027, 3, 12, 8)).per_rule["task_overdue"] == 0
    # A new due date is a new occurrence; a done task is not reminded.
    db.session.get(Task, task.id).due_date = date(2027, 3, 20)
    db.session.commit()
    sweep(datetime(2027, 3, 19, 8))
    assert len(_sent("task_due_soon")) == 4
    db.session.get(Task, task.id).done = True
    db.session.commit()
    sweep(datetime(2027, 3, 22, 8))
    assert len(_sent("task_overdue")) == 2


def test_a_task_without_people_reminds_the_owner_and_never_someone_who_left(app, world):
    owner = world.users["flywheel_lead"]
    initiative = InitiativeFactory(school=world.school, owner=owner)
    TaskFactory(initiative=initiative, due_date=date(2027, 3, 10))
    gone = MembershipFactory(school=world.school, role="flywheel")
    TaskFactory(initiative=initiative, due_date=date(2027, 3, 10), assignees=[gone.user])
    db.session.delete(gone)
    db.session.commit()
    sweep(datetime(2027, 3, 9, 8))
    assert _sent("task_due_soon") == [(owner.email, "due-2027-03-10")] * 2


# --- the calendar ----------------------------------------------------------------------------------------


def test_my_open_tasks_with_a_due_date_are_in_my_calendar(app, world, auth):
    me = world.users["flywheel"]
    initiative = InitiativeFactory(school=world.school)
    dated = TaskFactory(initiative=initiative, title="Affiches", due_date=date(2027, 2, 3), assignees=[me])
    TaskFactory(initiative=initiative, title="Zonder datum", assignees=[me])
    TaskFactory(initiative=initiative, title="Al klaar", due_date=date(2027, 2, 4), assignees=[me], done=True)
    TaskFactory(initiative=initiative, title="Van iemand anders", due_date=date(2027, 2, 5),
                assignees=[world.users["director"]])
    client = auth.client_for(me)
    path = feed(client)
    response = client.get(path)
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    tasks = {uid: e for uid, e in events.items() if uid.startswith("task-")}
    assert list(tasks) == [f"task-{dated.id}@warmeveranderen"]
    event = tasks[f"task-{dated.id}@warmeveranderen"]
    assert event["DTSTART"].dt == date(2027, 2, 3) and "Affiches" in str(event["SUMMARY"])
