"""Access rules of the action plans: everyone of the school reads; the flywheel and the director (and
the initiative's owner) edit the plan and its link to the vision; the people on a task work on it
(the pupil is on the task here: they tick it off and keep its checklist, but do not edit the plan)."""

from tests.access import FLYWHEEL, SCHOOL

EDIT = FLYWHEEL | {"director"}
WORK = EDIT | {"pupil"}

RULES = {
    "actionplan.tasks": {"GET": SCHOOL},
    "actionplan.task": {"GET": SCHOOL},
    "actionplan.new_task": {"GET": EDIT, "POST": EDIT, "data": lambda w: {"title": "Affiches ophangen"}},
    "actionplan.quick_task": {"POST": EDIT, "data": lambda w: {"taak-title": "Uitnodiging sturen", "taak-assignee": "0"}},
    "actionplan.edit_task": {"GET": WORK, "POST": WORK, "data": lambda w: {"title": "Affiches ophangen"}},
    "actionplan.set_done": {"POST": WORK, "data": lambda w: {"done": "1"}},
    "actionplan.move_task": {"POST": EDIT, "data": lambda w: {"direction": "down"}},
    "actionplan.remove_task": {"POST": EDIT},
    "actionplan.add_item": {"POST": WORK, "data": lambda w: {"text": "Printer reserveren"}},
    "actionplan.set_item_done": {"POST": WORK, "data": lambda w: {"done": "1"}},
    "actionplan.remove_item": {"POST": WORK},
    "actionplan.vision_link": {"GET": EDIT, "POST": EDIT},
}


def url_args(world) -> dict:
    from tests.factories_actionplan import ChecklistItemFactory, TaskFactory
    from tests.factories_sprints import InitiativeFactory

    initiative = InitiativeFactory(school=world.school)
    task = TaskFactory(initiative=initiative, assignees=[world.users["pupil"]])
    TaskFactory(initiative=initiative)
    item = ChecklistItemFactory(task=task)
    return {"by_blueprint": {"actionplan": {"initiative_id": initiative.id}}, "task_id": task.id,
            "checklist_item_id": item.id}
