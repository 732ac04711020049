"""Who may read and change an initiative's action plan and its link to the vision.

- Everyone who may see the school's sprints reads the plans (its people, its advisers, the coordinator).
- The flywheel and the director (who edit the sprints), and the initiative's owner, edit the whole plan
  and the link to the vision.
- A person on a task (an assignee, a member of the school) works on that task: ticks it off, edits it
  and its checklist. Members of another school see nothing.
"""

from __future__ import annotations

from warmeveranderen.permissions import _authenticated, has_role, permission
from warmeveranderen.sprints.permissions import can_edit_sprints, can_view_sprints


@permission
def can_view_action_plan(user, initiative) -> bool:
    return can_view_sprints(user, initiative.school)


@permission
def can_edit_action_plan(user, initiative) -> bool:
    """Add, reorder and remove tasks; link the initiative to the vision."""
    if can_edit_sprints(user, initiative.school):
        return True
    return (_authenticated(user) and initiative.owner_id == user.id and has_role(user, initiative.school))


@permission
def can_work_on_task(user, task) -> bool:
    """Tick off, edit and keep the checklist of one task: plan editors and the people on the task."""
    if can_edit_action_plan(user, task.initiative):
        return True
    return (_authenticated(user) and any(person.id == user.id for person in task.assignees)
            and has_role(user, task.initiative.school))


@permission
def can_view_tasks(user, school) -> bool:
    """The school's task list (all plans, or one person's tasks)."""
    return can_view_sprints(user, school)
