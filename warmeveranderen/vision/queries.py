"""What the vision reads: the draft, versions, comments, AMORE scores and what the home pages need.

Nothing here changes state; the writes are in `vision/services.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import joinedload, selectinload

from warmeveranderen.domain import FLYWHEEL, FORUM
from warmeveranderen.extensions import db
from warmeveranderen.memo import per_request
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.vision.content import AMORE_KEYS, QUESTIONS_BY_KEY, empty_content, normalise
from warmeveranderen.vision.models import AmoreScore, DraftRevision, Endorsement, Vision, VisionComment, VisionVersion

# The groups whose AMORE scores are summarised apart.
GROUPS = ("flywheel", "forum")


# --- the draft and its versions -----------------------------------------------------------------


def get_vision(school: School) -> Vision | None:
    return db.session.scalar(db.select(Vision).where(Vision.school_id == school.id))


get_vision_once = per_request(get_vision)


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


@per_request
def versions_once(school: School) -> list[VisionVersion]:
    """The school's versions, newest first, with their endorsements, in one statement and once per
    request: the home's panel and the forum's agenda, the progress page's section (pages that only read)."""
    return list(db.session.scalars(
        db.select(VisionVersion)
        .join(Vision)
        .where(Vision.school_id == school.id)
        .options(joinedload(VisionVersion.endorsements))
        .order_by(VisionVersion.number.desc())
    ).unique())


def latest_version_once(school: School) -> VisionVersion | None:
    """The newest version, endorsed or not, among those read once per request."""
    return next(iter(versions_once(school)), None)


def current_version_once(school: School) -> VisionVersion | None:
    """`current_version`, among the versions read once per request."""
    return next((v for v in versions_once(school) if v.endorsements), None)


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
            key: (_one_decimal(sum(getattr(s, key) for s in rows), len(rows)) if rows else None) for key in AMORE_KEYS
        }
    overall = averages["all"]
    weakest: list[str] = []
    if scores:
        lowest = min(overall.values())
        weakest = [key for key in AMORE_KEYS if overall[key] == lowest]
    return AmoreSummary(counts, averages, weakest, [s for s in scores if s.remark])


def _one_decimal(total: int, count: int) -> float:
    """An average rounded once, half up, to the one decimal every page and chart shows (3.45 → 3.5)."""
    return float((Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
