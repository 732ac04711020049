"""Tasks carry attachments (bijlagen), with the permissions of the task: everyone who may read the plan
downloads; the plan's editors and the people on the task add and remove."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.actionplan.models import Task
from warmeveranderen.actionplan.permissions import can_view_action_plan, can_work_on_task
from warmeveranderen.extensions import db
from warmeveranderen.files.registry import Parent, attachment_parent


@attachment_parent("task", model=Task)
def task_parent(task_id: int) -> Parent | None:
    task = db.session.get(Task, task_id)
    if task is None:
        return None
    initiative = task.initiative
    return Parent(school=initiative.school, title=task.title,
                  link=lambda: url_for("actionplan.task", task_id=task.id),
                  can_view=lambda user: can_view_action_plan(user, initiative),
                  can_edit=lambda user: can_work_on_task(user, task),
                  label=_("Taak: %(t)s", t=task.title))
