"""The intake agreement's pages: terms, overview, the agreement, drafting, signing, ending, printing."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.extensions import db
from warmeveranderen.intake import queries, services
from warmeveranderen.intake import terms as programme_terms
from warmeveranderen.intake.forms import DraftForm, EndForm, ShareForm, SignForm, TermsForm
from warmeveranderen.intake.models import ACTIVE, AUDIT_ACTIONS, DRAFT, READY, SIGNATORY_ROLES, VERSION_STATES
from warmeveranderen.intake.permissions import (
    can_edit_intake,
    can_end_intake,
    can_manage_terms,
    can_mark_intake_ready,
    can_open_intake,
    can_read_agreement,
    can_read_intake_audit,
    can_see_agreement_summary,
    can_share_intake,
    can_sign_intake,
    can_view_intake_overview,
)
from warmeveranderen.permissions import authorize, require
from warmeveranderen.programme import services as programme
from warmeveranderen.programme.filters import filter_options
from warmeveranderen.programme.models import School

bp = Blueprint("intake", __name__)


@bp.context_processor
def _vocabularies() -> dict:
    return {"SIGNATORY_ROLES": SIGNATORY_ROLES, "AUDIT_ACTIONS": AUDIT_ACTIONS, "states": VERSION_STATES}


def _back(school: School):
    return redirect(url_for("intake.agreement", school_id=school.id))


# --- programme-wide ----------------------------------------------------------------------------


@bp.route("/programma/voorwaarden", methods=["GET", "POST"])
@require(can_manage_terms)
def terms():
    current = programme_terms.current_terms()
    form = TermsForm(obj=current)
    if form.validate_on_submit():
        programme_terms.save_terms({name: getattr(form, name).data for name in programme_terms.DEFAULT_TERMS}, current_user)
        flash(_("De programmavoorwaarden zijn opgeslagen. Nieuwe overeenkomsten nemen ze over."), "success")
        return redirect(url_for("intake.terms"))
    return uow.form_page("intake/terms.html", form, current=current, history=programme_terms.terms_history())


OVERVIEW_PER_PAGE = 100


@bp.route("/programma/intake")
@require(can_view_intake_overview)
def overview():
    # Kept per viewer and the versions of all schools; the filters are in the address (the key).
    return pagecache.page("intake-overview", pagecache.programme_wide(), "intake/overview.html", _overview_page,
                          viewer=pagecache.personal(current_user))


def _overview_page() -> dict:
    city_id = request.args.get("stad", type=int)
    network_id = request.args.get("netwerk", type=int)
    state = request.args.get("status") or None
    # The counts cover every school (one aggregate); the table shows one page of them (one query).
    counts = queries.overview_counts(city_id=city_id, network_id=network_id)
    total = counts.get(state, 0) if state else sum(counts.values())
    page = programme.Page(items=[], number=1, per_page=OVERVIEW_PER_PAGE, total=total)
    page.number = min(max(1, request.args.get("pagina", 1, type=int)), page.pages)
    page.items = queries.overview(city_id=city_id, network_id=network_id, state=state,
                                  limit=page.per_page, offset=(page.number - 1) * page.per_page)
    # The programme page's filter choices (cached; with many networks only the chosen city's).
    options = filter_options(current_user, city_id, network_id)
    return {"page": page, "counts": counts, "options": options, "city_id": city_id, "network_id": network_id,
            "state": state}


# --- one school's agreement ----------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/intake")
def agreement(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_see_agreement_summary(current_user, school))
    pagecache.versions(school.id)
    # Per person: whether they may still sign.
    return pagecache.page("intake", school, "intake/agreement.html", lambda: _agreement_page(school),
                          viewer=pagecache.personal(current_user))


def _agreement_page(school) -> dict:
    agreement = queries.agreement_for(school)
    full = can_read_agreement(current_user, school, agreement)
    version = None
    if agreement is not None:
        number = request.args.get("versie", type=int) if full else None
        version = agreement.version(number) if number else agreement.current
    return dict(school=school, agreement=agreement, version=version, full=full,
                may_sign=queries.may_still_sign(agreement.pending if agreement else None, current_user),
                share_form=ShareForm(shared=agreement.shared_with_school if agreement else False),
                states=VERSION_STATES)


@bp.route("/scholen/<int:school_id>/intake/openen", methods=["POST"])
def open_intake(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_open_intake(current_user, school))
    try:
        services.open_intake(school, current_user)
    except services.IntakeError as exc:
        flash(str(exc), "warning")
        return _back(school)
    flash(_("De intake is geopend. Vul het concept samen met de directie aan."), "success")
    return redirect(url_for("intake.edit", school_id=school.id))


@bp.route("/scholen/<int:school_id>/intake/concept", methods=["GET", "POST"])
def edit(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_intake(current_user, school))
    agreement = queries.agreement_for(school)
    version = agreement.pending if agreement else None
    if version is None or version.state != DRAFT:
        flash(_("Er is geen concept om te bewerken."), "warning")
        return _back(school)
    form = DraftForm()
    form.fill(version, queries.signatory_choices(school))
    wants_ready = "ready" in request.form
    if wants_ready:
        authorize(can_mark_intake_ready(current_user, school))
    if form.is_submitted():
        # The fields and the rules between them are checked together, so one submit shows every
        # problem at once (a bad date and a duplicate evaluation moment, say), not one batch a time.
        fields_valid = form.validate()
        content = form.content()
        errors = queries.validate_content(content, school)
        for name, message in errors.items():
            field_errors = getattr(form, name).errors
            if message not in field_errors:
                field_errors.append(message)
        if fields_valid and not errors:
            try:
                services.save_draft(version, content, current_user)
                if wants_ready:
                    services.mark_ready(version, current_user)
            except services.IntakeError as exc:
                form.form_errors.append(str(exc))
            else:
                if not wants_ready:
                    flash(_("Het concept is bewaard."), "success")
                    return redirect(url_for("intake.edit", school_id=school.id))
                flash(_("De overeenkomst ligt klaar om te ondertekenen. De ondertekenaars kregen een melding."), "success")
                return _back(school)
    return uow.form_page("intake/edit.html", form, school=school, agreement=agreement, version=version,
                 missing=queries.missing_for_ready(version))


@bp.route("/scholen/<int:school_id>/intake/terugtrekken", methods=["POST"])
def withdraw(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_intake(current_user, school))
    agreement = queries.agreement_for(school)
    try:
        services.withdraw(agreement.pending if agreement else None, current_user)
    except services.IntakeError as exc:
        flash(str(exc), "warning")
        return _back(school)
    flash(_("De versie is teruggetrokken uit ondertekening; een nieuw concept neemt de tekst over."), "success")
    return redirect(url_for("intake.edit", school_id=school.id))


@bp.route("/scholen/<int:school_id>/intake/schrappen", methods=["POST"])
def discard(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_intake(current_user, school))
    agreement = queries.agreement_for(school)
    try:
        services.discard(agreement.pending if agreement else None, current_user)
    except services.IntakeError as exc:
        flash(str(exc), "warning")
    else:
        flash(_("Het concept is geschrapt."), "success")
    return _back(school)


@bp.route("/scholen/<int:school_id>/intake/ondertekenen", methods=["GET", "POST"])
def sign(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_sign_intake(current_user, school))
    agreement = queries.agreement_for(school)
    version = agreement.pending if agreement else None
    if version is None or version.state != READY:
        flash(_("Er ligt geen versie van de intakeovereenkomst klaar om te ondertekenen."), "warning")
        return _back(school)
    form = SignForm()
    if form.validate_on_submit():
        try:
            services.sign(agreement, current_user, form.password.data, form.fingerprint.data,
                          address=request.remote_addr or "unknown")
        except services.IntakeError as exc:
            (form.password.errors if exc.field == "password" else form.form_errors).append(str(exc))
        else:
            flash(_("Je hebt versie %(number)s ondertekend.", number=version.number), "success")
            return _back(school)
    if not form.is_submitted() or form.form_errors:
        # Show (again) the text that lies for signature now, with its fingerprint.
        form.fingerprint.data = version.fingerprint
    return uow.form_page("intake/sign.html", form, school=school, agreement=agreement, version=version,
                 may_sign=queries.may_still_sign(version, current_user), states=VERSION_STATES)


@bp.route("/scholen/<int:school_id>/intake/wijzigen", methods=["POST"])
def amend(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_intake(current_user, school))
    agreement = queries.agreement_for(school)
    if agreement is None:
        flash(_("Deze school heeft nog geen intakeovereenkomst."), "warning")
        return _back(school)
    try:
        services.start_amendment(agreement, current_user)
    except services.IntakeError as exc:
        flash(str(exc), "warning")
        return _back(school)
    flash(_("Een wijziging is gestart. De versie van kracht blijft gelden tot iedereen de wijziging ondertekende."),
          "success")
    return redirect(url_for("intake.edit", school_id=school.id))


@bp.route("/scholen/<int:school_id>/intake/beeindigen", methods=["GET", "POST"])
def end(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_end_intake(current_user, school))
    agreement = queries.agreement_for(school)
    if agreement is None or agreement.state != ACTIVE:
        flash(_("Alleen een overeenkomst die van kracht is kan beëindigd worden."), "warning")
        return _back(school)
    form = EndForm()
    if form.validate_on_submit():
        try:
            services.end_agreement(agreement, current_user, form.ended_on.data, form.reason.data)
        except services.IntakeError as exc:
            (getattr(form, exc.field).errors if exc.field else form.form_errors).append(str(exc))
        else:
            flash(_("De overeenkomst is beëindigd. Alle gegevens blijven leesbaar."), "success")
            return _back(school)
    return uow.form_page("intake/end.html", form, school=school, agreement=agreement, version=agreement.effective)


@bp.route("/scholen/<int:school_id>/intake/delen", methods=["POST"])
def share(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_share_intake(current_user, school))
    agreement = queries.agreement_for(school)
    if agreement is None:
        flash(_("Deze school heeft nog geen intakeovereenkomst."), "warning")
        return _back(school)
    form = ShareForm()
    if form.validate_on_submit():
        services.set_shared(agreement, bool(form.shared.data), current_user)
        flash(_("Het vliegwiel en het forum lezen nu de volledige overeenkomst.") if form.shared.data
              else _("Het vliegwiel en het forum zien nu alleen de status en de strategische intentie."), "success")
    return _back(school)


@bp.route("/scholen/<int:school_id>/intake/afdrukken")
def print_agreement(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_see_agreement_summary(current_user, school))
    agreement = queries.agreement_for(school)
    authorize(can_read_agreement(current_user, school, agreement))
    if agreement is None or not agreement.versions:
        flash(_("Deze school heeft nog geen intakeovereenkomst."), "warning")
        return _back(school)
    number = request.args.get("versie", type=int)
    version = (agreement.version(number) if number else None) or agreement.current or agreement.versions[-1]
    return render_template(
        "intake/print.html", school=school, agreement=agreement, version=version, states=VERSION_STATES,
        intact=queries.fingerprint_intact(version) if version.fingerprint else None,
    )


@bp.route("/scholen/<int:school_id>/intake/geschiedenis")
def history(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_intake_audit(current_user, school))
    agreement = queries.agreement_for(school)
    events = queries.audit_trail(agreement) if agreement else []
    return render_template("intake/history.html", school=school, agreement=agreement, events=events)
