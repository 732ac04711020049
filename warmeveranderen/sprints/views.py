"""Sprint pages: the cadence, a sprint's planning, the board, closing, the backlog, charts and the basket."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from warmeveranderen import charts
from warmeveranderen.domain import (
    BUILDING_BLOCKS,
    CHECKPOINT_KINDS,
    INITIATIVE_STATUSES,
    SPRINT_RESULTS,
)
from warmeveranderen.extensions import db
from warmeveranderen.parts import initiative_sections_for
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School
from warmeveranderen.programme.services import current_programme
from warmeveranderen.security import safe_next
from warmeveranderen.sprints import services
from warmeveranderen.sprints.forms import (
    AddFromBasketForm,
    BasketItemForm,
    CalendarForm,
    CheckpointForm,
    CloseForm,
    GoalForm,
    InitiativeForm,
    MeetingForm,
    MoveSprintForm,
    WeeksForm,
)
from warmeveranderen.sprints.models import BasketItem, Initiative, Sprint
from warmeveranderen.sprints.permissions import (
    can_edit_sprints,
    can_manage_basket,
    can_manage_cadence,
    can_setup_cadence,
    can_view_basket,
    can_view_sprints,
)
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.timeutil import today

bp = Blueprint("sprints", __name__)

INVALID = 422


def _fail(form, exc: SprintError) -> None:
    form.form_errors.append(str(exc))


# --- the cadence -----------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/sprints")
def index(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    return _render_index(school)


def _render_index(school, calendar_form=None, weeks_form=None, status=200):
    calendar = services.calendar_of(school)
    sprints = services.sprints_of(school) if calendar else []
    current = services.sprint_for_date(school, today()) if calendar else None
    if weeks_form is None and calendar is not None:
        weeks_form = WeeksForm(data={"weeks": calendar.weeks_override})
    return render_template(
        "sprints/index.html", school=school, calendar=calendar, sprints=sprints, current=current,
        history=services.sprint_history(school) if calendar else [],
        default_weeks=services.default_sprint_weeks(),
        weeks=services.sprint_weeks(calendar) if calendar else services.default_sprint_weeks(),
        calendar_form=calendar_form or CalendarForm(data={"start_date": services.next_monday(today())}),
        weeks_form=weeks_form,
    ), status


@bp.route("/scholen/<int:school_id>/sprints/kalender", methods=["POST"])
def setup_calendar(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_setup_cadence(current_user, school))
    form = CalendarForm()
    if form.validate_on_submit():
        try:
            services.setup_calendar(school, form.start_date.data, current_user)
        except SprintError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("sprints.index", school_id=school.id))
        else:
            flash(_("De sprintkalender staat klaar: sprint 1 en sprint 2 bestaan."), "success")
            return redirect(url_for("sprints.index", school_id=school.id))
    return _render_index(school, calendar_form=form, status=INVALID)


@bp.route("/scholen/<int:school_id>/sprints/lengte", methods=["POST"])
def set_weeks(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_manage_cadence(current_user, school))
    form = WeeksForm()
    if form.validate_on_submit():
        try:
            services.set_sprint_weeks(school, form.weeks.data, form.reason.data, current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("De sprintlengte is aangepast; sprints die nog niet gestart zijn volgen."), "success")
            return redirect(url_for("sprints.index", school_id=school.id))
    return _render_index(school, weeks_form=form, status=INVALID)


@bp.route("/sprints/<int:sprint_id>/verschuiven", methods=["GET", "POST"])
def move(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_manage_cadence(current_user, sprint.school))
    form = MoveSprintForm(data={"new_start": sprint.start_date} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.move_sprint(sprint, form.new_start.data, form.reason.data, current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Sprint %(n)s en de sprints erna zijn verschoven.", n=sprint.number), "success")
            return redirect(url_for("sprints.index", school_id=sprint.school_id))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/move.html", sprint=sprint, school=sprint.school, form=form,
                           previous=services.previous_sprint(sprint)), status


# --- one sprint: planning, checkpoints, meetings ---------------------------------------------------


def _sprint_context(sprint: Sprint) -> dict:
    school = sprint.school
    initiatives = list(db.session.scalars(
        db.select(Initiative).where(Initiative.sprint_id == sprint.id)
        .options(selectinload(Initiative.owner)).order_by(Initiative.position, Initiative.id)
    ))
    counts = services.coverage(initiatives)
    last_met, rhythm = services.meeting_rhythm(school)
    backlog = []
    if not sprint.is_closed and can_edit_sprints(current_user, school):
        backlog = [i for i in db.session.scalars(services.open_backlog_query(school)) if i.sprint_id is None]
    previous = services.previous_sprint(sprint)
    results = {r.initiative_id: r for r in sprint.results}
    result_initiatives = []
    if results:
        result_initiatives = list(db.session.scalars(
            db.select(Initiative).where(Initiative.id.in_(results)).order_by(Initiative.position)
        ))
    return {
        "sprint": sprint, "school": school, "initiatives": initiatives, "coverage": counts,
        "coverage_warning": services.coverage_warning(counts), "last_met": last_met, "rhythm": rhythm,
        "backlog": backlog, "previous": previous, "following": services.next_sprint(sprint),
        "checkpoints": {c.kind: c for c in sprint.checkpoints}, "results": results,
        "result_initiatives": result_initiatives,
        "changes": [c for c in services.sprint_history(school) if c.sprint_id == sprint.id],
        "today": today(),
    }


def _render_sprint(sprint: Sprint, status: int = 200, goal_form=None, checkpoint_forms=None):
    context = _sprint_context(sprint)
    goal_form = goal_form or GoalForm(data={"goal": sprint.goal})
    checkpoint_forms = dict(checkpoint_forms or {})
    for kind in CHECKPOINT_KINDS:
        existing = context["checkpoints"].get(kind)
        data = ({"held_on": existing.held_on, "who": existing.who, "note": existing.note} if existing
                else {"held_on": today()})
        checkpoint_forms.setdefault(kind, CheckpointForm(prefix=kind, data=data))
    return render_template("sprints/sprint.html", goal_form=goal_form, checkpoint_forms=checkpoint_forms,
                           **context), status


@bp.route("/sprints/<int:sprint_id>")
def sprint(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_view_sprints(current_user, sprint.school))
    return _render_sprint(sprint)


@bp.route("/sprints/<int:sprint_id>/doel", methods=["POST"])
def set_goal(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    form = GoalForm()
    if form.validate_on_submit():
        try:
            services.set_goal(sprint, form.goal.data, current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Het sprintdoel is opgeslagen."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    return _render_sprint(sprint, INVALID, goal_form=form)


@bp.route("/sprints/<int:sprint_id>/starten", methods=["POST"])
def start(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    try:
        services.start_sprint(sprint, current_user)
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
            services.record_checkpoint(sprint, kind, form.held_on.data, form.who.data, form.note.data,
                                       current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("De afstemming is vastgelegd."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id, _anchor="checkpoints-heading"))
    return _render_sprint(sprint, INVALID, checkpoint_forms={kind: form})


@bp.route("/sprints/<int:sprint_id>/overleg", methods=["GET", "POST"])
def meeting(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    people = services.flywheel_people(sprint.school)
    form = MeetingForm(data={"held_on": today()} if request.method == "GET" else None)
    form.attendees.choices = [(u.id, u.name) for u in people]
    if form.validate_on_submit():
        try:
            services.add_meeting(sprint, form.held_on.data, form.attendees.data or [], form.notes.data,
                                 current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Het overleg is vastgelegd."), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id, _anchor="meetings-heading"))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/meeting.html", sprint=sprint, school=sprint.school, form=form), status


@bp.route("/sprints/<int:sprint_id>/afsluiten", methods=["GET", "POST"])
def close(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    if sprint.is_closed:
        flash(_("Sprint %(n)s is al afgesloten.", n=sprint.number), "info")
        return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    form = CloseForm()
    initiatives = list(sprint.initiatives)
    chosen = {i.id: (request.form.get(f"result_{i.id}", ""), request.form.get(f"note_{i.id}", ""))
              for i in initiatives}
    if request.method == "GET":
        chosen = {i.id: ("achieved" if i.status == "done" else "", "") for i in initiatives}
    missing: set[int] = set()
    if form.validate_on_submit():
        try:
            services.close_sprint(sprint, chosen, went_well=form.retro_went_well.data,
                                  to_improve=form.retro_to_improve.data, actions=form.retro_actions.data,
                                  summary=form.review_summary.data, user=current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Sprint %(n)s is afgesloten. Goed gedaan!", n=sprint.number), "success")
            return redirect(url_for("sprints.sprint", sprint_id=sprint.id))
    if request.method == "POST":
        missing = {iid for iid, (result, _note) in chosen.items() if result not in SPRINT_RESULTS}
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/close.html", sprint=sprint, school=sprint.school, form=form,
                           initiatives=initiatives, chosen=chosen, missing=missing), status


# --- the board ---------------------------------------------------------------------------------------


@bp.route("/sprints/<int:sprint_id>/bord")
def board(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    school = sprint.school
    authorize(can_view_sprints(current_user, school))
    columns = services.board(sprint)
    ids = [i.id for column in columns.values() for i in column]
    return render_template("sprints/board.html", sprint=sprint, school=school, columns=columns,
                           moves=services.last_moves(ids), transitions=services.TRANSITIONS,
                           editable=can_edit_sprints(current_user, school) and not sprint.is_closed)


@bp.route("/scholen/<int:school_id>/bord")
def current_board(school_id: int):
    """The board of the sprint that runs today."""
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    current = services.current_sprint(school)
    if current is None:
        flash(_("Er loopt nog geen sprint. Stel eerst de sprintkalender in."), "info")
        return redirect(url_for("sprints.index", school_id=school.id))
    return redirect(url_for("sprints.board", sprint_id=current.id))


# --- initiatives and the backlog -------------------------------------------------------------------


def _initiative_data(form: InitiativeForm) -> dict:
    return {key: getattr(form, key).data for key in (
        "title", "description", "building_block", "secondary_block", "core_missions", "health_level",
        "health_strategy", "owner_id")}


@bp.route("/scholen/<int:school_id>/backlog")
def backlog(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    items = list(db.session.scalars(
        services.open_backlog_query(school)
        .options(selectinload(Initiative.owner), selectinload(Initiative.sprint),
                 selectinload(Initiative.basket_item))
    ))
    closed = list(db.session.scalars(
        db.select(Initiative).where(Initiative.school_id == school.id,
                                    Initiative.status.in_(services.FINAL_STATUSES))
        .options(selectinload(Initiative.sprint)).order_by(Initiative.updated_at.desc()).limit(50)
    ))
    current = services.current_sprint(school)
    return render_template("sprints/backlog.html", school=school, items=items, closed=closed, current=current,
                           editable=can_edit_sprints(current_user, school))


@bp.route("/scholen/<int:school_id>/initiatieven/nieuw", methods=["GET", "POST"])
def new_initiative(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    form = InitiativeForm()
    form.fill_owners(services.flywheel_people(school))
    if form.validate_on_submit():
        try:
            initiative = services.create_initiative(school, _initiative_data(form), current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("“%(t)s” staat op de backlog.", t=initiative.title), "success")
            return redirect(url_for("sprints.backlog", school_id=school.id))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/initiative_form.html", school=school, form=form, initiative=None), status


@bp.route("/initiatieven/<int:initiative_id>")
def initiative(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_view_sprints(current_user, initiative.school))
    school = initiative.school
    sprints = [s for s in services.sprints_of(school) if not s.is_closed]
    return render_template("sprints/initiative.html", initiative=initiative, school=school, sprints=sprints,
                           transitions=services.TRANSITIONS, sections=initiative_sections_for(current_user, initiative),
                           editable=can_edit_sprints(current_user, school)
                           and not (initiative.sprint and initiative.sprint.is_closed))


@bp.route("/initiatieven/<int:initiative_id>/bewerken", methods=["GET", "POST"])
def edit_initiative(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    school = initiative.school
    authorize(can_edit_sprints(current_user, school))
    form = InitiativeForm(obj=initiative if request.method == "GET" else None)
    form.fill_owners(services.flywheel_people(school))
    if request.method == "GET":
        form.owner_id.data = str(initiative.owner_id) if initiative.owner_id else ""
        form.secondary_block.data = initiative.secondary_block or ""
        form.health_level.data = initiative.health_level or ""
        form.health_strategy.data = initiative.health_strategy or ""
    if form.validate_on_submit():
        try:
            services.update_initiative(initiative, _initiative_data(form), current_user)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("sprints.initiative", initiative_id=initiative.id))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/initiative_form.html", school=school, form=form,
                           initiative=initiative), status


def _back(default: str) -> str:
    """Return to the page the form was on (only local paths)."""
    return safe_next(request.form.get("next"), default)


@bp.route("/initiatieven/<int:initiative_id>/volgorde", methods=["POST"])
def reorder_one(initiative_id: int):
    """Move up / move down without JavaScript."""
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_edit_sprints(current_user, initiative.school))
    try:
        services.move_in_backlog(initiative, request.form.get("direction", ""), current_user)
    except SprintError as exc:
        flash(str(exc), "danger")
    default = url_for("sprints.backlog", school_id=initiative.school_id, _anchor=f"initiative-{initiative.id}")
    return redirect(_back(default))


@bp.route("/scholen/<int:school_id>/backlog/volgorde", methods=["POST"])
def reorder(school_id: int):
    """Put the open backlog in a new order (drag and drop); answers JSON to scripts, redirects forms."""
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    try:
        ids = [int(i) for i in request.form.getlist("ids")]
        services.reorder_backlog(school, ids, current_user)
    except (ValueError, SprintError) as exc:
        message = str(exc) if isinstance(exc, SprintError) else _("Ongeldige volgorde.")
        if request.accept_mimetypes.best == "application/json":
            return jsonify(ok=False, message=message), 409
        flash(message, "danger")
    else:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(ok=True)
        flash(_("De volgorde is opgeslagen."), "success")
    return redirect(url_for("sprints.backlog", school_id=school.id))


@bp.route("/initiatieven/<int:initiative_id>/status", methods=["POST"])
def move_card(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_edit_sprints(current_user, initiative.school))
    try:
        services.move_initiative(initiative, request.form.get("status", ""), current_user,
                                 request.form.get("note", ""))
    except SprintError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("“%(t)s” staat nu op “%(s)s”.", t=initiative.title, s=INITIATIVE_STATUSES[initiative.status]),
              "success")
    default = url_for("sprints.initiative", initiative_id=initiative.id)
    return redirect(_back(default))


@bp.route("/initiatieven/<int:initiative_id>/plannen", methods=["POST"])
def plan(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_edit_sprints(current_user, initiative.school))
    sprint_id = request.form.get("sprint_id", type=int)
    try:
        if sprint_id:
            target = db.session.get(Sprint, sprint_id)
            if target is None:
                raise SprintError(_("Kies een sprint."))
            services.plan_initiative(initiative, target, current_user)
            flash(_("“%(t)s” is gepland in sprint %(n)s.", t=initiative.title, n=target.number), "success")
        else:
            services.unplan_initiative(initiative, current_user)
            flash(_("“%(t)s” staat weer op de backlog.", t=initiative.title), "success")
    except SprintError as exc:
        flash(str(exc), "danger")
    return redirect(_back(url_for("sprints.initiative", initiative_id=initiative.id)))


# --- charts ----------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/sprints/grafieken")
def charts_page(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    current = services.current_sprint(school)
    return render_template(
        "sprints/charts.html", school=school, current=current,
        burnup=services.burnup(current) if current else [],
        coverage=services.coverage_over_sprints(school), grid=services.health_grid(school),
    )


@bp.route("/sprints/<int:sprint_id>/burnup.svg")
def burnup_svg(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_view_sprints(current_user, sprint.school))
    rows = services.burnup(sprint)
    chart = charts.line(
        _("Burn-up van sprint %(n)s", n=sprint.number), [_("Week %(w)s", w=w) for w, *_rest in rows],
        {_("Afgerond"): [done for _w, _d, done, _s in rows], _("In de sprint"): [scope for *_r, scope in rows]},
        range=(0, top := max([scope for *_r, scope in rows] + [1])), y_labels=_integer_ticks(top),
    )
    return charts.svg_response(chart)


@bp.route("/scholen/<int:school_id>/sprints/dekking.svg")
def coverage_svg(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    data = services.coverage_over_sprints(school)
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


# --- the offer basket ------------------------------------------------------------------------------


def _editable_schools():
    """The schools where the current person may put basket items on the backlog."""
    seen = {}
    for m in current_user.memberships:
        if can_edit_sprints(current_user, m.school):
            seen.setdefault(m.school_id, m.school)
    return sorted(seen.values(), key=lambda s: s.name)


@bp.route("/aanbodkorf")
@require(can_view_basket)
def basket():
    programme = current_programme()
    show_all = can_manage_basket(current_user)
    items = services.basket_items(programme.id, include_inactive=show_all)
    block = request.args.get("bouwsteen")
    if block in BUILDING_BLOCKS:
        items = [i for i in items if i.building_block == block]
    return render_template("sprints/basket.html", items=items, block=block if block in BUILDING_BLOCKS else None)


@bp.route("/aanbodkorf/<int:item_id>")
@require(can_view_basket)
def basket_item(item_id: int):
    item = db.get_or_404(BasketItem, item_id)
    schools = _editable_schools()
    if not item.active and not can_manage_basket(current_user):
        flash(_("Dit item staat niet meer in de aanbodkorf."), "info")
        return redirect(url_for("sprints.basket"))
    forms = {}
    for school in schools:
        form = AddFromBasketForm(prefix=f"s{school.id}")
        form.owner_id.choices = [("", _("Nog niemand"))] + [
            (str(u.id), u.name) for u in services.flywheel_people(school)]
        if current_user.membership(school, "flywheel"):
            form.owner_id.data = str(current_user.id)
        forms[school.id] = form
    used = list(db.session.scalars(
        db.select(Initiative).where(Initiative.basket_item_id == item.id,
                                    Initiative.school_id.in_([s.id for s in schools] or [0]))
    ))
    return render_template("sprints/basket_item.html", item=item, schools=schools, forms=forms, used=used)


@bp.route("/aanbodkorf/<int:item_id>/naar-backlog/<int:school_id>", methods=["POST"])
def add_to_backlog(item_id: int, school_id: int):
    item = db.get_or_404(BasketItem, item_id)
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    form = AddFromBasketForm(prefix=f"s{school.id}")
    form.owner_id.choices = [("", "")] + [(str(u.id), u.name) for u in services.flywheel_people(school)]
    if not form.validate_on_submit():
        flash(_("Kies een eigenaar uit het vliegwiel of laat het veld leeg."), "danger")
        return redirect(url_for("sprints.basket_item", item_id=item.id))
    try:
        initiative = services.add_from_basket(school, item, current_user,
                                              int(form.owner_id.data) if form.owner_id.data else None)
    except SprintError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("sprints.basket_item", item_id=item.id))
    flash(_("“%(t)s” staat op de backlog van %(s)s.", t=initiative.title, s=school.name), "success")
    return redirect(url_for("sprints.initiative", initiative_id=initiative.id))


def _basket_data(form: BasketItemForm) -> dict:
    return {key: getattr(form, key).data for key in (
        "title", "what", "audience", "building_block", "core_missions", "health_level", "health_strategy",
        "provider", "contact", "links", "active")}


@bp.route("/aanbodkorf/nieuw", methods=["GET", "POST"])
@require(can_manage_basket)
def new_basket_item():
    form = BasketItemForm()
    if form.validate_on_submit():
        try:
            item = services.save_basket_item(current_programme().id, _basket_data(form))
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("“%(t)s” staat in de aanbodkorf.", t=item.title), "success")
            return redirect(url_for("sprints.basket_item", item_id=item.id))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/basket_form.html", form=form, item=None), status


@bp.route("/aanbodkorf/<int:item_id>/bewerken", methods=["GET", "POST"])
@require(can_manage_basket)
def edit_basket_item(item_id: int):
    item = db.get_or_404(BasketItem, item_id)
    form = BasketItemForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.health_level.data = item.health_level or ""
        form.health_strategy.data = item.health_strategy or ""
    if form.validate_on_submit():
        try:
            services.save_basket_item(item.programme_id, _basket_data(form), item)
        except SprintError as exc:
            _fail(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("sprints.basket_item", item_id=item.id))
    status = INVALID if request.method == "POST" else 200
    return render_template("sprints/basket_form.html", form=form, item=item), status

