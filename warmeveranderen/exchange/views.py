"""The coordinator's data exchange page: the structure, people and roles, and intakes as CSV (`;`, UTF-8
with BOM, Dutch headers with a stable machine name, formulas neutralised) or .xlsx, and their imports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.exchange import intakes, people, structure
from warmeveranderen.exchange.permissions import can_exchange_data
from warmeveranderen.permissions import require
from warmeveranderen.tracking import tabular
from warmeveranderen.tracking.forms import UploadForm
from warmeveranderen.tracking.imports import read_csv
from warmeveranderen.tracking.services import TrackingError

bp = Blueprint("exchange", __name__)

# part: (title, module, file name, importer)
PARTS = {
    "structuur": (_l("Structuur: warme steden, lerende netwerken en scholen"), structure, "structuur",
                  lambda rows: structure.import_rows(rows)),
    "mensen": (_l("Mensen en hun rollen"), people, "mensen-en-rollen", lambda rows: people.import_rows(rows)),
    "intakes": (_l("Intakeovereenkomsten"), intakes, "intakes", lambda rows: intakes.import_rows(rows, current_user)),
}


def _part(part: str):
    if part not in PARTS:
        abort(404)
    return PARTS[part]


@bp.route("/programma/gegevens")
@require(can_exchange_data)
def index():
    return render_template("exchange/index.html", parts=PARTS)


@bp.route("/programma/gegevens/<dataset>.<fmt>")
@require(can_exchange_data)
def export(dataset: str, fmt: str):
    _title, module, name, _run = _part(dataset)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    write = tabular.csv_response if fmt == "csv" else tabular.xlsx_response
    return write(module.COLUMNS, module.export_rows(), name)


@bp.route("/programma/gegevens/<dataset>/importeren", methods=["GET", "POST"])
@require(can_exchange_data)
def import_part(dataset: str):
    title, module, _name, run = _part(dataset)
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        try:
            result = run(read_csv(form.file.data.read(), module.REQUIRED))
        except TrackingError as exc:
            form.file.errors.append(str(exc))
        else:
            if result.ok:
                flash(_("Import klaar: %(created)s nieuw, %(changed)s bijgewerkt, %(unchanged)s al zo.",
                        created=result.created, changed=result.changed, unchanged=result.unchanged), "success")
                for note in result.notes:
                    flash(note, "info")
                return redirect(url_for("exchange.import_part", dataset=dataset))
    return uow.form_page("exchange/import.html", form, failed=result is not None or bool(form.errors), part=dataset,
                         title=title, columns=module.COLUMNS, required=module.REQUIRED, result=result)
