"""The coordinator's people page with its searches: people across the programme (name, email address,
school) and a school to invite someone into. Both work as plain GET forms; static/js/school-search.js
adds suggestions while typing (a <datalist> filled from `school_suggestions`)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.accounts import services as accounts
from warmeveranderen.domain import ADVISER, COORDINATOR
from warmeveranderen.extensions import db
from warmeveranderen.permissions import can_manage_programme, require
from warmeveranderen.programme import services
from warmeveranderen.programme.forms import InviteForm
from warmeveranderen.programme.models import School
from warmeveranderen.programme.views import SCHOOL_ROLE_ORDER, _invite_from, bp

MAX_SEARCH = 200


def _typed(name: str) -> str:
    return " ".join(request.args.get(name, "").split())[:MAX_SEARCH]


@bp.route("/programma/mensen", methods=["GET", "POST"])
@require(can_manage_programme)
def people():
    form = InviteForm()
    form.fill_choices([COORDINATOR, ADVISER, *SCHOOL_ROLE_ORDER], with_school=True)
    if form.validate_on_submit():
        school = form.school
        if form.role.data in (COORDINATOR, ADVISER):
            school = None
        try:
            invitation = _invite_from(form, school)
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Uitnodiging verstuurd naar %(email)s.", email=invitation.email), "success")
            return redirect(url_for("programme.people"))
    chosen = request.args.get("school", type=int)
    if request.method == "GET" and chosen and (school := db.session.get(School, chosen)) is not None:
        form.school_id.data = school.name  # picked from the school search: the invite form starts with it
    search, school_search = _typed("zoek"), _typed("school_zoek")
    # The empty invite form is the same for everyone (but the school picked from the search): rendered
    # once per language and school, not on every look at the list.
    invite = None
    if request.method == "GET":
        invite = pagecache.unchanging("people:invite-form", form.school_id.data or "",
                                      lambda: render_template("programme/_invite_form.html", form=form))
    def context() -> dict:
        return {"invite_form": invite, "page": services.people(request.args.get("pagina", 1, type=int), search=search),
                "invitations": services.open_invitations(), "search": search, "school_search": school_search,
                "school_results": services.search_schools(school_search) if school_search else None}

    if request.method == "GET":
        # Kept per person (no "remove" link beside oneself) and the versions of all schools; the
        # address (page, searches, the picked school) is part of the key.
        return pagecache.page("programme-people", pagecache.programme_wide(), "programme/people.html",
                              lambda: {"form": form, **context()}, viewer=pagecache.personal(current_user))
    return uow.form_page("programme/people.html", form, **context())


@bp.route("/programma/scholen/suggesties")
@require(can_manage_programme)
def school_suggestions():
    """Up to 20 school names for the typed text, for the invite form's suggestions (JSON)."""
    schools = services.search_schools(_typed("q")) if len(_typed("q")) >= 2 else []
    return jsonify([{"id": s.id, "name": s.name, "city": s.city.name} for s in schools])


