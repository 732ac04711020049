"""Writes of the action plans: tasks (add, edit, tick off, reorder, remove), checklist items, and the
initiative's link to the vision.

Services flush, never commit (the request commits once). Refusals raise PlanError with a Dutch
message, naming the form field it belongs to when there is one.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.actionplan import queries
from warmeveranderen.actionplan.models import ChecklistItem, Task, VisionLink
from warmeveranderen.actionplan.vision_targets import current_version, targets_of
from warmeveranderen.domain import SHORT_TEXT_MAX, TITLE_MAX, text_problem
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.notifications.services import notify
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError

CATEGORY = "sprint"
# A plan longer than this is a project of its own: split the initiative.
MAX_TASKS = 100
MAX_CHECKLIST = 50


class PlanError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _title(text: str, field: str = "title") -> str:
    text = (text or "").strip()
    if not text:
        raise PlanError(_("Geef de taak een titel."), field)
    problem = text_problem(text, TITLE_MAX, single_line=True)
    if problem:
        raise PlanError(problem, field)
    return text


def _notes(text: str) -> str:
    text = (text or "").strip()
    problem = text_problem(text, SHORT_TEXT_MAX)
    if problem:
        raise PlanError(problem, "notes")
    return text


def _people(initiative: Initiative, user_ids) -> list[User]:
    """The chosen people, all of them people of the initiative's school."""
    wanted = {int(i) for i in user_ids or () if i}
    if not wanted:
        return []
    allowed = {p.id: p for p in queries.people_of(initiative.school)}
    if not wanted <= set(allowed):
        raise PlanError(_("Kies alleen mensen van de school."), "assignees")
    return sorted((allowed[i] for i in wanted), key=lambda p: (p.name, p.id))


def _next_position(initiative_id: int) -> int:
    top = db.session.scalar(db.select(func.max(Task.position)).where(Task.initiative_id == initiative_id))
    return (top or 0) + 1


def add_task(initiative: Initiative, user: User, title: str, *, notes: str = "", due_date: date | None = None,
             assignee_ids=()) -> Task:
    """A new task at the end of the plan; the people on it hear of it."""
    title, notes = _title(title), _notes(notes)
    people = _people(initiative, assignee_ids)
    count = db.session.scalar(db.select(func.count()).select_from(Task).where(Task.initiative_id == initiative.id))
    if count >= MAX_TASKS:
        raise PlanError(_("Een actieplan heeft hoogstens %(n)s taken. Splits het initiatief op.", n=MAX_TASKS))
    task = Task(initiative_id=initiative.id, school_id=initiative.school_id, title=title, notes=notes,
                due_date=due_date, position=_next_position(initiative.id), created_by_id=user.id, assignees=people)
    db.session.add(task)
    db.session.flush()
    _tell_assigned(task, people, user)
    return task


def update_task(task: Task, user: User, title: str, *, notes: str, due_date: date | None, assignee_ids) -> None:
    """Change a task; people newly put on it hear of it."""
    task.title, task.notes = _title(title), _notes(notes)
    people = _people(task.initiative, assignee_ids)
    new = [p for p in people if p not in task.assignees]
    task.assignees = people
    task.due_date = due_date
    db.session.flush()
    _tell_assigned(task, new, user)


def set_done(task: Task, user: User, done: bool) -> None:
    """Tick a task off (or open it again). Ticking off twice changes nothing."""
    if task.done == done:
        return
    task.done = done
    task.done_at, task.done_by_id = (utcnow(), user.id) if done else (None, None)
    db.session.flush()


def move_task(task: Task, direction: str) -> None:
    """One place up or down in the plan (swaps with the neighbour)."""
    plan = queries.tasks_of(task.initiative)
    index = next(i for i, t in enumerate(plan) if t.id == task.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(plan):
        return
    plan[index], plan[other] = plan[other], plan[index]
    for position, item in enumerate(plan, start=1):
        item.position = position
    db.session.flush()


def remove_task(task: Task) -> None:
    db.session.delete(task)
    db.session.flush()


def add_item(task: Task, text: str) -> ChecklistItem:
    text = _title(text, "text") if (text or "").strip() else ""
    if not text:
        raise PlanError(_("Schrijf wat er op de checklist moet."), "text")
    if len(task.checklist) >= MAX_CHECKLIST:
        raise PlanError(_("Een checklist heeft hoogstens %(n)s punten.", n=MAX_CHECKLIST), "text")
    item = ChecklistItem(task=task, text=text, position=max([i.position for i in task.checklist] + [0]) + 1)
    db.session.add(item)
    db.session.flush()
    return item


def set_item_done(item: ChecklistItem, done: bool) -> None:
    item.done = done
    db.session.flush()


def remove_item(item: ChecklistItem) -> None:
    db.session.delete(item)
    db.session.flush()


def _tell_assigned(task: Task, people: list[User], by: User) -> None:
    """Each person put on the task hears of it (not the one who did it), in their own language."""
    url = url_for("actionplan.task", task_id=task.id)
    for person in people:
        if person.id == by.id or not person.active:
            continue
        with in_locale(person):
            notify([person], category=CATEGORY, school=task.initiative.school, url=url,
                   title=_("Je staat op de taak %(title)s", title=task.title),
                   body=_("Uit het actieplan van %(initiative)s.", initiative=task.initiative.title))


# --- the link to the vision ----------------------------------------------------------------------------


def link_vision(initiative: Initiative, user: User, values) -> list[VisionLink]:
    """The initiative realises these ambitions and principles of the current vision (`kind:key` values);
    links to what the current vision no longer holds (an earlier version's ambition) stay unless unticked
    on the form, which lists them too."""
    version = current_version(initiative.school)
    offered = {t.value: t for t in targets_of(version)}
    existing = {f"{link.kind}:{link.target}": link for link in queries.links_of(initiative)}
    chosen = set(values or ())
    unknown = chosen - set(offered) - set(existing)
    if unknown:
        raise PlanError(_("Kies ambities en leidende principes uit de huidige visie."), "targets")
    for value, link in existing.items():
        if value not in chosen:
            db.session.delete(link)
    for value in sorted(chosen - set(existing)):
        target = offered[value]
        try:
            # Two people saving the same link at once: the database keeps one (uq_..._target).
            with db.session.begin_nested():
                db.session.add(VisionLink(initiative_id=initiative.id, school_id=initiative.school_id,
                                          kind=target.kind, target=target.key, version_number=version.number,
                                          created_by_id=user.id))
        except IntegrityError:
            pass
    db.session.flush()
    return queries.links_of(initiative)
