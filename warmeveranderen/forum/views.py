"""The forum's pages: overview, composition, sessions with agenda and minutes, rounds, archive."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import pagecache, uow
from warmeveranderen.accounts import services as accounts
from warmeveranderen.domain import FORUM
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import field_error
from warmeveranderen.forum import archive as decision_archive
from warmeveranderen.forum import minutes as session_minutes
from warmeveranderen.forum import queries, services
from warmeveranderen.forum.forms import (
    NEW_QUESTION,
    AdviceForm,
    ArchiveFilterForm,
    CommentForm,
    DecisionForm,
    MemberInviteForm,
    MinutesForm,
    ResponseForm,
    RoundForm,
    SessionForm,
)
from warmeveranderen.forum.models import AdviceRound, Decision, ForumSession
from warmeveranderen.forum.permissions import (
    can_decide,
    can_give_advice,
    can_manage_forum,
    can_view_forum,
    owners_of,
)
from warmeveranderen.forum.subjects import load_subject
from warmeveranderen.permissions import authorize, can_invite
from warmeveranderen.programme import people
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.queries import sprints_of
from warmeveranderen.timeutil import utcnow

bp = Blueprint("forum", __name__, url_prefix="/scholen/<int:school_id>/forum")


def _school(school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    authorize(can_view_forum(current_user, school))
    return school


def _session_of(school: School, session_id: int) -> ForumSession:
    session = queries.load_session(session_id)
    if session is None or session.school_id != school.id:
        abort(404)
    return session


def _round_of(school: School, round_id: int) -> AdviceRound:
    advice_round = queries.load_round(round_id)
    if advice_round is None or advice_round.school_id != school.id:
        abort(404)
    return advice_round


# --- overview and composition -------------------------------------------------------------------


@bp.route("")
def overview(school_id: int):
    school = _school(school_id)
    pagecache.versions(school.id)
    # Per person: the rounds they still have to advise on are their own.
    return pagecache.page("forum", school, "forum/overview.html",
                          lambda: dict(school=school, now=utcnow(), **queries.overview(school, current_user)),
                          viewer=pagecache.personal(current_user))


@bp.route("/leden", methods=["GET", "POST"])
def members(school_id: int):
    school = _school(school_id)
    may_invite = can_invite(current_user, school, FORUM)
    form = MemberInviteForm()
    if request.method == "POST":
        authorize(may_invite)
        if form.validate_on_submit():
            try:
                invitation = people.invite(
                    email=form.email.data, name=form.name.data, role=FORUM, invited_by=current_user,
                    school=school, stakeholder_group=form.stakeholder_group.data,
                )
            except accounts.AccountError as exc:
                form.email.errors.append(str(exc))
            else:
                flash(_("Uitnodiging voor het forum verstuurd naar %(email)s.", email=invitation.email), "success")
                return redirect(url_for("forum.members", school_id=school.id))
    return uow.form_page("forum/members.html", form if may_invite else None, failed=bool(form.errors), school=school,
                         groups=queries.composition(school), thin_below=queries.THIN_GROUP_BELOW)


# --- sessions -----------------------------------------------------------------------------------


def _session_starts(form: SessionForm):
    if form.day.data is None or form.at.data is None:
        return None
    return queries.local_to_utc(form.day.data, form.at.data)


@bp.route("/bijeenkomsten/nieuw", methods=["GET", "POST"])
def new_session(school_id: int):
    school = _school(school_id)
    authorize(can_manage_forum(current_user, school))
    sprints = sprints_of(school)
    open_sprints = queries.sprints_without_session(school)
    form = SessionForm()
    form.fill_sprints(open_sprints)
    if request.method == "GET":
        sprint = next((s for s in open_sprints if s.id == request.args.get("sprint_id", type=int)), None)
        sprint = sprint or (open_sprints[0] if open_sprints else None)
        if sprint is not None:
            proposed = queries.utc_to_local(queries.proposed_session_start(sprint))
            form.sprint_id.data = sprint.id
            form.day.data, form.at.data = proposed.date(), proposed.time()
    if form.validate_on_submit():
        sprint = next((s for s in sprints if s.id == form.sprint_id.data), None)
        try:
            session = services.plan_session(
                school, starts_at=_session_starts(form), location=form.location.data or "",
                online_url=form.online_url.data or "", notes=form.notes.data or "", sprint=sprint, by=current_user,
            )
        except services.ForumError as exc:
            field_error(form, exc)
        else:
            past = session.starts_at < utcnow()  # allowed (a session recorded afterwards), but said
            flash(_("Deze bijeenkomst ligt in het verleden. Klopt de datum? Dan kun je nu het verslag noteren.")
                  if past else _("Forumbijeenkomst gepland. Zet nu de onderwerpen op de agenda."),
                  "warning" if past else "success")
            return redirect(url_for("forum.session", school_id=school.id, session_id=session.id))
    return uow.form_page("forum/session_form.html", form, school=school, session=None)


@bp.route("/bijeenkomsten/<int:session_id>")
def session(school_id: int, session_id: int):
    school = _school(school_id)
    forum_session = _session_of(school, session_id)
    return render_template(
        "forum/session.html", school=school, session=forum_session, now=utcnow(),
        attendance=queries.attendance_by_group(forum_session),
        candidates=queries.agenda_candidates(school) if can_manage_forum(current_user, school) else [],
    )


@bp.route("/bijeenkomsten/<int:session_id>/bewerken", methods=["GET", "POST"])
def edit_session(school_id: int, session_id: int):
    school = _school(school_id)
    authorize(can_manage_forum(current_user, school))
    forum_session = _session_of(school, session_id)
    form = SessionForm(obj=forum_session)
    del form.sprint_id
    if request.method == "GET":
        local = queries.utc_to_local(forum_session.starts_at)
        form.day.data, form.at.data = local.date(), local.time()
    if form.validate_on_submit():
        try:
            services.update_session(forum_session, starts_at=_session_starts(form), location=form.location.data or "",
                                    online_url=form.online_url.data or "", notes=form.notes.data or "")
        except services.ForumError as exc:
            field_error(form, exc)
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("forum.session", school_id=school.id, session_id=forum_session.id))
    return uow.form_page("forum/session_form.html", form, school=school, session=forum_session)


@bp.route("/bijeenkomsten/<int:session_id>/verslag", methods=["GET", "POST"])
def minutes(school_id: int, session_id: int):
    school = _school(school_id)
    authorize(can_manage_forum(current_user, school))
    forum_session = _session_of(school, session_id)
    form = MinutesForm()
    candidates = queries.attendance_candidates(school)
    if request.method == "GET":
        form.summary.data = forum_session.minutes_summary
        present = {a.user_id for a in forum_session.attendance}
        guests = {g.group: g.count for g in forum_session.guests}
        notes = {r.id: r.session_note for r in forum_session.rounds}
    else:
        present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
        guests = {code: request.form.get(f"guests-{code}", "").strip() for code in queries.ATTENDANCE_GROUPS}
        notes = {r.id: request.form.get(f"note-{r.id}", "") for r in forum_session.rounds}
    if form.validate_on_submit():
        try:
            counts = {code: int(value or 0) for code, value in guests.items()}
        except ValueError:
            form.form_errors.append(_("Het aantal aanwezigen per groep is een positief getal."))
        else:
            try:
                session_minutes.record_minutes(forum_session, current_user, summary=form.summary.data or "",
                                               present_user_ids=list(present), guests=counts, item_notes=notes)
            except services.ForumError as exc:
                field_error(form, exc)
            else:
                flash(_("Verslag opgeslagen."), "success")
                return redirect(url_for("forum.session", school_id=school.id, session_id=forum_session.id))
    return uow.form_page("forum/minutes_form.html", form, school=school, session=forum_session, candidates=candidates,
                      present=present, guests=guests, notes=notes, groups=queries.ATTENDANCE_GROUPS)


# --- advice rounds ------------------------------------------------------------------------------


def _round_form(school: School) -> tuple[RoundForm, dict]:
    """The form to open a round, its subjects: the agenda candidates plus the one asked for in the URL."""
    form = RoundForm()
    kind, subject_id = request.values.get("subject_kind"), request.values.get("subject_id", type=int)
    options = queries.round_subjects(school, kind, subject_id)
    upcoming = sorted((s for s in queries.sessions_of(school) if s.starts_at >= utcnow()), key=lambda s: s.starts_at)
    form.fill(options, upcoming)
    if request.method == "GET":
        if f"{kind}:{subject_id}" in options:
            form.subject.data = f"{kind}:{subject_id}"
        session = next((s for s in upcoming if s.id == request.args.get("session_id", type=int)), None)
        if session is not None:
            form.session_id.data = session.id
            form.deadline_day.data = queries.utc_to_local(session.starts_at).date()
    return form, options


@bp.route("/rondes/nieuw", methods=["GET", "POST"])
def new_round(school_id: int):
    school = _school(school_id)
    authorize(can_manage_forum(current_user, school))
    form, options = _round_form(school)
    if form.validate_on_submit():
        if form.subject.data not in options and form.subject.data != NEW_QUESTION:
            form.subject.errors.append(_("Kies een onderwerp uit de lijst."))
        else:
            session = db.session.get(ForumSession, form.session_id.data) if form.session_id.data else None
            deadline = queries.local_to_utc(form.deadline_day.data, form.deadline_time.data)
            common = dict(opened_by=current_user, background=form.background.data or "")
            try:
                if form.subject.data == NEW_QUESTION:
                    advice_round = services.ask_question(school, form.title.data, form.question.data, deadline,
                                                         session, **common)
                else:
                    kind, subject_id, _title = options[form.subject.data]
                    advice_round = services.open_round(kind, subject_id, form.question.data, deadline, session,
                                                       **common)
            except services.ForumError as exc:
                field_error(form, exc)
            else:
                flash(_("Voorgelegd aan het forum. De forumleden kregen een melding."), "success")
                return redirect(url_for("forum.round", school_id=school.id, round_id=advice_round.id))
    return uow.form_page("forum/round_form.html", form, school=school)


def _render_round(school: School, advice_round: AdviceRound, status: int = 200, *, advice_form=None,
                  comment_form=None, decision_form=None, response_forms=None, refusal: str | None = None):
    context = _round_context(school, advice_round, advice_form=advice_form, comment_form=comment_form,
                             decision_form=decision_form, response_forms=response_forms, refusal=refusal)
    if status == 403:  # a rule refused it (shown with `refusal`)
        return render_template("forum/round.html", **context), status
    return uow.form_page("forum/round.html", failed=status == 422, **context)


def _round_context(school: School, advice_round: AdviceRound, *, advice_form=None, comment_form=None,
                   decision_form=None, response_forms=None, refusal: str | None = None) -> dict:
    now = utcnow()
    mine = next((a for a in advice_round.advice if a.author_id == current_user.id), None)
    if advice_form is None:
        advice_form = AdviceForm(formdata=None, obj=mine)
    forms = {a.id: ResponseForm(formdata=None, prefix=f"r{a.id}", obj=a.response) for a in advice_round.advice}
    forms.update(response_forms or {})
    kind, subject = load_subject(advice_round.subject_kind, advice_round.subject_id)
    context = dict(
        school=school, round=advice_round, now=now, mine=mine, refusal=refusal,
        state=advice_round.state(now), kind=kind, subject=subject,
        subject_url=kind.url(subject) if kind and subject is not None else None,
        owners=owners_of(advice_round), may_decide=can_decide(current_user, advice_round),
        advice_form=advice_form, comment_form=comment_form or CommentForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None), response_forms=forms,
        unanswered=queries.unanswered_objections(advice_round), blocking=queries.blocking_objections(advice_round),
        per_group=queries.responses_per_group(advice_round, queries.forum_memberships(school)),
    )
    return context


@bp.route("/rondes/<int:round_id>")
def round(school_id: int, round_id: int):  # noqa: A001 (the endpoint's name reads best)
    school = _school(school_id)
    pagecache.versions(school.id)
    # The round came with the person (accounts/loading.py); its advice is read only to render it.
    found = db.session.get(AdviceRound, round_id)
    if found is None or found.school_id != school.id:
        abort(404)
    # Per person: their own advice and what they may still do in the round.
    return pagecache.page("forum-round", school, "forum/round.html",
                          lambda: _round_context(school, _round_of(school, round_id)),
                          viewer=pagecache.personal(current_user))


@bp.route("/rondes/<int:round_id>/advies", methods=["POST"])
def give_advice(school_id: int, round_id: int):
    school = _school(school_id)
    advice_round = _round_of(school, round_id)
    form = AdviceForm()
    if form.validate_on_submit():
        try:
            services.give_advice(advice_round, current_user, form.stance.data, form.reasoning.data,
                                 objection_kind=form.objection_kind.data)
        except services.ForumError as exc:
            if not can_give_advice(current_user, advice_round):
                # Not a forum member: refused (403), with the reason on the page.
                return _render_round(school, advice_round, 403, advice_form=form, refusal=str(exc))
            field_error(form, exc)
        else:
            flash(_("Je advies is opgeslagen. Je kunt het aanpassen tot de uiterste datum."), "success")
            return redirect(url_for("forum.round", school_id=school.id, round_id=advice_round.id) + "#mijn-advies")
    # The member's text is shown back as typed; nothing is lost.
    return _render_round(school, advice_round, 422, advice_form=form)


@bp.route("/rondes/<int:round_id>/opmerking", methods=["POST"])
def comment(school_id: int, round_id: int):
    school = _school(school_id)
    advice_round = _round_of(school, round_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(advice_round, current_user, form.body.data)
        except services.ForumError as exc:
            field_error(form, exc)
        else:
            flash(_("Opmerking geplaatst."), "success")
            return redirect(url_for("forum.round", school_id=school.id, round_id=advice_round.id) + "#opmerkingen")
    return _render_round(school, advice_round, 422, comment_form=form)


@bp.route("/rondes/<int:round_id>/advies/<int:advice_id>/antwoord", methods=["POST"])
def respond(school_id: int, round_id: int, advice_id: int):
    school = _school(school_id)
    advice_round = _round_of(school, round_id)
    advice = next((a for a in advice_round.advice if a.id == advice_id), None)
    if advice is None:
        abort(404)
    form = ResponseForm(prefix=f"r{advice.id}")
    if not can_decide(current_user, advice_round):
        return _render_round(school, advice_round, 403, refusal=_(
            "Alleen de eigenaar van het initiatief of de trekker reageert op het advies."))
    if form.validate_on_submit():
        try:
            services.respond(advice, current_user, form.body.data)
        except services.ForumError as exc:
            field_error(form, exc)
        else:
            flash(_("Antwoord op het advies van %(name)s opgeslagen.", name=advice.author.name), "success")
            return redirect(url_for("forum.round", school_id=school.id, round_id=advice_round.id) + f"#advies-{advice.id}")
    return _render_round(school, advice_round, 422, response_forms={advice_id: form})


@bp.route("/rondes/<int:round_id>/besluit", methods=["POST"])
def decide(school_id: int, round_id: int):
    school = _school(school_id)
    advice_round = _round_of(school, round_id)
    form = DecisionForm()
    if not can_decide(current_user, advice_round):
        return _render_round(school, advice_round, 403, refusal=_(
            "Alleen de eigenaar van het initiatief of de trekker neemt het besluit."))
    if form.validate_on_submit():
        corrects = None
        if form.corrects_id.data:
            corrects = db.session.get(Decision, int(form.corrects_id.data)) if form.corrects_id.data.isdigit() else None
            if corrects is None or corrects.round_id != advice_round.id:
                abort(404)
        try:
            services.decide(advice_round, current_user, form.outcome.data, form.reasons.data, corrects=corrects)
        except services.ForumError as exc:
            field_error(form, exc)
        else:
            flash(_("Besluit vastgelegd. Wie advies gaf en het forum kregen een melding."), "success")
            return redirect(url_for("forum.round", school_id=school.id, round_id=advice_round.id) + "#besluit")
    return _render_round(school, advice_round, 422, decision_form=form)


# --- archive ------------------------------------------------------------------------------------


@bp.route("/besluiten")
def archive(school_id: int):
    school = _school(school_id)
    form = ArchiveFilterForm(request.args)
    form.fill_sprints(sprints_of(school))
    form.validate()
    filters = decision_archive.ArchiveFilters.from_form(form)
    searched = any(request.args.get(k) for k in ("q", "sprint", "block", "group", "outcome"))
    return render_template("forum/archive.html", school=school, form=form,
                           decisions=decision_archive.archive(school, filters), searched=searched)

