"""Writing, publishing, scoring and endorsing a school's vision: the only place in this feature that
changes state. Like every service (warmeveranderen/uow.py) these flush; the request commits once.
Where two requests may race for the same row, a SAVEPOINT turns the loser's IntegrityError into a
refusal (or a retry) without touching the rest of the request's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL, FORUM, STAKEHOLDER_GROUPS
from warmeveranderen.extensions import db
from warmeveranderen.markdown import excerpt
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import to_local, today, utcnow
from warmeveranderen.uow import ServiceError
from warmeveranderen.vision.content import (
    AMORE_KEYS,
    PARTS,
    QUESTIONS_BY_KEY,
    Part,
    changed_parts,
    empty_content,
    is_empty,
    normalise,
    part_text,
)
from warmeveranderen.vision.forum_link import KIND
from warmeveranderen.vision.links import path
from warmeveranderen.vision.models import AmoreScore, DraftRevision, Endorsement, Vision, VisionComment, VisionVersion
from warmeveranderen.vision.queries import current_version, get_vision, latest_draft_revision, respondent_group, score_of


class VisionError(ServiceError):
    """A user-facing refusal, in Dutch."""


@dataclass
class Conflict:
    """Both texts of a part that the person and someone else changed since the person's revision."""

    part: Part
    theirs: str
    yours: str


@dataclass
class DraftConflict(Exception):
    """A save based on an older revision. Nothing was saved; `merged` is what the form should show now."""

    revision: int
    saved_by: object
    saved_at: object
    merged: dict
    conflicts: list[Conflict] = field(default_factory=list)
    taken_over: list[Part] = field(default_factory=list)


# --- writing the draft ------------------------------------------------------------------------


def _base_content(vision: Vision, revision: int) -> dict:
    if revision <= 0:
        return empty_content()
    snapshot = db.session.scalar(
        db.select(DraftRevision).where(DraftRevision.vision_id == vision.id, DraftRevision.revision == revision)
    )
    return normalise(snapshot.content if snapshot else empty_content())


def _conflict(vision: Vision, base_revision: int, mine: dict) -> DraftConflict:
    """Compare three texts per part: the base the person started from, theirs (saved since) and mine."""
    base, theirs = _base_content(vision, base_revision), normalise(vision.content)
    merged, conflicts, taken_over = {}, [], []
    for part in PARTS:
        b, t, m = (part_text(c, part) for c in (base, theirs, mine))
        if m == t or m == b:
            merged[part.key] = theirs[part.key]
            if m != t:
                taken_over.append(part)
        elif t == b:
            merged[part.key] = mine[part.key]
        else:
            merged[part.key] = mine[part.key]
            conflicts.append(Conflict(part, t, m))
    latest = latest_draft_revision(vision)
    return DraftConflict(
        revision=vision.revision,
        saved_by=latest.saved_by if latest else None,
        saved_at=latest.saved_at if latest else None,
        merged=merged,
        conflicts=conflicts,
        taken_over=taken_over,
    )


def _vision_of(school: School) -> Vision:
    """The school's vision, created (empty) on first use; when a simultaneous request created it
    first, the SAVEPOINT drops ours and theirs stands."""
    vision = get_vision(school)
    if vision is not None:
        return vision
    try:
        with db.session.begin_nested():
            vision = Vision(school=school, content=empty_content(), revision=0)
            db.session.add(vision)
    except IntegrityError:
        return get_vision(school)
    return vision


def save_draft(school: School, user, content: dict, base_revision: int) -> Vision:
    """Save the working draft, unless someone saved a newer revision since base_revision.

    The write is a compare-and-set on the revision, so two simultaneous saves cannot both win.
    Raises DraftConflict (nothing saved) when the draft moved on.
    """
    mine = normalise(content)
    vision = get_vision(school)
    if vision is None:
        if base_revision != 0:
            raise VisionError(_("Deze werkversie bestaat niet meer. Laad de pagina opnieuw."))
        vision = _vision_of(school)
    if vision.revision != base_revision:
        raise _conflict(vision, base_revision, mine)
    if not changed_parts(vision.content, mine) and vision.revision > 0:
        return vision
    saved = _next_revision(vision, user, mine, base_revision)
    db.session.refresh(vision)
    if not saved:
        raise _conflict(vision, base_revision, mine)
    return vision


def _next_revision(vision: Vision, user, mine: dict, base_revision: int) -> bool:
    """Write the draft as the next revision if it is still at base_revision; False when another save won.

    The update and the revision's snapshot share a SAVEPOINT: a save that lost leaves nothing behind.
    """
    now = utcnow()
    try:
        with db.session.begin_nested():
            result = db.session.execute(
                db.update(Vision)
                .where(Vision.id == vision.id, Vision.revision == base_revision)
                .values(content=mine, revision=base_revision + 1, updated_at=now, updated_by_id=user.id)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return False  # the update changed nothing: there is nothing to undo
            db.session.add(DraftRevision(vision_id=vision.id, revision=base_revision + 1, content=mine,
                                         saved_by_id=user.id, saved_at=now))
    except IntegrityError:
        return False
    return True


def add_comment(school: School, user, section: str, body: str) -> VisionComment:
    if section not in QUESTIONS_BY_KEY:
        raise VisionError(_("Kies een vraag van de visie."))
    body = (body or "").strip()
    if not body:
        raise VisionError(_("Schrijf eerst je opmerking."))
    vision = _vision_of(school)
    comment = VisionComment(vision=vision, section=section, author_id=user.id, body=body)
    db.session.add(comment)
    others = [m.user for m in school.memberships if m.role == FLYWHEEL and m.user_id != user.id]
    notify(
        others,
        category="vision",
        title=_("%(name)s gaf een opmerking bij de visie", name=user.name),
        body=excerpt(body),
        url=path("vision.draft", school_id=school.id, _anchor=f"vraag-{section}"),
        school=school,
    )
    db.session.flush()
    return comment


def set_sharing(school: School, shared: bool) -> Vision:
    vision = _vision_of(school)
    vision.shared_with_network = shared
    db.session.flush()
    return vision


# --- versions ---------------------------------------------------------------------------------


def publish(school: School, user, change_note: str, base_revision: int) -> VisionVersion:
    """Freeze the saved draft into the next numbered version."""
    vision = get_vision(school)
    change_note = (change_note or "").strip()
    if vision is None or is_empty(vision.content):
        raise VisionError(_("De werkversie is nog leeg. Schrijf en bewaar eerst een antwoord op de vragen."))
    if vision.revision != base_revision:
        raise VisionError(
            _("De werkversie is intussen opnieuw bewaard. Bekijk de nieuwste tekst voor je hem publiceert.")
        )
    if not change_note:
        raise VisionError(_("Beschrijf kort wat er in deze versie nieuw of anders is."))
    latest = db.session.scalar(
        db.select(VisionVersion).where(VisionVersion.vision_id == vision.id).order_by(VisionVersion.number.desc()).limit(1)
    )
    if latest is not None and not changed_parts(latest.content, vision.content):
        raise VisionError(
            _("De werkversie is gelijk aan versie %(n)s: er is niets nieuws om te publiceren.", n=latest.number)
        )
    try:
        with db.session.begin_nested():
            version = VisionVersion(
                vision=vision,
                number=(latest.number + 1) if latest else 1,
                content=normalise(vision.content),
                change_note=change_note,
                published_by_id=user.id,
            )
            db.session.add(version)
    except IntegrityError:
        raise VisionError(_("Iemand anders publiceerde net een versie. Bekijk de versies en probeer opnieuw.")) from None
    readers = [m.user for m in school.memberships if m.role in (FORUM, DIRECTOR, BOARD, FLYWHEEL) and m.user_id != user.id]
    notify(
        readers,
        category="vision",
        title=_("Versie %(n)s van de visie is gepubliceerd", n=version.number),
        body=change_note,
        url=path("vision.version", school_id=school.id, version_number=version.number),
        school=school,
    )
    db.session.flush()
    return version


def save_amore(version: VisionVersion, user, scores: dict[str, int], remark: str = "") -> AmoreScore:
    """Record or revise one person's AMORE scores for a version (one set per person per version)."""
    school = version.vision.school
    group = respondent_group(user, school)
    if group is None:
        raise VisionError(_("Alleen leden van het vliegwiel en het forum geven een AMORE-score."))
    clean = {}
    for key in AMORE_KEYS:
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise VisionError(_("Geef elk criterium een score van 1 tot 5."))
        clean[key] = value
    score = score_of(version, user)
    if score is None:
        score = _first_score(version, user, group, clean, remark)
        if score is not None:
            return score
        # The same person submitted twice at once: the other request's row stands; apply ours to it.
        score = score_of(version, user)
    for key, value in clean.items():
        setattr(score, key, value)
    score.respondent_group = group
    score.updated_at = utcnow()
    score.remark = (remark or "").strip()
    db.session.flush()
    return score


def _first_score(version: VisionVersion, user, group: str, clean: dict[str, int], remark: str) -> AmoreScore | None:
    """The person's first scores for this version; None when a simultaneous submission of theirs got
    there first (the SAVEPOINT drops ours)."""
    score = AmoreScore(version_id=version.id, user_id=user.id, respondent_group=group, remark=(remark or "").strip(),
                       **clean)
    try:
        with db.session.begin_nested():
            db.session.add(score)
    except IntegrityError:
        return None
    return score


# --- endorsement ------------------------------------------------------------------------------


def record_endorsement(
    version: VisionVersion, user, groups: list[str], endorsed_on: date, changes: str = "", advice_round=None
) -> Endorsement:
    """Record that stakeholder groups endorsed this version; it becomes the school's current vision.

    The endorsement may refer to the forum's advice round on this version; it does not need one.
    """
    if advice_round is not None and (advice_round.subject_kind != KIND or advice_round.subject_id != version.id):
        raise VisionError(_("Deze adviesronde ging niet over versie %(n)s.", n=version.number))
    groups = [g for g in STAKEHOLDER_GROUPS if g in set(groups or [])]
    if not groups:
        raise VisionError(_("Duid minstens één stakeholdergroep aan die de visie afklopte."))
    if endorsed_on is None:
        raise VisionError(_("Vul de datum in waarop de visie afgeklopt werd."))
    if endorsed_on > today():
        raise VisionError(_("De datum van de endorsement ligt in de toekomst."))
    if endorsed_on < to_local(version.published_at).date():
        raise VisionError(_("De endorsement kan niet vóór de publicatie van de versie liggen."))
    school = version.vision.school
    if version.endorsements:
        raise VisionError(_("Versie %(n)s is al afgeklopt.", n=version.number))
    current = current_version(school)
    if current is not None and current.number > version.number:
        raise VisionError(
            _("Versie %(n)s is al afgeklopt; een oudere versie kan niet opnieuw de huidige visie worden.", n=current.number)
        )
    endorsement = Endorsement(
        version=version, groups=groups, endorsed_on=endorsed_on, changes=(changes or "").strip(), recorded_by_id=user.id,
        advice_round=advice_round,
    )
    db.session.add(endorsement)
    everyone = [m.user for m in school.memberships if m.user_id != user.id]
    notify(
        everyone,
        category="vision",
        title=_("De visie is afgeklopt (versie %(n)s)", n=version.number),
        url=path("vision.current", school_id=school.id),
        school=school,
    )
    db.session.flush()
    return endorsement
