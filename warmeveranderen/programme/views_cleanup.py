"""Correcting the structure (coordinator): merge or remove a warm city, learning network or school created
by mistake, each with a confirmation step; the audit log of every correction. Renaming is the edit page's."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.permissions import can_manage_programme, require
from warmeveranderen.programme import cleanup
from warmeveranderen.programme.forms import ConfirmForm, MergeForm, SchoolMergeForm
from warmeveranderen.programme.services import ProgrammeError
from warmeveranderen.programme.views import bp

LISTS = {"stad": "programme.cities", "netwerk": "programme.networks", "school": "programme.overview"}


def _thing(kind: str, thing_id: int):
    if kind not in cleanup.KINDS:
        abort(404)
    return db.get_or_404(cleanup.KINDS[kind], thing_id)


@bp.route("/programma/opschonen/<what>/<int:thing_id>/samenvoegen", methods=["GET", "POST"])
@require(can_manage_programme)
def merge(what: str, thing_id: int):
    thing = _thing(what, thing_id)
    if what == "school":
        form = SchoolMergeForm()
    else:
        form = MergeForm()
        model = cleanup.KINDS[what]
        form.fill_choices(db.session.scalars(db.select(model).order_by(model.name)).all(), thing.id)
    target = None
    if form.validate_on_submit():
        target = form.school if what == "school" else db.session.get(cleanup.KINDS[what], form.target.data)
        if target is None or target.id == thing.id:
            form.target.errors.append(_("Kies waarmee je %(name)s samenvoegt (niet met zichzelf).", name=thing.name))
            target = None
        elif form.confirmed.data == "1":
            name = thing.name
            try:
                moved = cleanup.merge(thing, target, current_user)
            except ProgrammeError as exc:
                form.target.errors.append(str(exc))
            else:
                flash(_("%(old)s is samengevoegd met %(new)s.", old=name, new=target.name)
                      + (" " + _("Verhuisd: %(what)s.", what=cleanup._summary(moved)) if moved else ""), "success")
                return redirect(url_for(LISTS[what]))
    hanging = cleanup.hanging_on(thing)
    return uow.form_page("programme/merge.html", form, failed=bool(form.errors), thing=thing, kind=what,
                         target=target if not form.errors else None, hanging=hanging)


@bp.route("/programma/opschonen/<what>/<int:thing_id>/verwijderen", methods=["GET", "POST"])
@require(can_manage_programme)
def remove(what: str, thing_id: int):
    thing = _thing(what, thing_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = thing.name
        try:
            cleanup.remove(thing, current_user)
        except ProgrammeError as exc:
            form.submit.errors = [str(exc)]
        else:
            flash(_("%(name)s is verwijderd.", name=name), "success")
            return redirect(url_for(LISTS[what]))
    return uow.form_page("programme/remove.html", form, failed=bool(form.submit.errors), thing=thing, kind=what,
                         hanging=cleanup.hanging_on(thing))


@bp.route("/programma/logboek")
@require(can_manage_programme)
def audit_log():
    return render_template("programme/audit_log.html", entries=cleanup.audit_log(),
                           kinds=cleanup.KIND_LABELS, actions=cleanup.ACTION_LABELS)

