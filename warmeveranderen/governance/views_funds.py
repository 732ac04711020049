"""Evaluation moments that decide, partner days, a school's envelope, and the coordinator's overview of
support delivered and envelopes with the reallocation of freed funds."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.domain import INDICATOR_LEVELS
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error, parse_decimal
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance import services_funds as services
from warmeveranderen.governance.forms_funds import (
    DecisionForm,
    OpenEvaluationForm,
    PartnerDayForm,
    PreparationForm,
    ReallocationForm,
    RemoveForm,
    SignForm,
    SpendForm,
)
from warmeveranderen.governance.models_funds import (
    AUDIT_ACTIONS,
    DECISIONS,
    PARTNER_DAY_KINDS,
    PARTNERS,
    SIGNING_ROLES,
    EnvelopeSpend,
    Evaluation,
)
from warmeveranderen.governance.permissions import (
    can_enter_envelope,
    can_prepare_evaluation,
    can_reallocate_funds,
    can_sign_evaluation,
    can_view_evaluations,
    can_view_support_overview,
)
from warmeveranderen.governance.services import GovernanceError
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import today

bp = Blueprint("governance_funds", __name__)
def _school(school_id: int, check=can_view_evaluations) -> School:
    school = db.get_or_404(School, school_id)
    authorize(check(current_user, school))
    return school


def _amount(text: str, form, field: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except ValueError:
        getattr(form, field).errors = [*getattr(form, field).errors, _("Geef een bedrag als 1.200,50.")]
        return None


def _school_page(school, *, open_form=None, spend_form=None, day_form=None, failed=False):
    support, envelope = figures.support_and_envelope(school, today())
    return uow.form_page(
        "governance/school.html", failed=failed, school=school, moments=figures.moments(school),
        envelope=envelope, spend=figures.spend_items(school), days=figures.partner_days(school),
        support=support, labels=figures.support_labels(), partners=PARTNERS, day_kinds=PARTNER_DAY_KINDS,
        open_form=open_form or OpenEvaluationForm(formdata=None), spend_form=spend_form or SpendForm(formdata=None),
        day_form=day_form or PartnerDayForm(formdata=None), remove_form=RemoveForm(formdata=None),
        version=figures.effective_version(school), decisions=DECISIONS,
    )


@bp.route("/scholen/<int:school_id>/evaluatie")
def school(school_id: int):
    return _school_page(_school(school_id))


@bp.route("/scholen/<int:school_id>/evaluatie/openen", methods=["POST"])
def open_evaluation(school_id: int):
    school = _school(school_id, can_prepare_evaluation)
    form = OpenEvaluationForm()
    if form.validate_on_submit():
        try:
            evaluation = services.open_evaluation(school, form.moment_on.data)
        except GovernanceError as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("governance_funds.evaluation", school_id=school.id, evaluation_id=evaluation.id))
    return _school_page(school, open_form=form, failed=True)


@bp.route("/scholen/<int:school_id>/evaluatie/uitgaven", methods=["POST"])
def add_spend(school_id: int):
    school = _school(school_id, can_enter_envelope)
    form = SpendForm()
    if form.validate_on_submit():
        own = _amount(form.own_amount.data, form, "own_amount")
        matched = _amount(form.matched_amount.data, form, "matched_amount")
        if own is not None and matched is not None:
            try:
                services.add_spend(school, current_user, spent_on=form.spent_on.data, description=form.description.data,
                                   own_amount=own, matched_amount=matched)
            except GovernanceError as exc:
                field_error(form, exc)
            else:
                flash(_("De uitgave staat in de enveloppe."), "success")
                return redirect(url_for("governance_funds.school", school_id=school.id, _anchor="enveloppe"))
    return _school_page(school, spend_form=form, failed=True)


@bp.route("/scholen/<int:school_id>/evaluatie/uitgaven/<int:spend_id>/schrappen", methods=["POST"])
def remove_spend(school_id: int, spend_id: int):
    school = _school(school_id, can_enter_envelope)
    item = db.get_or_404(EnvelopeSpend, spend_id)
    if item.school_id != school.id:
        abort(404)
    if RemoveForm().validate_on_submit():
        try:
            services.remove_spend(item, current_user)
        except GovernanceError as exc:
            uow.refuse()
            flash(str(exc), "warning")
    return redirect(url_for("governance_funds.school", school_id=school.id, _anchor="enveloppe"))


@bp.route("/scholen/<int:school_id>/evaluatie/partnerdagen", methods=["POST"])
def add_partner_day(school_id: int):
    school = _school(school_id, can_enter_envelope)
    form = PartnerDayForm()
    if form.validate_on_submit():
        days = _amount(form.days.data, form, "days")
        if days is not None:
            try:
                services.add_partner_day(school, current_user, partner=form.partner.data, kind=form.kind.data,
                                         held_on=form.held_on.data, days=days, note=form.note.data)
            except GovernanceError as exc:
                field_error(form, exc)
            else:
                flash(_("De partnerdag is ingevoerd."), "success")
                return redirect(url_for("governance_funds.school", school_id=school.id, _anchor="ondersteuning"))
    return _school_page(school, day_form=form, failed=True)


def _evaluation(school: School, evaluation_id: int) -> Evaluation:
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    if evaluation.school_id != school.id:
        abort(404)
    return evaluation


def _evaluation_page(school, evaluation, *, prep_form=None, decision_form=None, sign_form=None, failed=False):
    if prep_form is None:
        prep_form = PreparationForm(formdata=None, obj=evaluation)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
        decision_form.next_on.data = evaluation.next_on or services.default_next(evaluation.moment_on)
    snap = evaluation.snapshot if evaluation.is_frozen else figures.snapshot(school, evaluation.moment_on)
    signed_roles = {s.role for s in evaluation.signatures}
    return uow.form_page(
        "governance/evaluation.html", failed=failed, school=school, evaluation=evaluation, snap=snap,
        labels=figures.support_labels(), decisions=DECISIONS, signing_roles=SIGNING_ROLES, prep_form=prep_form,
        indicator_levels=INDICATOR_LEVELS,
        decision_form=decision_form, sign_form=sign_form or SignForm(formdata=None, fingerprint=evaluation.fingerprint),
        may_sign=(evaluation.state == "decided" and can_sign_evaluation(current_user, school)
                  and all(s.user_id != current_user.id for s in evaluation.signatures)
                  and not signed_roles >= {"director", "adviser"}),
    )


@bp.route("/scholen/<int:school_id>/evaluatie/<int:evaluation_id>")
def evaluation(school_id: int, evaluation_id: int):
    school = _school(school_id)
    return _evaluation_page(school, _evaluation(school, evaluation_id))


@bp.route("/scholen/<int:school_id>/evaluatie/<int:evaluation_id>/voorbereiding", methods=["POST"])
def prepare(school_id: int, evaluation_id: int):
    school = _school(school_id, can_prepare_evaluation)
    evaluation = _evaluation(school, evaluation_id)
    form = PreparationForm()
    if form.validate_on_submit():
        try:
            services.save_preparation(evaluation, form.data)
        except GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("De voorbereiding is bewaard."), "success")
            return redirect(url_for("governance_funds.evaluation", school_id=school.id, evaluation_id=evaluation.id))
    return _evaluation_page(school, evaluation, prep_form=form, failed=True)


@bp.route("/scholen/<int:school_id>/evaluatie/<int:evaluation_id>/beslissing", methods=["POST"])
def decide(school_id: int, evaluation_id: int):
    school = _school(school_id, can_sign_evaluation)
    evaluation = _evaluation(school, evaluation_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(evaluation, current_user, decision=form.decision.data, adjustment=form.adjustment.data,
                            next_on=form.next_on.data, password=form.password.data, address=request.remote_addr)
        except GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("De beslissing is vastgelegd en door jou ondertekend; de andere partij tekent nog."), "success")
            return redirect(url_for("governance_funds.evaluation", school_id=school.id, evaluation_id=evaluation.id))
    return _evaluation_page(school, evaluation, decision_form=form, failed=True)


@bp.route("/scholen/<int:school_id>/evaluatie/<int:evaluation_id>/ondertekenen", methods=["POST"])
def sign(school_id: int, evaluation_id: int):
    school = _school(school_id, can_sign_evaluation)
    evaluation = _evaluation(school, evaluation_id)
    form = SignForm()
    if form.validate_on_submit():
        try:
            services.sign(evaluation, current_user, password=form.password.data, fingerprint=form.fingerprint.data,
                          address=request.remote_addr)
        except GovernanceError as exc:
            field_error(form, exc)
        else:
            flash(_("Je hebt de beslissing ondertekend."), "success")
            return redirect(url_for("governance_funds.evaluation", school_id=school.id, evaluation_id=evaluation.id))
    return _evaluation_page(school, evaluation, sign_form=form, failed=True)


# --- programme-wide ------------------------------------------------------------------------------


def _overview(form=None, failed=False):
    rows = figures.programme_rows()
    form = form or ReallocationForm(formdata=None)
    _fill_reallocation(form, rows)
    return uow.form_page("governance/support.html", form, failed=failed, rows=rows, labels=figures.support_labels(),
                         trail=figures.audit_trail(50), actions=AUDIT_ACTIONS)


def _fill_reallocation(form, rows) -> None:
    form.from_school_id.choices = [(0, _("Kies een school"))] + [
        (r["school"].id, f'{r["school"].name} (€ {r["freed"]:.2f})') for r in rows if r["freed"] > 0]
    form.to_school_id.choices = [(0, _("Kies een school"))] + [
        (r["school"].id, r["school"].name) for r in rows if not r["ended"]]


@bp.route("/overleg/ondersteuning")
@require(can_view_support_overview)
def support():
    return _overview()


@bp.route("/overleg/ondersteuning/herverdelen", methods=["POST"])
@require(can_reallocate_funds)
def reallocate():
    form = ReallocationForm()
    _fill_reallocation(form, figures.programme_rows())
    if form.validate_on_submit():
        amount = _amount(form.amount.data, form, "amount")
        source, target = db.session.get(School, form.from_school_id.data), db.session.get(School, form.to_school_id.data)
        if source is None or target is None:
            form.from_school_id.errors = [_("Kies beide scholen.")]
        elif amount is not None:
            try:
                services.reallocate(source, target, amount, form.reason.data, current_user)
            except GovernanceError as exc:
                field_error(form, exc)
            else:
                flash(_("De vrijgekomen middelen zijn toegewezen; de reden staat in het logboek."), "success")
                return redirect(url_for("governance_funds.support"))
    return _overview(form, failed=True)
