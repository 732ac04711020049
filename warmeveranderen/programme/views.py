"""The coordinator's screens for the programme's structure and people; a school's people page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import memo, pagecache, uow
from warmeveranderen.accounts import services as accounts
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL, FORUM, SCHOOL_ROLES
from warmeveranderen.extensions import db
from warmeveranderen.permissions import (
    authorize,
    can_accept_invitation,
    can_invite,
    can_manage_invitation,
    can_manage_programme,
    can_manage_school_people,
    can_view_network,
    can_view_people,
    can_view_programme,
    require,
)
from warmeveranderen.programme import cleanup, services
from warmeveranderen.programme.forms import AcceptForm, AssignmentForm, InviteForm, NameForm, SchoolForm
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, Membership, School, WarmCity
from warmeveranderen.programme.people import accept_role as accept_school_role
from warmeveranderen.programme.people import invite, revoke_invitation

bp = Blueprint("programme", __name__)

SCHOOL_ROLE_ORDER = [DIRECTOR, BOARD, FLYWHEEL, FORUM]


@bp.route("/programma")
@require(can_view_programme)
def overview():
    number = request.args.get("pagina", 1, type=int)
    # Kept per viewer (an adviser's links follow their schools) and the versions of all schools.
    return pagecache.page("programme-overview", pagecache.programme_wide(), "programme/overview.html",
                          lambda: {"page": services.schools_page(number), "counts": services.programme_counts()},
                          viewer=pagecache.personal(current_user))


# --- warm cities and learning networks ----------------------------------------------------------


@bp.route("/programma/steden", methods=["GET", "POST"])
@require(can_manage_programme)
def cities():
    form = NameForm()
    if form.validate_on_submit():
        try:
            city = services.save_city(form.name.data)
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Warme stad %(name)s toegevoegd.", name=city.name), "success")
            return redirect(url_for("programme.cities"))
    page = services.with_school_counts_page(WarmCity, request.args.get("pagina", 1, type=int))
    return uow.form_page("programme/cities.html", form, page=page)


@bp.route("/programma/steden/<int:city_id>", methods=["GET", "POST"])
@require(can_manage_programme)
def edit_city(city_id: int):
    city = db.get_or_404(WarmCity, city_id)
    form = NameForm(obj=city)
    if form.validate_on_submit():
        try:
            cleanup.rename(city, form.name.data, current_user)
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("programme.cities"))
    return uow.form_page("programme/edit_name.html", form, thing=city, kind=_("warme stad"), cleanup_kind="stad",
                         back_url=url_for("programme.cities"))


@bp.route("/programma/steden/<int:city_id>/verwijderen", methods=["POST"])
@require(can_manage_programme)
def delete_city(city_id: int):
    city = db.get_or_404(WarmCity, city_id)
    try:
        cleanup.remove(city, current_user)
    except services.ProgrammeError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("programme.edit_city", city_id=city.id))
    flash(_("Warme stad verwijderd."), "success")
    return redirect(url_for("programme.cities"))


@bp.route("/programma/netwerken", methods=["GET", "POST"])
@require(can_manage_programme)
def networks():
    form = NameForm()
    if form.validate_on_submit():
        try:
            network = services.save_network(form.name.data)
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("%(name)s staat nu bij de lerende netwerken.", name=network.name), "success")
            return redirect(url_for("programme.networks"))
    page = services.with_school_counts_page(LearningNetwork, request.args.get("pagina", 1, type=int))
    return uow.form_page("programme/networks.html", form, page=page)


@bp.route("/programma/netwerken/<int:network_id>/bewerken", methods=["GET", "POST"])
@require(can_manage_programme)
def edit_network(network_id: int):
    network = db.get_or_404(LearningNetwork, network_id)
    form = NameForm(obj=network)
    if form.validate_on_submit():
        try:
            cleanup.rename(network, form.name.data, current_user)
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("programme.networks"))
    return uow.form_page("programme/edit_name.html", form, thing=network, kind=_("lerend netwerk"),
                         cleanup_kind="netwerk", back_url=url_for("programme.networks"))


@bp.route("/programma/netwerken/<int:network_id>/verwijderen", methods=["POST"])
@require(can_manage_programme)
def delete_network(network_id: int):
    network = db.get_or_404(LearningNetwork, network_id)
    try:
        cleanup.remove(network, current_user)
    except services.ProgrammeError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("programme.edit_network", network_id=network.id))
    flash(_("Lerend netwerk verwijderd."), "success")
    return redirect(url_for("programme.networks"))


def network_version_column():
    """The version of the network of the view argument `network_id` (pagecache: its schools' versions)."""
    return pagecache.network_version_column("network_id")


@bp.route("/netwerken/<int:network_id>")
def network(network_id: int):
    # The network's page shows its schools: it is kept by the sum and number of their versions (every
    # change of one of them raises it) and the programmes'. Both and the network come with the person (feature.py).
    network = db.get_or_404(LearningNetwork, network_id)
    version = memo.loaded_with("network_version", current_user.id)
    if version is None:  # the person was loaded before this view's arguments were known
        version = db.session.execute(db.select(network_version_column()), {"network_id": network.id}).scalar()
    authorize(can_view_network(current_user, network))
    pagecache.keep_versions(("network", network.id), version)
    # Per person: which of the schools one may open, and the sections' own rules.
    return pagecache.page("network", network, "programme/network.html", lambda: {"network": network},
                          viewer=pagecache.personal(current_user))


# --- schools --------------------------------------------------------------------------------


def _school_form(school: School | None = None) -> SchoolForm:
    form = SchoolForm(obj=school)
    form.fill_choices(services.cities(), services.networks())
    if request.method == "GET" and school is not None:
        form.network_id.data = school.network_id or 0
    return form


def _school_data(form: SchoolForm) -> dict:
    return {
        "name": form.name.data,
        "city_id": form.city_id.data,
        "network_id": form.network_id.data or None,
        "level": form.level.data,
        "umbrella": form.umbrella.data,
    }


@bp.route("/programma/scholen/nieuw", methods=["GET", "POST"])
@require(can_manage_programme)
def new_school():
    form = _school_form()
    if form.validate_on_submit():
        try:
            school = services.save_school(_school_data(form))
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("School %(name)s toegevoegd. Nodig nu de directie uit.", name=school.name), "success")
            return redirect(url_for("programme.school_people", school_id=school.id))
    return uow.form_page("programme/school_form.html", form, school=None)


@bp.route("/programma/scholen/<int:school_id>/bewerken", methods=["GET", "POST"])
@require(can_manage_programme)
def edit_school(school_id: int):
    school = db.get_or_404(School, school_id)
    form = _school_form(school)
    if form.validate_on_submit():
        try:
            cleanup.rename(school, form.name.data, current_user)
            services.save_school(_school_data(form), school)
        except services.ProgrammeError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("core.school_home", school_id=school.id))
    return uow.form_page("programme/school_form.html", form, school=school)


# --- people -----------------------------------------------------------------------------------


def _invite_from(form: InviteForm, school: School | None):
    return invite(
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        invited_by=current_user,
        school=school,
        is_lead=form.is_lead.data,
        stakeholder_group=form.stakeholder_group.data or None,
    )


@bp.route("/programma/mensen/<int:user_id>/toewijzingen", methods=["GET", "POST"])
@require(can_manage_programme)
def adviser_assignments(user_id: int):
    adviser = db.get_or_404(User, user_id)
    form = AssignmentForm()
    form.fill_choices(db.session.scalars(db.select(School).order_by(School.name)).all(), services.networks())
    if form.validate_on_submit():
        try:
            services.assign_adviser(
                adviser,
                school=db.session.get(School, form.school_id.data) if form.school_id.data else None,
                network=db.session.get(LearningNetwork, form.network_id.data) if form.network_id.data else None,
            )
        except services.ProgrammeError as exc:
            form.school_id.errors.append(str(exc))
        else:
            flash(_("Toegewezen."), "success")
            return redirect(url_for("programme.adviser_assignments", user_id=adviser.id))
    return uow.form_page("programme/assignments.html", form, adviser=adviser)


@bp.route("/programma/toewijzingen/<int:assignment_id>/verwijderen", methods=["POST"])
@require(can_manage_programme)
def remove_assignment(assignment_id: int):
    assignment = db.get_or_404(AdviserAssignment, assignment_id)
    adviser_id = assignment.adviser_id
    services.unassign_adviser(assignment)
    flash(_("Toewijzing verwijderd."), "success")
    return redirect(url_for("programme.adviser_assignments", user_id=adviser_id))


@bp.route("/scholen/<int:school_id>/mensen", methods=["GET", "POST"])
def school_people(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_people(current_user, school))
    invitable = [r for r in SCHOOL_ROLE_ORDER if can_invite(current_user, school, r)]
    form = InviteForm()
    form.fill_choices(invitable)
    if request.method == "POST":
        authorize(bool(invitable))
        if form.validate_on_submit():
            authorize(can_invite(current_user, school, form.role.data))
            try:
                invitation = _invite_from(form, school)
            except accounts.AccountError as exc:
                form.email.errors.append(str(exc))
            else:
                flash(_("Uitnodiging verstuurd naar %(email)s.", email=invitation.email), "success")
                return redirect(url_for("programme.school_people", school_id=school.id))
        return uow.form_page("programme/school_people.html", failed=bool(form.errors),
                             **_school_people_context(school, form if invitable else None))
    pagecache.versions(school.id)
    return pagecache.page("people", school, "programme/school_people.html",
                          lambda: _school_people_context(school, form if invitable else None),
                          viewer=pagecache.roles_of(current_user, school))


def _school_people_context(school, form) -> dict:
    return dict(form=form, school=school, people=services.school_people(school),
                advisers=services.school_advisers(school),
                invitations=services.open_invitations(school) if can_manage_school_people(current_user, school) else [])


def _membership_of(school_id: int, membership_id: int) -> Membership:
    membership = db.get_or_404(Membership, membership_id)
    if membership.school_id != school_id:
        abort(404)
    authorize(can_manage_school_people(current_user, membership.school))
    return membership


@bp.route("/scholen/<int:school_id>/mensen/<int:membership_id>/verwijderen", methods=["POST"])
def remove_membership(school_id: int, membership_id: int):
    membership = _membership_of(school_id, membership_id)
    try:
        services.remove_membership(membership)
    except services.ProgrammeError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Rol verwijderd."), "success")
    return redirect(url_for("programme.school_people", school_id=school_id))


@bp.route("/scholen/<int:school_id>/mensen/<int:membership_id>/trekker", methods=["POST"])
def toggle_lead(school_id: int, membership_id: int):
    membership = _membership_of(school_id, membership_id)
    # The button says what it does ("lead" = 1 or 0), so a double submit does not flip it back.
    is_lead = request.form.get("lead") == "1"
    try:
        services.set_lead(membership, is_lead)
    except services.ProgrammeError as exc:
        flash(str(exc), "danger")
    else:
        if is_lead:
            flash(_("%(name)s is nu de trekker van het vliegwiel.", name=membership.user.name), "success")
        else:
            flash(_("%(name)s is geen trekker meer.", name=membership.user.name), "success")
    return redirect(url_for("programme.school_people", school_id=school_id))


@bp.route("/uitnodiging/<token>/aanvaarden", methods=["GET", "POST"])
def accept_role(token: str):
    """Someone with an account accepts a role in a school they were invited to."""
    try:
        invitation = accounts.invitation_for_token(token)
    except accounts.AccountError as exc:
        return render_template("accounts/invitation_invalid.html", message=str(exc)), 410
    authorize(can_accept_invitation(current_user, invitation))
    form = AcceptForm()
    if form.validate_on_submit():
        accept_school_role(invitation, current_user)
        flash(_("Je bent nu %(role)s in %(school)s.", role=str(SCHOOL_ROLES[invitation.role]).lower(),
                school=invitation.school.name), "success")
        return redirect(url_for("core.school_home", school_id=invitation.school_id))
    return uow.form_page("programme/accept_role.html", form, invitation=invitation,
                         role_label=SCHOOL_ROLES[invitation.role])


# --- open invitations ------------------------------------------------------------------------------


def _invitation(invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    authorize(can_manage_invitation(current_user, invitation))
    return invitation


def _people_page(invitation: Invitation) -> str:
    if invitation.school_id is None:
        return url_for("programme.people")
    return url_for("programme.school_people", school_id=invitation.school_id)


@bp.route("/uitnodigingen/<int:invitation_id>/opnieuw", methods=["POST"])
def resend_invitation(invitation_id: int):
    invitation = _invitation(invitation_id)
    try:
        accounts.resend_invitation(invitation, current_user)
    except accounts.AccountError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Uitnodiging opnieuw verstuurd naar %(email)s.", email=invitation.email), "success")
    return redirect(_people_page(invitation))


@bp.route("/uitnodigingen/<int:invitation_id>/intrekken", methods=["POST"])
def revoke_invitation_view(invitation_id: int):
    invitation = _invitation(invitation_id)
    try:
        revoke_invitation(invitation)
    except accounts.AccountError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Uitnodiging voor %(email)s ingetrokken.", email=invitation.email), "success")
    return redirect(_people_page(invitation))
