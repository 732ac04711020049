"""Backlog pages: initiatives, their order, status and sprint, and the offer basket.

These pages are on the sprints blueprint (views.bp); the cadence, sprint and board pages are in views.py.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.domain import BUILDING_BLOCKS, FLYWHEEL, INITIATIVE_STATUSES
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment
from warmeveranderen.parts import basket_item_sections_for, initiative_sections_for
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School
from warmeveranderen.programme.services import current_programme
from warmeveranderen.security import safe_next
from warmeveranderen.sprints import queries, services
from warmeveranderen.sprints.forms import AddFromBasketForm, BasketItemForm, InitiativeForm
from warmeveranderen.sprints.models import BasketItem, Initiative, Sprint
from warmeveranderen.sprints.permissions import can_edit_sprints, can_manage_basket, can_view_basket, can_view_sprints
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.sprints.views import bp, show_refusal
from warmeveranderen.timeutil import utcnow


def _back(default: str) -> str:
    """Return to the page the form was on (only local paths)."""
    return safe_next(request.form.get("next"), default)


# --- initiatives and the backlog -------------------------------------------------------------------


def _initiative_data(form: InitiativeForm) -> dict:
    return {key: getattr(form, key).data for key in (
        "title", "description", "building_block", "secondary_block", "core_missions", "health_level",
        "health_strategy", "owner_id", "needs_advice", "labels")}


@bp.route("/scholen/<int:school_id>/backlog")
def backlog(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    pagecache.versions(school.id)
    return pagecache.page(
        "backlog", school, "sprints/backlog.html",
        lambda: dict(school=school, items=queries.open_backlog(school), closed=queries.recently_closed(school),
                     current=queries.current_sprint(school), editable=can_edit_sprints(current_user, school)),
        viewer=pagecache.roles_of(current_user, school))


@bp.route("/scholen/<int:school_id>/initiatieven/nieuw", methods=["GET", "POST"])
def new_initiative(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    form = InitiativeForm()
    form.fill_owners(queries.flywheel_people(school))
    form.fill_labels(services.labels_of(school))
    if form.validate_on_submit():
        try:
            initiative = services.create_initiative(school, _initiative_data(form), current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("“%(t)s” staat op de backlog.", t=initiative.title), "success")
            return redirect(url_for("sprints.backlog", school_id=school.id))
    return uow.form_page("sprints/initiative_form.html", form, failed=request.method == "POST", school=school, initiative=None)


@bp.route("/initiatieven/<int:initiative_id>")
def initiative(initiative_id: int):
    # Read with the person (accounts/loading.py: load_page_object), with its school.
    school = db.get_or_404(Initiative, initiative_id).school
    authorize(can_view_sprints(current_user, school))
    pagecache.versions(school.id)
    # Per person: what they follow, may move and have read of the discussion.
    return pagecache.page("initiative", school, "sprints/initiative.html",
                          lambda: _initiative_page(db.session.get(Initiative, initiative_id)),
                          viewer=pagecache.personal(current_user))


def _initiative_page(initiative) -> dict:
    school = initiative.school
    sprints = [s for s in queries.sprints_of(school) if not s.is_closed]
    editable = can_edit_sprints(current_user, school) and not (initiative.sprint and initiative.sprint.is_closed)
    return dict(initiative=initiative, school=school, sprints=sprints, transitions=services.TRANSITIONS,
                sections=initiative_sections_for(current_user, initiative),
                allowed=services.allowed_moves(initiative, current_user) if editable else [], editable=editable,
                stranded=can_edit_sprints(current_user, school) and services.is_stranded(initiative))


@bp.route("/initiatieven/<int:initiative_id>/bewerken", methods=["GET", "POST"])
def edit_initiative(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    school = initiative.school
    authorize(can_edit_sprints(current_user, school))
    form = InitiativeForm(obj=initiative if request.method == "GET" else None)
    form.fill_owners(queries.flywheel_people(school))
    form.fill_labels(services.labels_of(school))
    if request.method == "GET":
        form.owner_id.data = str(initiative.owner_id) if initiative.owner_id else ""
        form.labels.data = [label.id for label in initiative.labels]
        form.secondary_block.data = initiative.secondary_block or ""
        form.health_level.data = initiative.health_level or ""
        form.health_strategy.data = initiative.health_strategy or ""
    if form.validate_on_submit():
        try:
            services.update_initiative(initiative, _initiative_data(form), current_user)
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("sprints.initiative", initiative_id=initiative.id))
    return uow.form_page("sprints/initiative_form.html", form, failed=request.method == "POST", school=school,
                         initiative=initiative)


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
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        ids = [int(i) for i in request.form.getlist("ids")]
        services.reorder_backlog(school, ids, current_user)
    except (ValueError, SprintError) as exc:
        message = str(exc) if isinstance(exc, SprintError) else _("Ongeldige volgorde.")
        if wants_json:
            return jsonify(ok=False, message=message), 409
        flash(message, "danger")
    else:
        if wants_json:
            return jsonify(ok=True)
        flash(_("De volgorde is opgeslagen."), "success")
    return redirect(url_for("sprints.backlog", school_id=school.id))


@bp.route("/initiatieven/<int:initiative_id>/status", methods=["POST"])
def move_card(initiative_id: int):
    """Move a card to another status: the board's form, and the script after a drag (it asks for JSON)."""
    initiative = db.get_or_404(Initiative, initiative_id)
    authorize(can_edit_sprints(current_user, initiative.school))
    as_json = request.accept_mimetypes.best == "application/json"
    try:
        services.move_initiative(initiative, request.form.get("status", ""), current_user, request.form.get("note", ""))
    except SprintError as exc:
        if as_json:  # a refusal is an answer, not an error: the script shows it (the request is rolled back)
            return jsonify(ok=False, message=str(exc), status=initiative.status)
        flash(str(exc), "danger")
    else:
        message = _("“%(t)s” staat nu op “%(s)s”.", t=initiative.title, s=INITIATIVE_STATUSES[initiative.status])
        if as_json:
            return jsonify(ok=True, message=message, status=initiative.status,
                           allowed=[[code, str(INITIATIVE_STATUSES[code])]
                                    for code in services.allowed_moves(initiative, current_user)],
                           moved=_("Verplaatst door %(u)s op %(d)s", u=current_user.name, d=format_moment(utcnow())))
        flash(message, "success")
    return redirect(_back(url_for("sprints.initiative", initiative_id=initiative.id)))


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


# --- the offer basket ------------------------------------------------------------------------------


def _editable_schools() -> list[School]:
    """The schools where the current person may put basket items on the backlog."""
    seen = {}
    for m in current_user.memberships:
        if can_edit_sprints(current_user, m.school):
            seen.setdefault(m.school_id, m.school)
    return sorted(seen.values(), key=lambda s: s.name)


@bp.route("/aanbodkorf")
@require(can_view_basket)
def basket():
    items = queries.basket_items(current_programme().id, include_inactive=can_manage_basket(current_user))
    block = request.args.get("bouwsteen")
    if block not in BUILDING_BLOCKS:
        block = None
    elif block:
        items = [i for i in items if i.building_block == block]
    return render_template("sprints/basket.html", items=items, block=block)


def _owner_form(school: School, blank: str) -> AddFromBasketForm:
    form = AddFromBasketForm(prefix=f"s{school.id}")
    form.owner_id.choices = [("", blank)] + [(str(u.id), u.name) for u in queries.flywheel_people(school)]
    return form


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
        form = forms[school.id] = _owner_form(school, _("Nog niemand"))
        if current_user.membership(school, FLYWHEEL):
            form.owner_id.data = str(current_user.id)
    return render_template("sprints/basket_item.html", item=item, schools=schools, forms=forms,
                           used=queries.initiatives_from(item, schools),
                           sections=basket_item_sections_for(current_user, item))


@bp.route("/aanbodkorf/<int:item_id>/naar-backlog/<int:school_id>", methods=["POST"])
def add_to_backlog(item_id: int, school_id: int):
    item = db.get_or_404(BasketItem, item_id)
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    form = _owner_form(school, "")
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
        "title", "what", "audience", "building_block", "core_missions", "addresses", "health_level", "health_strategy",
        "provider", "contact", "links", "active")}


@bp.route("/aanbodkorf/nieuw", methods=["GET", "POST"])
@require(can_manage_basket)
def new_basket_item():
    form = BasketItemForm()
    if form.validate_on_submit():
        try:
            item = services.save_basket_item(current_programme().id, _basket_data(form))
        except SprintError as exc:
            show_refusal(form, exc)
        else:
            flash(_("“%(t)s” staat in de aanbodkorf.", t=item.title), "success")
            return redirect(url_for("sprints.basket_item", item_id=item.id))
    return uow.form_page("sprints/basket_form.html", form, failed=request.method == "POST", item=None)


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
            show_refusal(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("sprints.basket_item", item_id=item.id))
    return uow.form_page("sprints/basket_form.html", form, failed=request.method == "POST", item=item)
