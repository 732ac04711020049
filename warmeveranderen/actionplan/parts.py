"""What the action plan adds to other pages: the plan and the link to the vision on an initiative's
page, the task counts of the sprint page and its burn-up, per ambition the initiatives on the
vision's page, and a next step for the people with tasks due."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from warmeveranderen.actionplan import queries
from warmeveranderen.actionplan.forms import DoneForm, MoveForm, QuickTaskForm
from warmeveranderen.actionplan.permissions import (
    can_edit_action_plan,
    can_view_action_plan,
    can_view_tasks,
    can_work_on_task,
)
from warmeveranderen.actionplan.vision_targets import current_version_once, targets_of
from warmeveranderen.files.services import counts_of
from warmeveranderen.memo import per_request
from warmeveranderen.parts import (
    Step,
    initiative_section,
    next_step,
    school_panel,
    sprint_burnup,
    sprint_progress,
    vision_section,
)
from warmeveranderen.timeutil import today

TASKS = "taken"
PANEL_TASKS = 4


@initiative_section("actionplan/_initiative_plan.html", order=10)
def action_plan(user, initiative) -> dict | None:
    if not can_view_action_plan(user, initiative):
        return None
    tasks = queries.tasks_of(initiative)
    editable = can_edit_action_plan(user, initiative)
    quick = None
    if editable:
        quick = QuickTaskForm(formdata=None, prefix="taak")
        quick.fill(queries.people_of(initiative.school))
    return {
        "initiative": initiative, "tasks": tasks, "done": sum(1 for t in tasks if t.done), "editable": editable,
        "workable": {t.id for t in tasks if editable or can_work_on_task(user, t)},
        "quick_form": quick, "done_form": DoneForm(), "move_form": MoveForm(), "today": today(),
        "files": counts_of("task", [t.id for t in tasks]) if tasks else {},
    }


@initiative_section("actionplan/_initiative_vision.html", order=20)
def vision_of_initiative(user, initiative) -> dict | None:
    if not can_view_action_plan(user, initiative):
        return None
    links = queries.links_of(initiative)
    editable = can_edit_action_plan(user, initiative)
    if not links and not editable:
        return None
    offered = {t.value: t for t in targets_of(current_version_once(initiative.school))}
    rows = [(link, offered.get(f"{link.kind}:{link.target}")) for link in links]
    return {"initiative": initiative, "rows": rows, "editable": editable, "has_vision": bool(offered)}


@sprint_progress(TASKS, _l("Taken"))
def task_progress(initiative_ids) -> dict[int, tuple[int, int]]:
    return queries.progress(initiative_ids)


@sprint_burnup(TASKS, _l("Taken"))
def task_burnup(sprint):
    return queries.task_burnup(sprint)


@vision_section("actionplan/_vision_initiatives.html", order=50)
def initiatives_per_ambition(user, school, version) -> dict | None:
    """Per ambition and guiding principle of the version: the initiatives that work on it, with their state."""
    if not can_view_tasks(user, school):
        return None
    links = queries.school_links(school)
    targets = targets_of(version)
    by_target: dict[str, list] = {t.value: [] for t in targets}
    elsewhere = []
    for link in links:
        key = f"{link.kind}:{link.target}"
        if key in by_target:
            by_target[key].append(link.initiative)
        else:
            elsewhere.append(link)
    progress = queries.progress([link.initiative_id for link in links])
    return {"targets": [(t, sorted(by_target[t.value], key=lambda i: i.title.lower())) for t in targets],
            "elsewhere": elsewhere, "progress": progress, "school": school}


@per_request
def _my_open_tasks(user, school):
    """The person's open tasks, most urgent first: the panel and the steps show their title and date
    only (one statement, without their people, checklists and initiatives)."""
    return queries.school_tasks(school, person=user, bare=True)


@school_panel("actionplan/_panel.html", order=35, personal=True)  # the person's own tasks
def tasks_panel(user, school) -> dict | None:
    """On the school's home: the person's open tasks (the first few, most urgent first)."""
    if not can_view_tasks(user, school):
        return None
    mine = _my_open_tasks(user, school)
    return {"school": school, "mine": mine[:PANEL_TASKS], "count": len(mine), "today": today(),
            "late": sum(1 for t in mine if t.is_overdue(today()))}


@next_step
def task_steps(user, school) -> list[Step]:
    """The person's own open tasks that are overdue or due within a week."""
    if not can_view_tasks(user, school):
        return []
    mine = _my_open_tasks(user, school)
    day = today()
    late = [t for t in mine if t.is_overdue(day)]
    soon = [t for t in mine if t.due_date is not None and 0 <= (t.due_date - day).days <= 7]
    url = url_for("actionplan.tasks", school_id=school.id, wie="ik")
    steps = []
    if late:
        steps.append(Step(ngettext("Je hebt %(num)s taak die over tijd is", "Je hebt %(num)s taken die over tijd zijn",
                                   len(late)), url, 1))
    if soon:
        steps.append(Step(ngettext("%(num)s taak van je komt deze week af", "%(num)s taken van je komen deze week af",
                                   len(soon)), url, 2))
    return steps
