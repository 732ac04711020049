"""The action plan's reminders and calendar events.

- `task_due_soon`: an open task is due within `task_due_soon_days` (the people on the task, else the
  initiative's owner), once per task, person and due date;
- `task_overdue`: an open task passed its due date `task_overdue_days` ago (the same people), once per
  task, person and due date. A new due date is a new occurrence; a task ticked off is not reminded.
- Calendar: the person's open tasks with a due date, all day on that date.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.actionplan.models import Task, task_assignees
from warmeveranderen.actionplan.permissions import can_view_tasks
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day_long
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import RECIPIENT_COLUMNS, Recipient, local_day, schools_seen_by
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import Initiative

CATEGORY = "sprint"


def _open_tasks_due(first, last) -> list[Task]:
    """Open tasks due from `first` to `last` (inclusive), over all schools (the done/due index)."""
    return db.session.scalars(
        db.select(Task).where(Task.done.is_(False), Task.due_date >= first, Task.due_date <= last)
        .order_by(Task.due_date, Task.id)
    ).all()


def _people_on(tasks: list[Task]) -> dict[int, list[Recipient]]:
    """task id -> the active people on it who are still members of its school; a task without anyone
    goes to its initiative's owner (two queries for the whole window)."""
    found: dict[int, list[Recipient]] = defaultdict(list)
    if not tasks:
        return found
    ids = [t.id for t in tasks]
    member = db.select(Membership.id).where(Membership.user_id == User.id, Membership.school_id == Task.school_id)
    active = (User.active.is_(True), User.has_joined, member.exists())
    rows = db.session.execute(
        db.select(task_assignees.c.task_id, *RECIPIENT_COLUMNS)
        .join(User, User.id == task_assignees.c.user_id).join(Task, Task.id == task_assignees.c.task_id)
        .where(task_assignees.c.task_id.in_(ids), *active).order_by(User.name, User.id)
    )
    for row in rows:
        found[row.task_id].append(Recipient.from_row(row))
    alone = [t.id for t in tasks if t.id not in found]
    if alone:
        owners = db.session.execute(
            db.select(Task.id.label("task_id"), *RECIPIENT_COLUMNS)
            .join(Initiative, Initiative.id == Task.initiative_id).join(User, User.id == Initiative.owner_id)
            .where(Task.id.in_(alone), *active)
        )
        for row in owners:
            found[row.task_id].append(Recipient.from_row(row))
    return found


def _dues(rule: str, tasks: list[Task], render):
    people = _people_on(tasks)
    for task, person, key, when in not_yet_sent(
        rule, tasks, key=lambda t: f"task-{t.id}", occurrence=lambda t: f"due-{t.due_date}",
        recipients=lambda t: people.get(t.id, []),
    ):
        with in_locale(person):
            title, body = render(task)
            yield Due(recipient=person, object_key=key, occurrence=when, school=task.school, title=title, body=body,
                      url=url_for("actionplan.task", task_id=task.id))


@reminder_rule("task_due_soon", CATEGORY, description="Taak uit een actieplan komt binnenkort af")
def task_due_soon(now):
    """The people on an open task due from today to `task_due_soon_days` ahead."""
    day = local_day(now)
    tasks = _open_tasks_due(day, day + timedelta(days=offset("task_due_soon_days")))
    yield from _dues("task_due_soon", tasks, lambda t: (
        _("De taak %(title)s moet af tegen %(day)s", title=t.title, day=format_day_long(t.due_date)),
        _("Uit het actieplan van %(initiative)s. Vink ze af als ze klaar is.", initiative=t.initiative.title),
    ))


@reminder_rule("task_overdue", CATEGORY, description="Taak uit een actieplan is over tijd")
def task_overdue(now):
    """The people on an open task whose due date passed `task_overdue_days` ago (looking back `lookback()`)."""
    last = local_day(now) - timedelta(days=offset("task_overdue_days"))
    tasks = _open_tasks_due(last - timedelta(days=lookback()), last)
    yield from _dues("task_overdue", tasks, lambda t: (
        _("De taak %(title)s is over tijd (moest af tegen %(day)s)", title=t.title, day=format_day_long(t.due_date)),
        _("Uit het actieplan van %(initiative)s. Vink ze af, of spreek een nieuwe datum af.",
          initiative=t.initiative.title),
    ))


@calendar_source
def task_events(user: User, school: School | None = None):
    """The person's open tasks with a due date, all day on that date (in the schools they may see)."""
    schools = {s.id: s for s in schools_seen_by(user, school, can_view_tasks)}
    if not schools or not getattr(user, "id", None):
        return
    tasks = db.session.scalars(
        db.select(Task).join(task_assignees, task_assignees.c.task_id == Task.id)
        .where(task_assignees.c.user_id == user.id, Task.school_id.in_(schools), Task.done.is_(False),
               Task.due_date.is_not(None))
        .order_by(Task.due_date, Task.id)
    ).all()
    for task in tasks:
        with in_locale(user):
            yield CalendarEvent(
                uid=f"task-{task.id}@warmeveranderen",
                summary=_("Taak: %(title)s (%(school)s)", title=task.title, school=schools[task.school_id].name),
                start=task.due_date, end=task.due_date, description=task.notes,
                url=url_for("actionplan.task", task_id=task.id), school=schools[task.school_id],
            )
