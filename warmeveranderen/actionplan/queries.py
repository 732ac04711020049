"""Reads of the action plans: one initiative's plan, the progress of many, the school's tasks, a
sprint's task burn-up, the vision links, and a text search for other features (search).

Nothing here writes.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.actionplan.models import ChecklistItem, Task, VisionLink, task_assignees
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import Initiative, Sprint
from warmeveranderen.timeutil import to_local, today


def _with_people(query):
    return query.options(selectinload(Task.assignees), selectinload(Task.checklist))


def tasks_of(initiative) -> list[Task]:
    """The initiative's plan in its order, with people and checklists (three queries)."""
    return list(db.session.scalars(
        _with_people(db.select(Task).where(Task.initiative_id == initiative.id)).order_by(Task.position, Task.id)
    ))


def load_task(task_id: int) -> Task | None:
    return db.session.scalars(
        _with_people(db.select(Task).where(Task.id == task_id))
        .options(selectinload(Task.initiative).selectinload(Initiative.school))
    ).first()


def load_item(item_id: int) -> ChecklistItem | None:
    return db.session.get(ChecklistItem, item_id)


def progress(initiative_ids) -> dict[int, tuple[int, int]]:
    """initiative id -> (tasks done, tasks) for these initiatives (one query); initiatives without tasks
    are left out."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Task.initiative_id, func.count(), func.sum(func.cast(Task.done, db.Integer)))
        .where(Task.initiative_id.in_(ids)).group_by(Task.initiative_id)
    )
    return {iid: (int(done or 0), int(total)) for iid, total, done in rows}


def people_of(school: School) -> list[User]:
    """Everyone who may be put on a task: the active people with a role in the school, by name."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id, User.active.is_(True)).distinct().order_by(User.name, User.id)
    ))


def school_tasks(school: School, *, person: User | None = None, open_only: bool = True,
                 bare: bool = False) -> list[Task]:
    """The school's tasks (optionally one person's, optionally also the done ones): dated ones by due
    date first, with their initiative, people and checklist (`bare`: the tasks only)."""
    query = db.select(Task).where(Task.school_id == school.id)
    if person is not None:
        query = query.join(task_assignees, task_assignees.c.task_id == Task.id).where(
            task_assignees.c.user_id == person.id)
    if open_only:
        query = query.where(Task.done.is_(False))
    if not bare:
        query = _with_people(query).options(selectinload(Task.initiative))
    return list(db.session.scalars(
        query.order_by(Task.due_date.is_(None), Task.due_date, Task.initiative_id, Task.position, Task.id)
    ))


def tasks_matching(school: School, text: str, limit: int = 50) -> list[Task]:
    """The school's tasks whose title, notes or checklist mention `text` (any case), for search."""
    words = (text or "").strip()
    if not words:
        return []
    # LIKE's own wildcards in the text are taken literally by leaving them out.
    needle = words.lower().replace("\\", "").replace("%", "").replace("_", "")
    if not needle.strip():
        return []
    pattern = f"%{needle}%"
    in_checklist = db.select(ChecklistItem.id).where(ChecklistItem.task_id == Task.id,
                                                     func.lower(ChecklistItem.text).like(pattern))
    return list(db.session.scalars(
        db.select(Task).where(Task.school_id == school.id,
                              or_(func.lower(Task.title).like(pattern), func.lower(Task.notes).like(pattern),
                                  in_checklist.exists()))
        .options(selectinload(Task.initiative)).order_by(Task.done, Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(limit)
    ))


# --- the sprint's burn-up counted in tasks ------------------------------------------------------------


def sprint_initiative_ids(sprint: Sprint) -> list[int]:
    """The initiatives the sprint holds, and for a closed sprint also those it recorded a result for."""
    ids = {i.id for i in sprint.initiatives}
    ids.update(r.initiative_id for r in sprint.results)
    return sorted(ids)


def task_burnup(sprint: Sprint) -> list[tuple[int, date, int | None, int]]:
    """Per week of the sprint: (week, last day, tasks done by then, tasks planned by then) over the tasks
    of the sprint's initiatives. Weeks that have not begun have None for "done"; the scope grows as
    tasks are added, which a burn-up shows on purpose."""
    ids = sprint_initiative_ids(sprint)
    tasks = db.session.execute(
        db.select(Task.created_at, Task.done, Task.done_at).where(Task.initiative_id.in_(ids or [0]))
    ).all()
    created = [to_local(at).date() for at, _done, _when in tasks]
    finished = [to_local(when).date() for _at, done, when in tasks if done and when is not None]
    rows = []
    for week in range(1, sprint.weeks + 1):
        first = sprint.start_date + timedelta(days=7 * (week - 1))
        last = min(sprint.start_date + timedelta(days=7 * week - 1), sprint.end_date)
        started = first <= today()
        scope = sum(1 for d in created if d <= last) if started and last < today() else len(created)
        done = sum(1 for d in finished if d <= last) if started else None
        rows.append((week, last, done, scope))
    return rows


# --- the vision links ---------------------------------------------------------------------------------


def links_of(initiative) -> list[VisionLink]:
    return list(db.session.scalars(
        db.select(VisionLink).where(VisionLink.initiative_id == initiative.id).order_by(VisionLink.kind, VisionLink.id)
    ))


def school_links(school: School) -> list[VisionLink]:
    """Every vision link of the school's initiatives, with the initiative (two queries)."""
    return list(db.session.scalars(
        db.select(VisionLink).where(VisionLink.school_id == school.id)
        .options(selectinload(VisionLink.initiative).selectinload(Initiative.owner))
        .order_by(VisionLink.id)
    ))
