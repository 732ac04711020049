"""The home page per role, a school's home and the school switcher."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache
from warmeveranderen.accounts import services as accounts
from warmeveranderen.domain import LOCALES
from warmeveranderen.extensions import db
from warmeveranderen.parts import rendered_sections, steps_for, todos_for
from warmeveranderen.permissions import authorize, can_view_school, public
from warmeveranderen.programme import services as programme
from warmeveranderen.programme.models import School
from warmeveranderen.security import is_safe_next

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """Each role sees what it needs to do next."""
    if current_user.is_coordinator:
        # The programme's counts (every person, city, network, school, open invitation): kept per
        # coordinator and the versions of all schools (warmeveranderen/pagecache.py: programme_wide).
        return pagecache.page("home-coordinator", pagecache.programme_wide(), "core/home.html", _home_context,
                              viewer=pagecache.personal(current_user))
    if not (current_user.is_adviser or current_user.memberships):
        return render_template("core/home.html", **_home_context())
    roles = tuple(sorted((m.school_id, m.role, m.is_lead) for m in current_user.memberships))
    if current_user.is_adviser:
        # An adviser's home spans the schools they coach: kept per person and the versions of all
        # those schools (warmeveranderen/pagecache.py).
        pagecache.person_versions(current_user.id)
        return pagecache.page("home-adviser", ("person", current_user.id), "core/home.html", _home_context,
                              viewer=pagecache.personal(current_user), extra=(roles, session.get("school_id")))
    # A school member's home shows their schools and the next steps in the active one: kept per
    # person and version of that school, and per set of their roles (warmeveranderen/pagecache.py).
    schools = sorted({m.school for m in current_user.memberships}, key=lambda s: (s.name, s.id))
    active = next((s for s in schools if s.id == session.get("school_id")), schools[0])
    pagecache.versions(active.id)
    return pagecache.page("home", active, "core/home.html", _home_context, viewer=pagecache.personal(current_user),
                          extra=roles)


def _home_context() -> dict:
    context = programme.home_overview(current_user)
    schools = context["member_schools"]
    # The steps of the active school only: someone with roles in many schools switches between
    # them, and the page stays as fast for them as for anyone else.
    active = next((s for s in schools if s.id == session.get("school_id")), schools[0] if schools else None)
    steps = {active.id: steps_for(current_user, active)} if active else {}
    # Advisers coach schools they hold no role in: for those, one aggregated to-do list instead of
    # next steps per school (a fixed number of queries, however many schools they coach).
    todos = todos_for(current_user, context["advised_schools"]) if current_user.is_adviser else []
    return dict(steps=steps, active_school=active, todos=todos, **context)


@bp.route("/scholen/<int:school_id>")
def school_home(school_id: int):
    # The login already loaded the person's schools (an adviser's or the coordinator's: one query).
    school = db.get_or_404(School, school_id)
    authorize(can_view_school(current_user, school))
    # The active school for the menu; written only when it changes (a write re-signs the session cookie).
    if session.get("school_id") != school.id and any(m.school_id == school.id for m in current_user.memberships):
        session["school_id"] = school.id
    # Rendered once per version of the school and person (it holds their steps and personal panels),
    # from parts kept per set of roles (the steps and personal panels per person), so a new version
    # renders only what changed: warmeveranderen/pagecache.py. The version is read before any data.
    pagecache.versions(school.id)
    roles = pagecache.roles_of(current_user, school)

    def header() -> str:
        # Its city and network came with the person (accounts/loading.py).
        return render_template("core/_school_home_header.html", school=school)

    def people() -> str:
        return render_template("core/_school_home_people.html", school=school,
                               people=programme.school_people_once(school))

    def steps() -> str:
        return render_template("core/_steps.html", school=school, steps=steps_for(current_user, school))

    def context() -> dict:
        return dict(
            school=school,
            header=pagecache.part("school-home:header", school, header, viewer=roles),
            steps=pagecache.part("school-home:steps", school, steps, viewer=pagecache.personal(current_user)),
            panels=rendered_sections("panel", current_user, school),
            people=pagecache.part("school-home:people", school, people, viewer=roles),
        )

    return pagecache.page("school-home", school, "core/school_home.html", context,
                          viewer=f"{pagecache.personal(current_user)}|{roles}")


@bp.route("/wissel-school", methods=["POST"])
def switch_school():
    """Make another of one's schools the active one."""
    school_id = request.form.get("school_id", type=int)
    school = db.session.get(School, school_id) if school_id else None
    if school is None:
        flash(_("Kies een school om naar te wisselen."), "warning")
        return redirect(url_for("core.home"))
    authorize(can_view_school(current_user, school))
    session["school_id"] = school.id
    return redirect(url_for("core.school_home", school_id=school.id))


@bp.route("/taal/<code>", methods=["POST"])
@public
def set_language(code: str):
    """Switch the interface language; for a logged-in person it is saved in their profile."""
    if code not in LOCALES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        accounts.set_locale(current_user, code)
    target = request.form.get("next", "")
    return redirect(target if is_safe_next(target) else url_for("core.home"))
