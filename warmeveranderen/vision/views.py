"""The vision's pages: overview, working draft, versions, comparison, AMORE check, endorsement, poster."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from warmeveranderen import charts, pagecache, uow
from warmeveranderen.domain import AMORE_CRITERIA
from warmeveranderen.extensions import db
from warmeveranderen.forum.permissions import can_manage_forum
from warmeveranderen.parts import vision_sections_for
from warmeveranderen.permissions import authorize, can_view_network
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import today
from warmeveranderen.vision import forum_link, queries, services
from warmeveranderen.vision.content import AMORE_GUIDANCE, PARTS, QUESTIONS, QUESTIONS_BY_KEY, VALUES, normalise
from warmeveranderen.vision.diff import compare
from warmeveranderen.vision.forms import AmoreForm, CommentForm, EndorsementForm, PublishForm, ShareForm, VisionDraftForm
from warmeveranderen.vision.permissions import (
    can_comment_vision,
    can_edit_vision,
    can_endorse_vision,
    can_read_current_vision,
    can_read_vision,
    can_score_amore,
    can_share_vision,
    can_view_vision_draft,
)

bp = Blueprint("vision", __name__)
bp.add_app_template_global(QUESTIONS, "vision_questions")


def _version_or_404(school: School, number: int):
    version = queries.get_version(school, number)
    if version is None:
        abort(404)
    return version


def _revision(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1


@bp.route("/scholen/<int:school_id>/visie")
def index(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_vision(current_user, school))
    pagecache.versions(school.id)
    return pagecache.page("vision", school, "vision/index.html", lambda: _vision_page(school),
                          viewer=pagecache.roles_of(current_user, school))


def _vision_page(school) -> dict:
    vision = queries.get_vision(school)
    versions = queries.versions(vision)
    current = next((v for v in versions if v.endorsements), None)
    share_form = ShareForm(formdata=None, shared=bool(vision and vision.shared_with_network))
    return dict(school=school, vision=vision, versions=versions, current=current, share_form=share_form,
                last_save=queries.latest_draft_revision(vision), sections=vision_sections_for(current_user, school, current))


# --- the working draft ------------------------------------------------------------------------


def _render_draft(school, failed=False, comment_forms=None, publish_form=None):
    vision = queries.get_vision(school)
    comment_forms = comment_forms or {}
    for key in QUESTIONS_BY_KEY:
        comment_forms.setdefault(key, CommentForm(formdata=None))
    for key, form in comment_forms.items():
        # One form per question on the page: give each its own field ids.
        form.body.id = form.body.label.field_id = f"comment-{key}"
    if publish_form is None:
        publish_form = PublishForm(formdata=None, revision=vision.revision if vision else 0)
    versions = queries.versions(vision)
    changed = None
    if versions:
        changed = [d for d in compare(versions[0].content, queries.draft_content(vision)) if d.changed]
    return uow.form_page(
        "vision/draft.html",
        failed=failed,
        school=school,
        vision=vision,
        content=queries.draft_content(vision),
        comments=queries.comments_by_section(vision),
        comment_forms=comment_forms,
        publish_form=publish_form,
        latest=versions[0] if versions else None,
        changed_since_latest=changed,
        last_save=queries.latest_draft_revision(vision),
    )


@bp.route("/scholen/<int:school_id>/visie/werkversie")
def draft(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_view_vision_draft(current_user, school))
    return _render_draft(school)


@bp.route("/scholen/<int:school_id>/visie/werkversie/bewerken", methods=["GET", "POST"])
def edit(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_vision(current_user, school))
    vision = queries.get_vision(school)
    status, conflict, preview = 200, None, None
    if request.method == "GET":
        form = VisionDraftForm(
            formdata=None, data={**queries.draft_content(vision), "revision": vision.revision if vision else 0}
        )
    else:
        form = VisionDraftForm()
        more = request.form.get("more_rows")
        if more in {p.key for p in PARTS if p.kind == VALUES}:
            form.pad_rows(only=more, extra=3)
        elif form.preview.data:
            form.validate()
            preview = normalise(form.content())
        elif form.validate_on_submit():
            try:
                vision = services.save_draft(school, current_user, form.content(), _revision(form.revision.data))
            except services.DraftConflict as exc:
                conflict, status = exc, 409
                form = VisionDraftForm(formdata=None, data={**exc.merged, "revision": exc.revision})
            except services.VisionError as exc:
                form.form_errors.append(str(exc))
                status = 422
            else:
                flash(_("Werkversie bewaard (revisie %(n)s).", n=vision.revision), "success")
                return redirect(url_for("vision.edit", school_id=school.id))
        else:
            status = 422
    form.pad_rows()
    context = dict(school=school, vision=vision, form=form, questions=QUESTIONS, conflict=conflict, preview=preview,
                   last_save=queries.latest_draft_revision(vision))
    if conflict:  # saved over by someone else: the merged text to look at again (409)
        return render_template("vision/edit.html", **context), status
    # A preview shows the form's errors without refusing anything (200).
    return uow.form_page("vision/edit.html", failed=status == 422, **context)


@bp.route("/scholen/<int:school_id>/visie/opmerkingen/<section>", methods=["POST"])
def comment(school_id: int, section: str):
    school = db.get_or_404(School, school_id)
    authorize(can_comment_vision(current_user, school))
    if section not in QUESTIONS_BY_KEY:
        abort(404)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(school, current_user, section, form.body.data)
        except services.VisionError as exc:
            form.body.errors.append(str(exc))
        else:
            flash(_("Je opmerking staat bij de vraag."), "success")
            return redirect(url_for("vision.draft", school_id=school.id, _anchor=f"vraag-{section}"))
    return _render_draft(school, True, comment_forms={section: form})


@bp.route("/scholen/<int:school_id>/visie/publiceren", methods=["POST"])
def publish(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_edit_vision(current_user, school))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            version = services.publish(school, current_user, form.change_note.data, _revision(form.revision.data))
        except services.VisionError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Versie %(n)s is gepubliceerd.", n=version.number), "success")
            return redirect(url_for("vision.version", school_id=school.id, version_number=version.number))
    return _render_draft(school, True, publish_form=form)


@bp.route("/scholen/<int:school_id>/visie/delen", methods=["POST"])
def share(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_share_vision(current_user, school))
    form = ShareForm()
    if form.validate_on_submit():
        services.set_sharing(school, form.shared.data)
        if form.shared.data:
            flash(_("Jullie huidige visie is nu te lezen voor de scholen van jullie lerend netwerk."), "success")
        else:
            flash(_("Jullie visie is niet langer gedeeld met het lerend netwerk."), "success")
    return redirect(url_for("vision.index", school_id=school.id))


# --- versions ---------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/visie/versies/<int:version_number>")
def version(school_id: int, version_number: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_vision(current_user, school))
    version = _version_or_404(school, version_number)
    vision = version.vision
    current = queries.current_version(school)
    return render_template(
        "vision/version.html",
        school=school,
        vision=vision,
        version=version,
        content=normalise(version.content),
        current=current,
        summary=queries.amore_summary(version),
        my_score=queries.score_of(version, current_user),
        rounds=forum_link.rounds_for(version),
        may_put_to_forum=can_manage_forum(current_user, school) and forum_link.can_open(version) is None,
        subject_kind=forum_link.KIND,
    )


@bp.route("/scholen/<int:school_id>/visie/vergelijken")
def compare_versions(school_id: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_vision(current_user, school))
    versions = queries.versions(queries.get_vision(school))
    by_number = {v.number: v for v in versions}
    old_n = request.args.get("van", type=int)
    new_n = request.args.get("naar", type=int)
    if len(versions) >= 2:
        new_n = new_n if new_n in by_number else versions[0].number
        old_n = old_n if old_n in by_number else next((v.number for v in versions if v.number < new_n), versions[-1].number)
    diffs = None
    if old_n in by_number and new_n in by_number:
        diffs = compare(by_number[old_n].content, by_number[new_n].content)
    return render_template(
        "vision/compare.html",
        school=school,
        versions=versions,
        old=by_number.get(old_n),
        new=by_number.get(new_n),
        diffs=diffs,
    )


# --- AMORE ------------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/visie/versies/<int:version_number>/amore", methods=["GET", "POST"])
def amore(school_id: int, version_number: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_vision(current_user, school))
    version = _version_or_404(school, version_number)
    may_score = can_score_amore(current_user, school)
    mine = queries.score_of(version, current_user) if may_score else None
    status = 200
    form = None
    if request.method == "POST":
        authorize(may_score)
        form = AmoreForm()
        if form.validate_on_submit():
            try:
                services.save_amore(version, current_user, form.scores(), form.remark.data)
            except services.VisionError as exc:
                form.form_errors.append(str(exc))
                status = 422
            else:
                flash(_("Je AMORE-score voor versie %(n)s is bewaard.", n=version.number), "success")
                return redirect(url_for("vision.amore", school_id=school.id, version_number=version.number))
        else:
            status = 422
    elif may_score:
        data = {key: str(getattr(mine, key)) for key in AMORE_CRITERIA} if mine else {}
        form = AmoreForm(formdata=None, data={**data, "remark": mine.remark if mine else ""})
    return uow.form_page(
        "vision/amore.html",
        failed=status == 422,
        school=school,
        version=version,
        form=form,
        mine=mine,
        summary=queries.amore_summary(version),
        guidance=AMORE_GUIDANCE,
    )


@bp.route("/scholen/<int:school_id>/visie/versies/<int:version_number>/amore.svg")
def amore_chart(school_id: int, version_number: int):
    school = db.get_or_404(School, school_id)
    authorize(can_read_vision(current_user, school))
    version = _version_or_404(school, version_number)
    summary = queries.amore_summary(version)
    labels = [str(label) for label in AMORE_CRITERIA.values()]
    series = {
        _("Vliegwiel (%(n)s)", n=summary.counts["flywheel"]): [summary.averages["flywheel"][k] for k in AMORE_CRITERIA],
        _("Forum (%(n)s)", n=summary.counts["forum"]): [summary.averages["forum"][k] for k in AMORE_CRITERIA],
    }
    chart = charts.bar(
        _("AMORE-scores voor versie %(n)s (gemiddelde, 1–5)", n=version.number), labels, series, range=(0, 5)
    )
    return charts.svg_response(chart)


# --- endorsement ------------------------------------------------------------------------------


@bp.route("/scholen/<int:school_id>/visie/versies/<int:version_number>/endorsement", methods=["GET", "POST"])
def endorse(school_id: int, version_number: int):
    school = db.get_or_404(School, school_id)
    authorize(can_endorse_vision(current_user, school))
    version = _version_or_404(school, version_number)
    rounds = forum_link.rounds_for(version)
    status = 200
    if request.method == "POST":
        form = EndorsementForm()
        form.fill_rounds(rounds)
        if form.validate_on_submit():
            advice_round = next((r for r in rounds if r.id == form.advice_round_id.data), None)
            try:
                services.record_endorsement(
                    version, current_user, form.groups.data, form.endorsed_on.data, form.changes.data, advice_round
                )
            except services.VisionError as exc:
                form.form_errors.append(str(exc))
                status = 422
            else:
                flash(_("De endorsement is vastgelegd: versie %(n)s is nu jullie huidige visie.", n=version.number), "success")
                return redirect(url_for("vision.current", school_id=school.id))
        else:
            status = 422
    else:
        form = EndorsementForm(formdata=None, endorsed_on=today(), advice_round_id=rounds[0].id if rounds else 0)
        form.fill_rounds(rounds)
    return uow.form_page("vision/endorse.html", form, failed=status == 422, school=school, version=version,
                         current=queries.current_version(school), rounds=rounds)


# --- the current vision: reading and the poster ------------------------------------------------


def _current_for_reader(school_id: int):
    school = db.get_or_404(School, school_id)
    vision = queries.get_vision(school)
    authorize(can_read_current_vision(current_user, school, vision))
    return school, vision, queries.current_version(school)


@bp.route("/scholen/<int:school_id>/visie/huidig")
def current(school_id: int):
    school, vision, version = _current_for_reader(school_id)
    return render_template(
        "vision/current.html",
        school=school,
        vision=vision,
        version=version,
        content=normalise(version.content) if version else None,
        member=can_read_vision(current_user, school),
    )


@bp.route("/scholen/<int:school_id>/visie/affiche")
def poster(school_id: int):
    school, vision, version = _current_for_reader(school_id)
    return render_template(
        "vision/poster.html",
        school=school,
        version=version,
        content=normalise(version.content) if version else None,
    )


@bp.route("/netwerken/<int:network_id>/visies")
def network_visions(network_id: int):
    network = db.get_or_404(LearningNetwork, network_id)
    authorize(can_view_network(current_user, network))
    return render_template("vision/network.html", network=network, shared=queries.shared_visions(network))
