"""The action plan's pages: a task with its checklist, the task forms, the school's task list, and
the link of an initiative to the vision. The plan itself shows on the initiative's page (parts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.actionplan import queries, services
from warmeveranderen.actionplan.forms import (
    ChecklistForm,
    ConfirmForm,
    DoneForm,
    MoveForm,
    QuickTaskForm,
    TaskForm,
    VisionLinkForm,
)
from warmeveranderen.actionplan.models import Task
from warmeveranderen.actionplan.permissions import (
    can_edit_action_plan,
    can_view_action_plan,
    can_view_tasks,
    can_work_on_task,
)
from warmeveranderen.actionplan.vision_targets import current_version, targets_of
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.security import safe_next
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import today

bp = Blueprint("actionplan", __name__)


def _initiative(initiative_id: int) -> Initiative:
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_view_action_plan(current_user, initiative))
    return initiative


def _task(task_id: int) -> Task:
    task = queries.load_task(task_id)
    if task is None:
        abort(404)
    authorize(can_view_action_plan(current_user, task.initiative))
    return task


def _plan_url(initiative: Initiative) -> str:
    return url_for("sprints.initiative", initiative_id=initiative.id, _anchor="actieplan")


def _back(default: str) -> str:
    """Return to the page the button was on (only local paths)."""
    return safe_next(request.form.get("next"), default)


# --- the school's tasks --------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/taken")
def tasks(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_tasks(current_user, school))
    pagecache.versions(school.id)
    mine = request.args.get("wie") == "ik"
    with_done = request.args.get("afgerond") == "ja"

    def context() -> dict:
        found = queries.school_tasks(school, person=current_user if mine else None, open_only=not with_done)
        return dict(school=school, tasks=found, mine=mine, with_done=with_done, today=today(), done_form=DoneForm())

    # Per person: "mine", and which tasks one may mark done.
    return pagecache.page("tasks", school, "actionplan/tasks.html", context, viewer=pagecache.personal(current_user))


# --- a task -------------------------------------------------------------------------------------------


def _task_page(task: Task, checklist_form=None):
    return uow.form_page(
        "actionplan/task.html", failed=checklist_form is not None, task=task, initiative=task.initiative,
        school=task.initiative.school, today=today(), checklist_form=checklist_form or ChecklistForm(formdata=None),
        done_form=DoneForm(), confirm_form=ConfirmForm(),
    )


@bp.route("/taken/<int:task_id>")
def task(task_id: int):
    return _task_page(_task(task_id))


@bp.route("/initiatieven/<int:initiative_id>/taken/nieuw", methods=["GET", "POST"])
def new_task(initiative_id: int):
    initiative = _initiative(initiative_id)
    authorize(can_edit_action_plan(current_user, initiative))
    form = TaskForm()
    form.fill(queries.people_of(initiative.school))
    if form.validate_on_submit():
        try:
            task = services.add_task(initiative, current_user, form.title.data, notes=form.notes.data,
                                     due_date=form.due_date.data, assignee_ids=form.assignees.data)
        except services.PlanError as exc:
            field_error(form, exc)
        else:
            flash(_("De taak “%(t)s” staat in het actieplan.", t=task.title), "success")
            return redirect(_plan_url(initiative))
    return uow.form_page("actionplan/task_form.html", form, failed=request.method == "POST" or None,
                         initiative=initiative, school=initiative.school, task=None)


@bp.route("/initiatieven/<int:initiative_id>/taken", methods=["POST"])
def quick_task(initiative_id: int):
    """The short form under the plan; when it fails, the full form shows what was typed."""
    initiative = _initiative(initiative_id)
    authorize(can_edit_action_plan(current_user, initiative))
    people = queries.people_of(initiative.school)
    quick = QuickTaskForm(prefix="taak")
    quick.fill(people)
    if quick.validate_on_submit():
        try:
            task = services.add_task(initiative, current_user, quick.title.data, due_date=quick.due_date.data,
                                     assignee_ids=[quick.assignee.data] if quick.assignee.data else [])
        except services.PlanError as exc:
            field_error(quick, exc)
        else:
            flash(_("De taak “%(t)s” staat in het actieplan.", t=task.title), "success")
            return redirect(_plan_url(initiative))
    form = TaskForm(formdata=None, data={"title": quick.title.data, "due_date": quick.due_date.data,
                                         "assignees": [quick.assignee.data] if quick.assignee.data else []})
    form.fill(people)
    for name in ("title", "due_date"):
        getattr(form, name).errors = list(getattr(quick, name).errors)
    form.assignees.errors = list(quick.assignee.errors)
    form.form_errors.extend(quick.form_errors)
    return uow.form_page("actionplan/task_form.html", form, failed=True, initiative=initiative,
                         school=initiative.school, task=None)


@bp.route("/taken/<int:task_id>/bewerken", methods=["GET", "POST"])
def edit_task(task_id: int):
    task = _task(task_id)
    authorize(can_work_on_task(current_user, task))
    form = TaskForm(data=None if request.method == "POST" else {
        "title": task.title, "notes": task.notes, "due_date": task.due_date,
        "assignees": [p.id for p in task.assignees]})
    form.fill(queries.people_of(task.initiative.school))
    if form.validate_on_submit():
        try:
            services.update_task(task, current_user, form.title.data, notes=form.notes.data,
                                 due_date=form.due_date.data, assignee_ids=form.assignees.data)
        except services.PlanError as exc:
            field_error(form, exc)
        else:
            flash(_("De taak is bijgewerkt."), "success")
            return redirect(url_for("actionplan.task", task_id=task.id))
    return uow.form_page("actionplan/task_form.html", form, failed=request.method == "POST" or None,
                         initiative=task.initiative, school=task.initiative.school, task=task,
                         may_remove=can_edit_action_plan(current_user, task.initiative), confirm_form=ConfirmForm())


@bp.route("/taken/<int:task_id>/afgevinkt", methods=["POST"])
def set_done(task_id: int):
    task = _task(task_id)
    authorize(can_work_on_task(current_user, task))
    form = DoneForm()
    if form.validate_on_submit():
        services.set_done(task, current_user, form.done.data == "1")
        flash(_("“%(t)s” is afgevinkt.", t=task.title) if task.done else _("“%(t)s” staat weer open.", t=task.title),
              "success")
    return redirect(_back(_plan_url(task.initiative)))


@bp.route("/taken/<int:task_id>/volgorde", methods=["POST"])
def move_task(task_id: int):
    task = _task(task_id)
    authorize(can_edit_action_plan(current_user, task.initiative))
    form = MoveForm()
    if form.validate_on_submit():
        services.move_task(task, form.direction.data)
    return redirect(_plan_url(task.initiative))


@bp.route("/taken/<int:task_id>/verwijderen", methods=["POST"])
def remove_task(task_id: int):
    task = _task(task_id)
    initiative = task.initiative
    authorize(can_edit_action_plan(current_user, initiative))
    if ConfirmForm().validate_on_submit():
        title = task.title
        services.remove_task(task)
        flash(_("De taak “%(t)s” is verwijderd.", t=title), "success")
    return redirect(_plan_url(initiative))


# --- its checklist --------------------------------------------------------------------------------------


@bp.route("/taken/<int:task_id>/checklist", methods=["POST"])
def add_item(task_id: int):
    task = _task(task_id)
    authorize(can_work_on_task(current_user, task))
    form = ChecklistForm()
    if form.validate_on_submit():
        try:
            services.add_item(task, form.text.data)
        except services.PlanError as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("actionplan.task", task_id=task.id, _anchor="checklist"))
    return _task_page(task, checklist_form=form)


def _item(item_id: int):
    item = queries.load_item(item_id)
    if item is None:
        abort(404)
    task = _task(item.task_id)
    authorize(can_work_on_task(current_user, task))
    return item, task


@bp.route("/checklist/<int:checklist_item_id>/afgevinkt", methods=["POST"])
def set_item_done(checklist_item_id: int):
    item, task = _item(checklist_item_id)
    form = DoneForm()
    if form.validate_on_submit():
        services.set_item_done(item, form.done.data == "1")
    return redirect(url_for("actionplan.task", task_id=task.id, _anchor="checklist"))


@bp.route("/checklist/<int:checklist_item_id>/verwijderen", methods=["POST"])
def remove_item(checklist_item_id: int):
    item, task = _item(checklist_item_id)
    if ConfirmForm().validate_on_submit():
        services.remove_item(item)
    return redirect(url_for("actionplan.task", task_id=task.id, _anchor="checklist"))


# --- the link to the vision ------------------------------------------------------------------------------


@bp.route("/initiatieven/<int:initiative_id>/visie", methods=["GET", "POST"])
def vision_link(initiative_id: int):
    initiative = _initiative(initiative_id)
    authorize(can_edit_action_plan(current_user, initiative))
    version = current_version(initiative.school)
    offered = targets_of(version)
    links = queries.links_of(initiative)
    chosen = {f"{link.kind}:{link.target}" for link in links}
    stale = [link for link in links if f"{link.kind}:{link.target}" not in {t.value for t in offered}]
    form = VisionLinkForm(data=None if request.method == "POST" else {"targets": sorted(chosen)})
    form.targets.choices = ([(t.value, t.label) for t in offered]
                            + [(f"{link.kind}:{link.target}", link.target) for link in stale])
    if form.validate_on_submit():
        try:
            services.link_vision(initiative, current_user, form.targets.data)
        except services.PlanError as exc:
            field_error(form, exc)
        else:
            flash(_("De koppeling met de visie is bewaard."), "success")
            return redirect(url_for("sprints.initiative", initiative_id=initiative.id, _anchor="visie"))
    return uow.form_page("actionplan/vision_link.html", form, failed=request.method == "POST" or None,
                         initiative=initiative, school=initiative.school, version=version, offered=offered,
                         stale=stale)
