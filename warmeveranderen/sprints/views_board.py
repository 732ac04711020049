"""The board of a sprint (filters, swimlanes, dragging cards) and the school's labels.

These pages are on the sprints blueprint (views.bp). Moving a card to another column is `move_card` in
views_backlog.py, for the form and for the script alike; the order within a column is `reorder_cards`.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.domain import BUILDING_BLOCKS
from warmeveranderen.extensions import db
from warmeveranderen.permissions import authorize
from warmeveranderen.programme.models import School
from warmeveranderen.sprints import labels as label_services
from warmeveranderen.sprints import queries, services
from warmeveranderen.sprints.forms import LabelForm
from warmeveranderen.sprints.models import Label, Sprint
from warmeveranderen.sprints.permissions import can_edit_sprints, can_view_sprints
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.sprints.views import bp


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _filters(school: School, cards) -> dict:
    """The board's filters as asked in the address (unknown values are ignored) and their choices."""
    owners = sorted({c.owner for c in cards if c.owner is not None}, key=lambda u: (u.name.casefold(), u.id))
    labels = services.labels_of(school)
    owner = request.args.get("eigenaar", type=int)
    block = request.args.get("bouwsteen", "")
    label = request.args.get("label", type=int)
    return {
        "owner": owner if owner in {u.id for u in owners} else None,
        "block": block if block in BUILDING_BLOCKS else None,
        "label": label if label in {lab.id for lab in labels} else None,
        "lanes": request.args.get("banen") == "bouwsteen",
        "owners": owners,
        "labels": labels,
    }


def _shown(card, f: dict) -> bool:
    return ((f["owner"] is None or card.owner_id == f["owner"])
            and (f["block"] is None or f["block"] in card.blocks)
            and (f["label"] is None or any(lab.id == f["label"] for lab in card.labels)))


@bp.route("/sprints/<int:sprint_id>/bord")
def board(sprint_id: int):
    sprint = db.get_or_404(Sprint, sprint_id)
    school = sprint.school
    authorize(can_view_sprints(current_user, school))
    pagecache.versions(school.id)
    # Per person: the moves one may make and the "mine" filter are the person's own.
    return pagecache.page("board", school, "sprints/board.html", lambda: _board(sprint, school),
                          viewer=pagecache.personal(current_user))


def _board(sprint, school) -> dict:
    columns = queries.board(sprint)
    cards = [i for column in columns.values() for i in column]
    f = _filters(school, cards)
    columns = {status: [c for c in column if _shown(c, f)] for status, column in columns.items()}
    shown = [i for column in columns.values() for i in column]
    # Swimlanes: one row per building block (the card's first) that has cards, each with every column; the
    # page names the blocks this sprint leaves out (the flywheel works integrally: all five blocks).
    lanes, empty_lanes = [(None, columns)], []
    if f["lanes"]:
        lanes = [(block, {status: [c for c in column if c.building_block == block] for status, column in columns.items()})
                 for block in BUILDING_BLOCKS if any(c.building_block == block for c in shown)]
        empty_lanes = [b for b in BUILDING_BLOCKS if f["block"] in (None, b) and b not in dict(lanes)]
    editable = can_edit_sprints(current_user, school) and not sprint.is_closed
    allowed = {i.id: services.allowed_moves(i, current_user) for i in shown} if editable else {}
    return dict(sprint=sprint, school=school, columns=columns, lanes=lanes, empty_lanes=empty_lanes,
                filters=f, hidden=len(cards) - len(shown), moves=queries.last_moves([i.id for i in shown]),
                transitions=services.TRANSITIONS, allowed=allowed, editable=editable)


@bp.route("/scholen/<int:school_id>/bord")
def current_board(school_id: int):
    """The board of the sprint that runs today."""
    school = db.get_or_404(School, school_id)
    authorize(can_view_sprints(current_user, school))
    current = queries.current_sprint(school)
    if current is None:
        flash(_("Er loopt nog geen sprint. Stel eerst de sprintkalender in."), "info")
        return redirect(url_for("sprints.index", school_id=school.id))
    return redirect(url_for("sprints.board", sprint_id=current.id, **request.args))


@bp.route("/sprints/<int:sprint_id>/bord/volgorde", methods=["POST"])
def reorder_cards(sprint_id: int):
    """The order of the cards in one column after a drag (JSON for the script, a redirect for a form)."""
    sprint = db.get_or_404(Sprint, sprint_id)
    authorize(can_edit_sprints(current_user, sprint.school))
    try:
        ids = [int(i) for i in request.form.getlist("ids")]
        services.reorder_cards(sprint, ids, current_user)
    except (ValueError, SprintError) as exc:
        uow.refuse()
        message = str(exc) if isinstance(exc, SprintError) else _("Ongeldige volgorde.")
        if wants_json():  # a refusal is an answer for the script, which shows it; nothing was changed
            return jsonify(ok=False, message=message)
        flash(message, "danger")
    else:
        if wants_json():
            return jsonify(ok=True, message=_("De volgorde is opgeslagen."))
        flash(_("De volgorde is opgeslagen."), "success")
    return redirect(url_for("sprints.board", sprint_id=sprint.id))


# --- the school's labels -----------------------------------------------------------------------------


def _labels_page(school: School, form: LabelForm | None = None, failed: bool = False):
    return uow.form_page("sprints/labels.html", form or LabelForm(), failed=failed, school=school,
                         labels=services.labels_of(school), usage=label_services.usage(school),
                         colours=LabelForm().colour.choices)


@bp.route("/scholen/<int:school_id>/labels", methods=["GET", "POST"])
def labels(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_sprints(current_user, school))
    form = LabelForm()
    if form.validate_on_submit():
        try:
            label = label_services.add_label(school, form.name.data, form.colour.data)
        except SprintError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Label “%(n)s” toegevoegd.", n=label.name), "success")
            return redirect(url_for("sprints.labels", school_id=school.id))
    return _labels_page(school, form, failed=request.method == "POST")


@bp.route("/labels/<int:label_id>", methods=["POST"])
def edit_label(label_id: int):
    label = db.get_or_404(Label, label_id)
    school = label.school
    authorize(can_edit_sprints(current_user, school))
    try:
        label_services.rename_label(label, request.form.get("name", ""), request.form.get("colour", ""))
    except SprintError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Label “%(n)s” opgeslagen.", n=label.name), "success")
    return redirect(url_for("sprints.labels", school_id=school.id, _anchor=f"label-{label.id}"))


@bp.route("/labels/<int:label_id>/verwijderen", methods=["POST"])
def remove_label(label_id: int):
    label = db.get_or_404(Label, label_id)
    school = label.school
    authorize(can_edit_sprints(current_user, school))
    name = label.name
    label_services.remove_label(label)
    flash(_("Label “%(n)s” verwijderd; de initiatieven die het droegen, hebben het niet meer.", n=name), "success")
    return redirect(url_for("sprints.labels", school_id=school.id))
