"""Sprint pages: the cadence, a sprint's planning, checkpoints, meetings and closing, the board and the charts.

The backlog's and the offer basket's pages are in views_backlog.py, the board and the labels in views_board.py, on
the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import charts, pagecache, uow
from warmeveranderen.domain import BUILDING_BLOCKS, CHECKPOINT_KINDS, SPRINT_RESULTS
from warmeveranderen.extensions import db
from warmeveranderen.parts import sprint_counts
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.sprints import cadence, closing, counting, queries, schooltime
from warmeveranderen.sprints.forms import (
    CalendarForm,
    CheckpointForm,
    CloseForm,
    GoalForm,
    MeetingForm,
    MoveSprintForm,
    OwnDayForm,
    OwnDaysImportForm,
    ReopenForm,
    WeeksForm,
)
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.sprints.permissions import (
    can_edit_sprints,
    can_manage_cadence,
    can_reopen_sprint,
    can_setup_cadence,
    can_view_sprints,
)
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.timeutil import today

bp = Blueprint("sprints", __name__)


def show_refusal(form, exc: SprintError) -> None:
    """Show a service's refusal above the form, which is then shown again (422)."""
    form.form_errors.append(str(exc))


# --- the cadence -----------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/sprints")
def index(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    pagecache.versions(school.id)
    return pagecache.page("sprints", school, "sprints/index.html", lambda: _index_context(school),
                          viewer=pagecache.roles_of(current_user, school))


def _index_context(school: School, calendar_form=None, weeks_form=None, own_day_form=None, import_form=None) -> dict:
    calendar = queries.calendar_of(school)
    if weeks_form is None and calendar is not None:
        weeks_form = WeeksForm(data={"weeks": calendar.weeks_override})
    default_weeks = queries.default_sprint_weeks()
    sprints = queries.sprints_of(school) if calendar else []
    school_calendar = schooltime.calendar_for(school)
    school_year, days_off = schooltime.school_year_events(school_calendar, today())
    return {
        "school": school, "calendar": calendar, "sprints": sprints,
        "sprint_days": schooltime.sprint_days(school_calendar, sprints),
        "school_year": school_year, "days_off": days_off, "own_days": schooltime.own_days(school),
        "own_day_form": own_day_form or OwnDayForm(), "import_form": import_form or OwnDaysImportForm(),
        "current": queries.current_sprint(school) if calendar else None,
        "history": queries.sprint_history(school) if calendar else [],
        "default_weeks": default_weeks,
        "weeks": queries.sprint_weeks(calendar) if calendar else default_weeks,
        "calendar_form": calendar_form or CalendarForm(data={"start_date": queries.next_monday(today())}),
        "weeks_form": weeks_form,
    }


@bp.route("/scholen/<int:school_id>/sprints/kalender", methods=["POST"])
def setup_calendar(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_setup_cadence(current_user, school))
    form = CalendarForm()
    if not form.validate_on_submit():
        return uow.invalid("sprints/index.html", **_index_context(school, calendar_form=form))
    try:
        cadence.setup_calendar(school, form.start_date.data, current_user)
    except SprintError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("De sprintkalender staat klaar: sprint 1 en sprint 2 bestaan."), "success")
    return redirect(url_for("sprints.index", school_id=school.id))


@bp.route("/scholen/<int:school_id>/sprints/lengte", methods=["POST"])
def set_weeks(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_manage_cadence(current_user, school))
    form = WeeksForm()
    if form.validate_on_submit():
        try:
            cadence.set_sprint_weeks(school, form.weeks.data, form.reason.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("De sprintlengte is aangepast; sprints die nog niet gestart zijn volgen."), "success")
            return redirect(url_for("sprints.index", school_id=school.id))
    return uow.invalid("sprints/index.html", **_index_context(school, weeks_form=form))


@bp.route("/sprints/<int:sprint_id>/verschuiven", methods=["GET", "POST"])
def move(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_manage_cadence(current_user, sprint.school))
    form = MoveSprintForm(data={"new_start": sprint.start_date} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            cadence.move_sprint(sprint, form.new_start.data, form.reason.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Sprint %(n)s en de sprints erna zijn verschoven.", n=sprint.number), "success")
            return redirect(url_for("sprints.index", school_id=sprint.school_id))
    context = {"sprint": sprint, "school": sprint.school, "form": form, "previous": queries.previous_sprint(sprint)}
    if request.method == "POST":
        return uow.invalid("sprints/move.html", **context)
    return render_template("sprints/move.html", **context)


# --- one sprint: planning, checkpoints, meetings, closing ------------------------------------------


def _sprint_context(sprint: Sprint) -> dict:
    school = sprint.school
    initiatives = queries.sprint_initiatives(sprint)
    counts = queries.sprint_coverage(sprint, initiatives)
    last_met, rhythm = queries.meeting_rhythm(school)
    editable = not sprint.is_closed and can_edit_sprints(current_user, school)
    # Meetings and alignments can be recorded for the sprint's whole calendar period, even after an early close.
    recordable = can_edit_sprints(current_user, school) and (not sprint.is_closed or today() <= sprint.end_date)
    return {
        "recordable": recordable, "days_left": closing.days_left(sprint),
        "reopen_refusal": closing.reopen_refusal(sprint) if sprint.is_closed else None,
        "sprint": sprint, "school": school, "initiatives": initiatives, "coverage": counts,
        "coverage_warning": queries.coverage_warning(counts), "last_met": last_met, "rhythm": rhythm,
        "backlog": queries.unplanned_backlog(school) if editable else [],
        "previous": queries.previous_sprint(sprint), "following": queries.next_sprint(sprint),
        "checkpoints": {c.kind: c for c in sprint.checkpoints},
        "results": {r.initiative_id: r for r in sprint.results},
        "result_initiatives": queries.result_initiatives(sprint),
        "changes": [c for c in queries.sprint_history(school) if c.sprint_id == sprint.id],
        "today": today(), **counting.counting(initiatives),
    }


def _sprint_page(sprint: Sprint, goal_form=None, checkpoint_forms=None, reopen_form=None) -> dict:
    context = _sprint_context(sprint)
    checkpoint_forms = dict(checkpoint_forms or {})
    for kind in CHECKPOINT_KINDS:
        existing = context["checkpoints"].get(kind)
        data = ({"held_on": existing.held_on, "who": existing.who, "note": existing.note} if existing
                else {"held_on": today()})
        checkpoint_forms.setdefault(kind, CheckpointForm(prefix=kind, data=data))
    return dict(context, goal_form=goal_form or GoalForm(data={"goal": sprint.goal}), checkpoint_forms=checkpoint_forms,
                reopen_form=reopen_form or ReopenForm())


@bp.route("/sprints/<int:sprint_id>")
def sprint(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    school = sprint.school
    authorize(can_view_sprints(current_user, school))
    pagecache.versions(school.id)
    return pagecache.page("sprint", school, "sprints/sprint.html", lambda: _sprint_page(sprint),
                          viewer=pagecache.roles_of(current_user, school))


@bp.route("/sprints/<int:sprint_id>/doel", methods=["POST"])
def set_goal(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    form = GoalForm()
    if form.validate_on_submit():
        try:
            cadence.set_goal(sprint, form.goal.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Het sprintdoel is opgeslagen."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    return uow.invalid("sprints/sprint.html", **_sprint_page(sprint, goal_form=form))


@bp.route("/sprints/<int:sprint_id>/starten", methods=["POST"])
def start(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    try:
        cadence.start_sprint(sprint, current_user)
    except SprintError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Sprint %(n)s is gestart. Sprint %(m)s staat al klaar.", n=sprint.number, m=sprint.number + 1),
              "success")
    return redirect(url_for("sprints.sprint", sprint_id=sprint.id))


@bp.route("/sprints/<int:sprint_id>/afstemming/<kind>", methods=["POST"])
def checkpoint(sprint_id: int, kind: str):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    if kind not in CHECKPOINT_KINDS:
        return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    form = CheckpointForm(prefix=kind)
    if form.validate_on_submit():
        try:
            cadence.record_checkpoint(sprint, kind, form.held_on.data, form.who.data, form.note.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("De afstemming is vastgelegd."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id, _anchor="checkpoints-heading"))
    return uow.invalid("sprints/sprint.html", **_sprint_page(sprint, checkpoint_forms={kind: form}))


@bp.route("/sprints/<int:sprint_id>/overleg", methods=["GET", "POST"])
def meeting(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    form = MeetingForm(data={"held_on": today()} if request.method == "GET" else None)
    form.attendees.choices = [(u.id, u.name) for u in queries.flywheel_people(sprint.school)]
    if form.validate_on_submit():
        try:
            cadence.add_meeting(sprint, form.held_on.data, form.attendees.data or [], form.notes.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Het overleg is vastgelegd."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id, _anchor="meetings-heading"))
    context = {"sprint": sprint, "school": sprint.school, "form": form}
    if request.method == "POST":
        return uow.invalid("sprints/meeting.html", **context)
    return render_template("sprints/meeting.html", **context)


@bp.route("/sprints/<int:sprint_id>/afsluiten", methods=["GET", "POST"])
def close(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    if sprint.is_closed:
        flash(_("Sprint %(n)s is al afgesloten.", n=sprint.number), "info")
        return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    form = CloseForm()
    initiatives = list(sprint.initiatives)
    early = {"days_left": closing.days_left(sprint), "early": today() < sprint.end_date}
    if request.method == "GET":
        chosen = {i.id: ("achieved" if i.status == "done" else "", "") for i in initiatives}
        return render_template("sprints/close.html", sprint=sprint, school=sprint.school, form=form,
                               initiatives=initiatives, chosen=chosen, missing=set(), **early)
    chosen = {i.id: (request.form.get(f"result_{i.id}", ""), request.form.get(f"note_{i.id}", "")) for i in initiatives}
    if form.validate_on_submit():
        try:
            cadence.close_sprint(sprint, chosen, went_well=form.retro_went_well.data,
                                 to_improve=form.retro_to_improve.data, actions=form.retro_actions.data,
                                 summary=form.review_summary.data, user=current_user,
                                 confirm_early=form.confirm_early.data)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Sprint %(n)s is afgesloten. Goed gedaan!", n=sprint.number), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    missing = {iid for iid, (result, _note) in chosen.items() if result not in SPRINT_RESULTS}
    return uow.invalid("sprints/close.html", sprint=sprint, school=sprint.school, form=form,
                       initiatives=initiatives, chosen=chosen, missing=missing, **early)


@bp.route("/sprints/<int:sprint_id>/heropenen", methods=["POST"])
def reopen(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_reopen_sprint(current_user, sprint.school))
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            closing.reopen_sprint(sprint, form.reason.data, current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Sprint %(n)s is heropend. De reden staat in de geschiedenis van de cadans.", n=sprint.number),
                  "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    return uow.invalid("sprints/sprint.html", **_sprint_page(sprint, reopen_form=form))


# --- charts ----------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/sprints/grafieken")
def charts_page(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    current = queries.current_sprint(school)
    code = counting.count_by()
    return render_template(
        "sprints/charts.html", school=school, current=current, count_by=code, counts=sprint_counts(),
        burnup=counting.burnup(current, code) if current else [],
        coverage=queries.coverage_over_sprints(school), grid=queries.health_grid(school),
    )


@bp.route("/sprints/<int:sprint_id>/burnup.svg")
def burnup_svg(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_view_sprints(current_user, sprint.school))
    code = counting.count_by()
    rows = counting.burnup(sprint, code)
    title = (_("Burn-up van sprint %(n)s (%(what)s)", n=sprint.number, what=str(sprint_counts()[code].label).lower())
             if code else _("Burn-up van sprint %(n)s", n=sprint.number))
    chart = charts.line(
        title, [_("Week %(w)s", w=w) for w, *_rest in rows],
        {_("Afgerond"): [done for _w, _d, done, _s in rows], _("In de sprint"): [scope for *_r, scope in rows]},
        range=(0, top := max([scope for *_r, scope in rows] + [1])), y_labels=_integer_ticks(top),
    )
    return charts.svg_response(chart)


@bp.route("/scholen/<int:school_id>/sprints/dekking.svg")
def coverage_svg(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    data = queries.coverage_over_sprints(school)
    chart = charts.bar(
        _("Bouwstenen per sprint"), [_("Sprint %(n)s", n=s.number) for s, _c in data],
        {str(label): [counts[code] for _s, counts in data] for code, label in BUILDING_BLOCKS.items()},
        stacked=True, y_labels=_integer_ticks(max([sum(c.values()) for _s, c in data] + [1])),
    )
    return charts.svg_response(chart)


def _integer_ticks(top: int) -> list[int]:
    """Whole-number ticks for counts (about ten of them at most)."""
    step = max(1, -(-top // 10))
    return list(range(0, top + step, step))
