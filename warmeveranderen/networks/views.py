"""The platform's home and the questions between schools."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.domain import BUILDING_BLOCKS
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.networks import queries, services
from warmeveranderen.networks.forms import PROGRAMME_SCOPE, AnswerForm, HelpfulForm, QuestionForm, scope_choices
from warmeveranderen.networks.models import NetworkAnswer
from warmeveranderen.networks.permissions import (
    can_answer_question,
    can_contribute,
    can_contribute_to,
    can_mark_helpful,
    can_use_platform,
    can_view_shared,
    in_network,
)
from warmeveranderen.networks.vocabulary import QUESTION_STATES
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme.models import LearningNetwork
from warmeveranderen.programme.services import current_programme, existing_programme

bp = Blueprint("questions", __name__, url_prefix="/netwerk")

HOME_ITEMS = 5


def contributable_networks(user) -> list[LearningNetwork]:
    return [n for n in queries.networks_for(user, queries.visible_network_ids(user))
            if can_contribute_to(user, n)]


def chosen_network(scope: str) -> LearningNetwork | None:
    """The network a scope field names (None: the programme); 403 when the person may not post there."""
    network = None if scope == PROGRAMME_SCOPE else db.get_or_404(LearningNetwork, int(scope))
    authorize(can_contribute_to(current_user, network))
    return network


def filters() -> dict:
    """The list filters from the address: text, network (or programme), building block."""
    args = request.args
    scope = args.get("netwerk") or None
    network_id = int(scope) if scope and scope.isdigit() else None
    block = args.get("bouwsteen") if args.get("bouwsteen") in BUILDING_BLOCKS else None
    return {"text": (args.get("q") or "").strip()[:200] or None, "network_id": network_id,
            "scope": "programme" if scope == PROGRAMME_SCOPE else None, "block": block}


@bp.route("")
@require(can_use_platform)
def home():
    networks = queries.networks_for(current_user, queries.visible_network_ids(current_user))
    return render_template("networks/home.html", networks=networks,
                           questions=queries.questions(current_user, limit=HOME_ITEMS),
                           items=queries.library(current_user, limit=HOME_ITEMS))


@bp.route("/vragen")
@require(can_use_platform)
def index():
    chosen = filters()
    state = request.args.get("status") if request.args.get("status") in QUESTION_STATES else None
    return render_template("networks/questions.html", chosen=chosen, state=state,
                           networks=queries.networks_for(current_user, queries.visible_network_ids(current_user)),
                           questions=queries.questions(current_user, state=state, **chosen))


@bp.route("/vragen/nieuw", methods=["GET", "POST"])
@require(can_contribute)
def new():
    form = QuestionForm()
    form.scope.choices = scope_choices(contributable_networks(current_user))
    if request.method == "GET" and request.args.get("netwerk"):
        form.scope.data = request.args["netwerk"]
    if form.validate_on_submit():
        network = chosen_network(form.scope.data)
        try:
            question = services.ask_question(current_user, current_programme().id, network, form.title.data,
                                             form.body.data, form.building_block.data)
        except services.NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Je vraag staat online. Wie kan helpen, krijgt een melding."), "success")
            return redirect(url_for("questions.detail", question_id=question.id))
    return uow.form_page("networks/question_new.html", form)


def _question(question_id: int):
    question = queries.load_question(question_id)
    if question is None or question.programme_id != (existing_programme() or abort(404)).id:
        abort(404)
    authorize(can_view_shared(current_user, question))
    return question


def _detail_page(question, form=None, failed=False):
    return uow.form_page("networks/question.html", form or AnswerForm(formdata=None), failed=failed,
                         question=question, helpful_form=HelpfulForm(),
                         in_network=question.network is None or in_network(current_user, question.network))


@bp.route("/vragen/<int:question_id>")
def detail(question_id: int):
    return _detail_page(_question(question_id))


@bp.route("/vragen/<int:question_id>/antwoorden", methods=["POST"])
def answer(question_id: int):
    question = _question(question_id)
    authorize(can_answer_question(current_user, question))
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            given = services.answer_question(question, current_user, form.body.data)
        except services.NetworkError as exc:
            field_error(form, exc)
        else:
            flash(_("Bedankt voor je antwoord."), "success")
            return redirect(url_for("questions.detail", question_id=question.id, _anchor=f"antwoord-{given.id}"))
    return _detail_page(question, form, failed=True)


@bp.route("/vragen/<int:question_id>/antwoorden/<int:answer_id>/nuttig", methods=["POST"])
def helpful(question_id: int, answer_id: int):
    question = _question(question_id)
    authorize(can_mark_helpful(current_user, question))
    answer = db.get_or_404(NetworkAnswer, answer_id)
    if HelpfulForm().validate_on_submit():
        try:
            services.mark_helpful(question, answer, current_user)
        except services.NetworkError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Gemarkeerd als het nuttigste antwoord."), "success")
    return redirect(url_for("questions.detail", question_id=question.id, _anchor=f"antwoord-{answer.id}"))
