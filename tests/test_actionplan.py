"""The action plan of an initiative: tasks with people, due dates and checklists, its progress on the
initiative's and the sprint's pages (and the burn-up counted in tasks), and the school's task list."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.factories import MembershipFactory
from tests.factories_actionplan import ChecklistItemFactory, TaskFactory
from tests.factories_sprints import InitiativeFactory, SprintFactory
from warmeveranderen.actionplan import queries
from warmeveranderen.actionplan.models import ChecklistItem, Task
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import Notification
from warmeveranderen.timeutil import today


def _tasks() -> list[Task]:
    db.session.expire_all()
    return db.session.scalars(db.select(Task).order_by(Task.position, Task.id)).all()


def _get(task_id: int) -> Task:
    db.session.expire_all()
    return db.session.get(Task, task_id)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def initiative(world):
    return InitiativeFactory(school=world.school, title="Warm onthaal", owner=world.users["flywheel"])


# --- planning --------------------------------------------------------------------------------------


def test_three_tasks_for_two_people(world, auth, initiative):
    lead, flywheel = world.users["flywheel_lead"], world.users["flywheel"]
    client = auth.client_for(lead)
    due = today() + timedelta(days=10)
    for title, people in [("Affiches maken", [flywheel.id]), ("Onthaalteam samenstellen", [lead.id, flywheel.id]),
                          ("Ouders uitnodigen", [lead.id])]:
        response = client.post_form(f"/initiatieven/{initiative.id}/taken/nieuw", {
            "title": title, "due_date": due.isoformat(), "assignees": people, "notes": "Met **kleur**."})
        assert response.status_code == 302
    tasks = _tasks()
    assert [t.title for t in tasks] == ["Affiches maken", "Onthaalteam samenstellen", "Ouders uitnodigen"]
    assert [sorted(p.name for p in t.assignees) for t in tasks] == [
        ["Flywheel"], ["Flywheel", "Flywheel Lead"], ["Flywheel Lead"]]
    assert all(t.due_date == due and t.school_id == world.school.id for t in tasks)
    # Being put on a task notifies the person (not the one who did it).
    db.session.expire_all()
    titles = db.session.scalars(db.select(Notification.title).where(Notification.user_id == flywheel.id)).all()
    assert sorted(titles) == ["Je staat op de taak Affiches maken", "Je staat op de taak Onthaalteam samenstellen"]
    assert not db.session.scalars(db.select(Notification).where(Notification.user_id == lead.id)).all()

    client.post_form(f"/taken/{tasks[0].id}/afgevinkt", {"done": "1"})
    page = _page(auth.client_for(world.users["forum"]), f"/initiatieven/{initiative.id}")
    assert "Actieplan" in page and "1 van 3 taken afgerond" in page
    assert '<progress class="plan-progress mb-2" max="3" value="1"' in page
    assert "Onthaalteam samenstellen" in page and "Flywheel, Flywheel Lead" in page
    assert "Taak toevoegen" not in page  # a forum member reads the plan, does not edit it
    task_page = _page(client, f"/taken/{tasks[1].id}")
    assert "<strong>kleur</strong>" in task_page  # the notes go through the Markdown filter


def test_the_quick_form_adds_a_task_and_shows_the_full_form_when_it_fails(world, auth, initiative):
    client = auth.client_for(world.users["director"])
    response = client.post_form(f"/initiatieven/{initiative.id}/taken", {
        "taak-title": "Draaiboek schrijven", "taak-due_date": "15/01/2027", "taak-assignee": world.users["flywheel"].id})
    assert response.status_code == 302 and response.location.endswith("#actieplan")
    task = _tasks()[0]
    assert (task.title, task.due_date, [p.id for p in task.assignees]) == (
        "Draaiboek schrijven", date(2027, 1, 15), [world.users["flywheel"].id])
    failed = client.post_form(f"/initiatieven/{initiative.id}/taken", {
        "taak-title": "", "taak-due_date": "morgen", "taak-assignee": "0"})
    assert failed.status_code == 422
    page = failed.get_data(as_text=True)
    assert "Geef de taak een titel." in page and "Geef een geldige datum" in page
    assert len(_tasks()) == 1


def test_limits_and_people_of_the_school_only(world, auth, initiative):
    client = auth.client_for(world.users["flywheel"])
    too_long = client.post_form(f"/initiatieven/{initiative.id}/taken/nieuw", {"title": "x" * 201})
    assert too_long.status_code == 422
    outsider = client.post_form(f"/initiatieven/{initiative.id}/taken/nieuw", {
        "title": "Iets", "assignees": [world.users["outsider"].id]})
    assert outsider.status_code == 422  # not a choice: someone of another school
    adviser = client.post_form(f"/initiatieven/{initiative.id}/taken/nieuw", {
        "title": "Iets", "assignees": [world.users["adviser"].id]})
    assert adviser.status_code == 422  # the adviser supports; they are not one of the school's people
    assert _tasks() == []
    page = _page(client, f"/initiatieven/{initiative.id}/taken/nieuw")
    assert "Pupil" in page and "Buitenstaander" not in page and "Adviseur" not in page


def test_edit_reorder_tick_off_and_remove(world, auth, initiative):
    a, b, c = (TaskFactory(initiative=initiative, title=t, position=i) for i, t in enumerate("ABC", start=1))
    client = auth.client_for(world.users["flywheel"])
    client.post_form(f"/taken/{c.id}/volgorde", {"direction": "up"})
    assert [t.title for t in _tasks()] == ["A", "C", "B"]
    client.post_form(f"/taken/{a.id}/volgorde", {"direction": "up"})  # already first: nothing moves
    assert [t.title for t in _tasks()] == ["A", "C", "B"]
    response = client.post_form(f"/taken/{b.id}/bewerken", {
        "title": "B bis", "due_date": "2027-02-01", "assignees": [world.users["pupil"].id], "notes": ""})
    assert response.status_code == 302
    client.post_form(f"/taken/{b.id}/afgevinkt", {"done": "1"})
    done = _get(b.id)
    assert (done.title, done.done, done.done_by_id) == ("B bis", True, world.users["flywheel"].id)
    client.post_form(f"/taken/{b.id}/afgevinkt", {"done": "0"})
    assert _get(b.id).done is False and _get(b.id).done_at is None
    client.post_form(f"/taken/{a.id}/verwijderen")
    assert [t.title for t in _tasks()] == ["C", "B bis"]


def test_the_person_on_a_task_works_on_it_but_not_on_the_plan(world, auth, initiative):
    pupil = world.users["pupil"]
    mine = TaskFactory(initiative=initiative, title="Leerlingen bevragen", assignees=[pupil])
    other = TaskFactory(initiative=initiative, title="Budget vragen")
    client = auth.client_for(pupil)
    assert client.post_form(f"/taken/{mine.id}/afgevinkt", {"done": "1"}).status_code == 302
    assert client.post_form(f"/taken/{mine.id}/checklist", {"text": "Vragenlijst maken"}).status_code == 302
    assert client.post_form(f"/taken/{other.id}/afgevinkt", {"done": "1"}).status_code == 403
    assert client.post_form(f"/initiatieven/{initiative.id}/taken/nieuw", {"title": "Nog iets"}).status_code == 403
    assert client.post_form(f"/taken/{mine.id}/verwijderen").status_code == 403
    page = _page(client, f"/initiatieven/{initiative.id}")
    assert f'action="/taken/{mine.id}/afgevinkt"' in page and f'action="/taken/{other.id}/afgevinkt"' not in page


def test_the_owner_edits_the_plan(world, auth):
    forum_owner = MembershipFactory(school=world.school, role="forum", stakeholder_group="staff").user
    owned = InitiativeFactory(school=world.school, owner=forum_owner)
    client = auth.client_for(forum_owner)
    assert client.post_form(f"/initiatieven/{owned.id}/taken/nieuw", {"title": "Plan"}).status_code == 302


def test_checklist(world, auth, initiative):
    task = TaskFactory(initiative=initiative, title="Onthaaldag")
    client = auth.client_for(world.users["flywheel"])
    for text in ("Zaal boeken", "Koffie bestellen"):
        client.post_form(f"/taken/{task.id}/checklist", {"text": text})
    empty = client.post_form(f"/taken/{task.id}/checklist", {"text": "  "})
    assert empty.status_code == 422 and "Schrijf wat er op de checklist moet." in empty.get_data(as_text=True)
    items = db.session.scalars(db.select(ChecklistItem).order_by(ChecklistItem.position)).all()
    assert [i.text for i in items] == ["Zaal boeken", "Koffie bestellen"]
    client.post_form(f"/checklist/{items[0].id}/afgevinkt", {"done": "1"})
    page = _page(client, f"/taken/{task.id}")
    assert "1/2" in page
    assert "checklist 1/2" in _page(client, f"/initiatieven/{initiative.id}")
    client.post_form(f"/checklist/{items[1].id}/verwijderen")
    db.session.expire_all()
    assert [i.text for i in db.session.get(Task, task.id).checklist] == ["Zaal boeken"]


def test_another_school_gets_nothing(world, auth, initiative):
    task = TaskFactory(initiative=initiative)
    item = ChecklistItemFactory(task=task)
    outsider = auth.client_for(world.users["outsider"])
    for url in (f"/taken/{task.id}", f"/scholen/{world.school.id}/taken", f"/initiatieven/{initiative.id}/visie"):
        assert outsider.get(url).status_code in (403, 404)
    assert outsider.post_form(f"/checklist/{item.id}/afgevinkt", {"done": "1"}).status_code in (403, 404)
    assert outsider.get("/taken/999999").status_code == 404


def test_deleting_the_initiative_removes_its_plan(world, initiative):
    task = TaskFactory(initiative=initiative)
    ChecklistItemFactory(task=task)
    db.session.delete(db.session.get(type(initiative), initiative.id))
    db.session.commit()
    assert db.session.scalars(db.select(Task)).all() == [] and db.session.scalars(db.select(ChecklistItem)).all() == []


# --- the school's tasks, search and the next step ---------------------------------------------------


def test_my_tasks_and_all_tasks(world, auth, initiative):
    me = world.users["flywheel"]
    TaskFactory(initiative=initiative, title="Mijn late taak", assignees=[me], due_date=today() - timedelta(days=2))
    TaskFactory(initiative=initiative, title="Iemand anders", assignees=[world.users["director"]])
    TaskFactory(initiative=initiative, title="Al klaar", assignees=[me], done=True)
    client = auth.client_for(me)
    mine = _page(client, f"/scholen/{world.school.id}/taken?wie=ik")
    assert "Mijn late taak" in mine and "over tijd" in mine and "Iemand anders" not in mine and "Al klaar" not in mine
    everything = _page(client, f"/scholen/{world.school.id}/taken?afgerond=ja")
    assert all(t in everything for t in ("Mijn late taak", "Iemand anders", "Al klaar"))
    home = _page(client, f"/scholen/{world.school.id}")
    assert "Je hebt 1 taak die over tijd is" in home


def test_tasks_matching_searches_one_school(world, initiative):
    TaskFactory(initiative=initiative, title="Affiche ONTHAAL drukken")
    TaskFactory(initiative=initiative, title="Iets", notes="over het onthaal")
    with_item = TaskFactory(initiative=initiative, title="Draaiboek")
    ChecklistItemFactory(task=with_item, text="Onthaalmap")
    TaskFactory(initiative=InitiativeFactory(school=world.other_school), title="Onthaal elders")
    found = queries.tasks_matching(world.school, "onthaal")
    assert sorted(t.title for t in found) == ["Affiche ONTHAAL drukken", "Draaiboek", "Iets"]
    assert queries.tasks_matching(world.school, "%") == [] and queries.tasks_matching(world.school, " ") == []


# --- the sprint page and the burn-up -----------------------------------------------------------------


def test_the_sprint_counts_tasks_as_well_as_initiatives(world, auth):
    start = today() - timedelta(days=today().weekday() + 7)
    sprint = SprintFactory(school=world.school, number=1, start_date=start, end_date=start + timedelta(days=69),
                           state="active")
    first = InitiativeFactory(school=world.school, sprint=sprint, status="in_progress", title="Eerste")
    InitiativeFactory(school=world.school, sprint=sprint, status="done", title="Tweede")
    created = datetime.combine(start, datetime.min.time()) + timedelta(hours=9)
    TaskFactory(initiative=first, done=True, done_at=created + timedelta(days=2), created_at=created)
    TaskFactory(initiative=first, created_at=created)
    TaskFactory(initiative=first, created_at=created + timedelta(days=8))
    client = auth.client_for(world.users["board"])
    plain = _page(client, f"/sprints/{sprint.id}")
    assert "1 van 2 initiatieven afgerond" in plain and "Tel:" in plain
    counted = _page(client, f"/sprints/{sprint.id}?tellen=taken")
    assert "1 van 3 taken afgerond" in counted and "1/3 taken" in counted and "nog geen taken" in counted
    assert 'aria-current="true">Taken' in counted
    assert _page(client, f"/sprints/{sprint.id}?tellen=onzin").count("initiatieven afgerond") == 1

    rows = queries.task_burnup(sprint)
    assert rows[0][2:] == (1, 2)  # week 1: one done of the two planned by then
    assert rows[1][2:] == (1, 3)  # week 2: a third task was added
    assert rows[-1][2] is None  # a week that has not begun
    charts = _page(client, f"/scholen/{world.school.id}/sprints/grafieken?tellen=taken")
    assert f"/sprints/{sprint.id}/burnup.svg?tellen=taken" in charts and "Afgeronde taken per week" in charts
    svg = client.get(f"/sprints/{sprint.id}/burnup.svg?tellen=taken")
    assert svg.status_code == 200 and "(taken)" in svg.get_data(as_text=True)


# --- attachments on a task (the files layer) -----------------------------------------------------------


def test_a_task_carries_files_with_its_permissions(world, auth, initiative):
    from tests.files_helpers import PDF_BYTES, attach
    from warmeveranderen.files.models import Attachment

    pupil = world.users["pupil"]
    task = TaskFactory(initiative=initiative, title="Affiche", assignees=[pupil])
    other = TaskFactory(initiative=initiative, title="Budget")
    db.session.commit()
    # The person on the task adds a file on the task's page; someone not on it (a parent) may not.
    page = _page(auth.client_for(pupil), f"/taken/{task.id}")
    assert f"/bijlagen/task/{task.id}/toevoegen" in page
    assert f"/bijlagen/task/{other.id}/toevoegen" not in _page(auth.client_for(pupil), f"/taken/{other.id}")
    attachment = attach("task", task.id, pupil, PDF_BYTES, "affiche.pdf")
    db.session.commit()
    assert "1 bijlage" in _page(auth.client_for(world.users["forum"]), f"/initiatieven/{initiative.id}")
    assert auth.client_for(world.users["forum"]).get(f"/bijlagen/{attachment.id}").status_code == 200
    assert auth.client_for(world.users["outsider"]).get(f"/bijlagen/{attachment.id}").status_code == 404
    # Deleting the initiative deletes its tasks and their files.
    db.session.delete(db.session.get(type(initiative), initiative.id))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
