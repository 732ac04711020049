"""The expertise network: partners with their offer, contact, cities and commitments; who can help with what."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.domain import BUILDING_BLOCKS
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.networks import results, services_more
from warmeveranderen.networks.forms import PartnerForm, health_cell_choices
from warmeveranderen.networks.models_more import Partner
from warmeveranderen.networks.permissions import can_manage_partners, can_view_partners
from warmeveranderen.networks.services import NetworkError
from warmeveranderen.permissions import require
from warmeveranderen.programme.models import WarmCity
from warmeveranderen.programme.services import current_programme, existing_programme
from warmeveranderen.sprints.models import BasketItem

bp = Blueprint("partners", __name__, url_prefix="/expertisenetwerk")


@bp.route("")
@require(can_view_partners)
def index():
    programme = existing_programme()
    cells = health_cell_choices()
    block = request.args.get("bouwsteen") if request.args.get("bouwsteen") in BUILDING_BLOCKS else None
    cell = request.args.get("cel") if request.args.get("cel") in dict(cells) else None
    city = request.args.get("stad", type=int)
    found = results.partners(programme.id, block=block, cell=cell, city_id=city,
                             include_inactive=can_manage_partners(current_user)) if programme else []
    cities = programme.cities if programme else []
    return render_template("networks/partners.html", partners=found, cells=cells, cities=cities,
                           chosen={"block": block, "cell": cell, "city": city})


def _partner(partner_id: int) -> Partner:
    partner = db.get_or_404(Partner, partner_id)
    if not partner.active and not can_manage_partners(current_user):
        abort(404)
    return partner


@bp.route("/<int:partner_id>")
@require(can_view_partners)
def detail(partner_id: int):
    return render_template("networks/partner.html", partner=_partner(partner_id), cells=dict(health_cell_choices()))


def _form(programme_id: int, partner: Partner | None = None) -> PartnerForm:
    form = PartnerForm(obj=partner if request.method == "GET" else None)
    cities = db.session.scalars(db.select(WarmCity).where(WarmCity.programme_id == programme_id)
                                .order_by(WarmCity.name)).all()
    items = db.session.scalars(db.select(BasketItem).where(BasketItem.programme_id == programme_id)
                               .order_by(BasketItem.title)).all()
    form.fill(cities, items)
    if request.method == "GET" and partner is not None:
        form.cities.data = [c.id for c in partner.cities]
        form.basket_items.data = [o.basket_item_id for o in partner.offers]
    return form


def _save(form: PartnerForm, programme_id: int, partner: Partner | None):
    data = {name: getattr(form, name).data for name in (
        "name", "offer", "commitments", "contact", "website", "building_blocks", "health_cells", "everywhere",
        "cities", "basket_items", "active")}
    return services_more.save_partner(programme_id, data, partner)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(can_manage_partners)
def new():
    programme = current_programme() if request.method == "POST" else existing_programme()
    form = _form(programme.id if programme else -1)
    if form.validate_on_submit():
        try:
            partner = _save(form, programme.id, None)
        except NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Partner opgeslagen."), "success")
            return redirect(url_for("partners.detail", partner_id=partner.id))
    return uow.form_page("networks/partner_form.html", form, partner=None)


@bp.route("/<int:partner_id>/bewerken", methods=["GET", "POST"])
@require(can_manage_partners)
def edit(partner_id: int):
    partner = db.get_or_404(Partner, partner_id)
    form = _form(partner.programme_id, partner)
    if form.validate_on_submit():
        try:
            _save(form, partner.programme_id, partner)
        except NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Partner opgeslagen."), "success")
            return redirect(url_for("partners.detail", partner_id=partner.id))
    return uow.form_page("networks/partner_form.html", form, partner=partner)
