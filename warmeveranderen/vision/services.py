"""Writing, publishing, scoring and endorsing a school's vision. The only place in this feature that commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.domain import BOARD, DIRECTOR, FLYWHEEL, FORUM, STAKEHOLDER_GROUPS
from warmeveranderen.extensions import db
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import LearningNetwork, School
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
from warmeveranderen.vision.models import AmoreScore, DraftRevision, Endorsement, Vision, VisionComment, VisionVersion

GROUPS = ("flywheel", "forum")


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


def _path(endpoint: str, **values) -> str:
    """A local URL for a notification, also when the service runs outside a request (CLI, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


# --- reading ----------------------------------------------------------------------------------


def get_vision(school: School) -> Vision | None:
    return db.session.scalar(db.select(Vision).where(Vision.school_id == school.id))


def draft_content(vision: Vision | None) -> dict:
    return normalise(vision.content if vision is not None else empty_content())


def versions(vision: Vision | None) -> list[VisionVersion]:
    """Every published version, newest first, with its author and endorsements loaded."""
    if vision is None:
        return []
    return list(
        db.session.scalars(
            db.select(VisionVersion)
            .where(VisionVersion.vision_id == vision.id)
            .options(selectinload(VisionVersion.published_by), selectinload(VisionVersion.endorsements))
            .order_by(VisionVersion.number.desc())
        )
    )


def get_version(school: School, number: int) -> VisionVersion | None:
    return db.session.scalar(
        db.select(VisionVersion)
        .join(Vision)
        .where(Vision.school_id == school.id, VisionVersion.number == number)
        .options(selectinload(VisionVersion.endorsements).selectinload(Endorsement.recorded_by))
    )


def current_version(school: School) -> VisionVersion | None:
    """The school's current vision: the highest-numbered version that was endorsed."""
    return db.session.scalar(
        db.select(VisionVersion)
        .join(Vision)
        .where(Vision.school_id == school.id, VisionVersion.endorsements.any())
        .options(selectinload(VisionVersion.endorsements))
        .order_by(VisionVersion.number.desc())
        .limit(1)
    )


def comments_by_section(vision: Vision | None) -> dict[str, list[VisionComment]]:
    result: dict[str, list[VisionComment]] = {key: [] for key in QUESTIONS_BY_KEY}
    if vision is None:
        return result
    for comment in db.session.scalars(
        db.select(VisionComment)
        .where(VisionComment.vision_id == vision.id)
        .options(selectinload(VisionComment.author))
        .order_by(VisionComment.created_at, VisionComment.id)
    ):
        result.setdefault(comment.section, []).append(comment)
    return result


def latest_draft_revision(vision: Vision | None) -> DraftRevision | None:
    if vision is None or vision.revision == 0:
        return None
    return db.session.scalar(
        db.select(DraftRevision)
        .where(DraftRevision.vision_id == vision.id, DraftRevision.revision == vision.revision)
        .options(selectinload(DraftRevision.saved_by))
    )


def shared_visions(network: LearningNetwork) -> list[tuple[School, VisionVersion]]:
    """The current visions that the schools of a network share with it, by school name."""
    rows = db.session.execute(
        db.select(School, VisionVersion)
        .join(Vision, Vision.school_id == School.id)
        .join(VisionVersion, VisionVersion.vision_id == Vision.id)
        .where(School.network_id == network.id, Vision.shared_with_network.is_(True), VisionVersion.endorsements.any())
        .order_by(School.name, VisionVersion.number.desc())
    ).all()
    seen: dict[int, tuple[School, VisionVersion]] = {}
    for school, version in rows:
        seen.setdefault(school.id, (school, version))
    return list(seen.values())


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
        vision = Vision(school=school, content=empty_content(), revision=0)
        db.session.add(vision)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            vision = get_vision(school)
    if vision.revision != base_revision:
        raise _conflict(vision, base_revision, mine)
    if not changed_parts(vision.content, mine) and vision.revision > 0:
        return vision
    new_revision = base_revision + 1
    now = utcnow()
    result = db.session.execute(
        db.update(Vision)
        .where(Vision.id == vision.id, Vision.revision == base_revision)
        .values(content=mine, revision=new_revision, updated_at=now, updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        vision = get_vision(school)
        raise _conflict(vision, base_revision, mine)
    db.session.add(DraftRevision(vision_id=vision.id, revision=new_revision, content=mine, saved_by_id=user.id, saved_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        vision = get_vision(school)
        raise _conflict(vision, base_revision, mine) from None
    db.session.refresh(vision)
    return vision


def add_comment(school: School, user, section: str, body: str) -> VisionComment:
    if section not in QUESTIONS_BY_KEY:
        raise VisionError(_("Kies een vraag van de visie."))
    body = (body or "").strip()
    if not body:
        raise VisionError(_("Schrijf eerst je opmerking."))
    vision = get_vision(school)
    if vision is None:
        vision = Vision(school=school, content=empty_content(), revision=0)
        db.session.add(vision)
    comment = VisionComment(vision=vision, section=section, author_id=user.id, body=body)
    db.session.add(comment)
    others = [m.user for m in school.memberships if m.role == FLYWHEEL and m.user_id != user.id]
    notify(
        others,
        category="vision",
        title=_("%(name)s gaf een opmerking bij de visie", name=user.name),
        url=_path("vision.draft", school_id=school.id, _anchor=f"vraag-{section}"),
        school=school,
    )
    db.session.commit()
    return comment


def set_sharing(school: School, shared: bool) -> Vision:
    vision = get_vision(school)
    if vision is None:
        vision = Vision(school=school, content=empty_content(), revision=0)
        db.session.add(vision)
    vision.shared_with_network = shared
    db.session.commit()
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
    version = VisionVersion(
        vision=vision,
        number=(latest.number + 1) if latest else 1,
        content=normalise(vision.content),
        change_note=change_note,
        published_by_id=user.id,
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise VisionError(_("Iemand anders publiceerde net een versie. Bekijk de versies en probeer opnieuw.")) from None
    readers = [m.user for m in school.memberships if m.role in (FORUM, DIRECTOR, BOARD, FLYWHEEL) and m.user_id != user.id]
    notify(
        readers,
        category="vision",
        title=_("Versie %(n)s van de visie is gepubliceerd", n=version.number),
        body=change_note,
        url=_path("vision.version", school_id=school.id, version_number=version.number),
        school=school,
    )
    db.session.commit()
    return version


# --- AMORE ------------------------------------------------------------------------------------


def respondent_group(user, school: School) -> str | None:
    roles = user.roles_in(school)
    if FLYWHEEL in roles:
        return "flywheel"
    if FORUM in roles:
        return "forum"
    return None


def score_of(version: VisionVersion, user) -> AmoreScore | None:
    return db.session.scalar(
        db.select(AmoreScore).where(AmoreScore.version_id == version.id, AmoreScore.user_id == user.id)
    )


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
        score = AmoreScore(version_id=version.id, user_id=user.id, respondent_group=group, **clean)
        db.session.add(score)
    else:
        for key, value in clean.items():
            setattr(score, key, value)
        score.respondent_group = group
        score.updated_at = utcnow()
    score.remark = (remark or "").strip()
    try:
        db.session.commit()
    except IntegrityError:
        # The same person submitted twice at once: the other request's row stands; apply ours to it.
        db.session.rollback()
        return save_amore(version, user, scores, remark)
    return score


@dataclass
class AmoreSummary:
    counts: dict[str, int]  # per group and "all"
    averages: dict[str, dict[str, float | None]]  # group -> criterion -> average
    weakest: list[str]  # the criteria with the lowest overall average (ties included)
    remarks: list[AmoreScore]


def amore_summary(version: VisionVersion) -> AmoreSummary:
    scores = list(
        db.session.scalars(
            db.select(AmoreScore)
            .where(AmoreScore.version_id == version.id)
            .options(selectinload(AmoreScore.user))
            .order_by(AmoreScore.updated_at.desc())
        )
    )
    counts, averages = {}, {}
    for group in (*GROUPS, "all"):
        rows = [s for s in scores if group == "all" or s.respondent_group == group]
        counts[group] = len(rows)
        averages[group] = {
            key: (round(sum(getattr(s, key) for s in rows) / len(rows), 2) if rows else None) for key in AMORE_KEYS
        }
    overall = averages["all"]
    weakest: list[str] = []
    if scores:
        lowest = min(overall.values())
        weakest = [key for key in AMORE_KEYS if overall[key] == lowest]
    return AmoreSummary(counts, averages, weakest, [s for s in scores if s.remark])


# --- endorsement ------------------------------------------------------------------------------


def record_endorsement(
    version: VisionVersion, user, groups: list[str], endorsed_on: date, changes: str = "", advice_round=None
) -> Endorsement:
    """Record that stakeholder groups endorsed this version; it becomes the school's current vision.

    The endorsement may refer to the forum's advice round on this version; it does not need one.
    """
    from warmeveranderen.vision.forum_link import KIND

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
        url=_path("vision.current", school_id=school.id),
        school=school,
    )
    db.session.commit()
    return endorsement


# --- next steps -------------------------------------------------------------------------------


def status_for(school: School) -> dict:
    """What the next-step provider and the panel need, in a fixed number of queries."""
    vision = get_vision(school)
    latest = None
    if vision is not None:
        latest = db.session.scalar(
            db.select(VisionVersion)
            .where(VisionVersion.vision_id == vision.id)
            .options(selectinload(VisionVersion.endorsements))
            .order_by(VisionVersion.number.desc())
            .limit(1)
        )
    return {"vision": vision, "latest": latest}


