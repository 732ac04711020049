"""The network library (kennisbank): browse, search and filter, share, edit, put on our backlog."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.domain import CORE_MISSIONS
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.networks import queries, services
from warmeveranderen.networks.forms import PROGRAMME_SCOPE, AdoptForm, LibraryItemForm, health_cell_choices, scope_choices
from warmeveranderen.networks.permissions import (
    can_adopt_library_item,
    can_contribute,
    can_edit_library_item,
    can_use_platform,
    can_view_shared,
    staff_schools,
)
from warmeveranderen.networks.views import chosen_network, contributable_networks, filters
from warmeveranderen.networks.vocabulary import LIBRARY_KINDS
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School
from warmeveranderen.programme.services import current_programme, existing_programme

bp = Blueprint("library", __name__, url_prefix="/kennisbank")


def _item_data(form: LibraryItemForm) -> dict:
    return {name: getattr(form, name).data for name in (
        "kind", "title", "summary", "building_blocks", "core_missions", "health_level", "health_strategy", "links")}


@bp.route("")
@require(can_use_platform)
def index():
    chosen = filters()
    args = request.args
    extra = {
        "mission": args.get("kernopdracht") if args.get("kernopdracht") in CORE_MISSIONS else None,
        "kind": args.get("soort") if args.get("soort") in LIBRARY_KINDS else None,
        "cell": args.get("cel") if args.get("cel") in dict(health_cell_choices()) else None,
    }
    return render_template("networks/library.html", chosen=chosen | extra, cells=health_cell_choices(),
                           networks=queries.networks_for(current_user, queries.visible_network_ids(current_user)),
                           items=queries.library(current_user, **chosen, **extra))


@bp.route("/delen", methods=["GET", "POST"])
@require(can_contribute)
def share():
    form = LibraryItemForm()
    form.scope.choices = scope_choices(contributable_networks(current_user))
    if form.validate_on_submit():
        network = chosen_network(form.scope.data)
        try:
            item = services.share_item(current_user, current_programme().id, network, _item_data(form))
        except services.NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Gedeeld in de kennisbank."), "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return uow.form_page("networks/library_form.html", form, item=None)


def _item(item_id: int):
    item = queries.load_item(item_id)
    if item is None or item.programme_id != (existing_programme() or abort(404)).id:
        abort(404)
    authorize(can_view_shared(current_user, item))
    return item


def _adoptable_schools(item) -> list[School]:
    return [s for s in staff_schools(current_user) if can_adopt_library_item(current_user, item, s)]


@bp.route("/<int:item_id>")
def detail(item_id: int):
    item = _item(item_id)
    used_by = {u.school_id: u for u in item.uses}
    return render_template("networks/library_item.html", item=item, adopt_form=AdoptForm(),
                           schools=_adoptable_schools(item), used_by=used_by)


@bp.route("/<int:item_id>/bewerken", methods=["GET", "POST"])
def edit(item_id: int):
    item = _item(item_id)
    authorize(can_edit_library_item(current_user, item))
    form = LibraryItemForm(obj=item if request.method == "GET" else None)
    networks = contributable_networks(current_user)
    if item.network is not None and item.network not in networks:
        networks.append(item.network)
    form.scope.choices = scope_choices(networks)
    if request.method == "GET":
        form.scope.data = str(item.network_id) if item.network_id else PROGRAMME_SCOPE
    if form.validate_on_submit():
        network = None if form.scope.data == PROGRAMME_SCOPE else next(
            n for n in networks if str(n.id) == form.scope.data)
        try:
            services.update_item(item, network, _item_data(form))
        except services.NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return uow.form_page("networks/library_form.html", form, item=item)


@bp.route("/<int:item_id>/naar-backlog/<int:school_id>", methods=["POST"])
def adopt(item_id: int, school_id: int):
    item = _item(item_id)
    school = db.get_or_404(School, school_id)
    authorize(can_adopt_library_item(current_user, item, school))
    if not AdoptForm().validate_on_submit():
        return redirect(url_for("library.detail", item_id=item.id))
    try:
        use = services.adopt_item(item, school, current_user)
    except services.NetworkError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("library.detail", item_id=item.id))
    flash(_("“%(t)s” staat op de backlog van %(s)s.", t=item.title, s=school.name), "success")
    return redirect(url_for("sprints.initiative", initiative_id=use.initiative_id))
