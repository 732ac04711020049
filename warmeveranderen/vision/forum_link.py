"""The vision's versions as a subject of the forum's advice rounds ("Voorleggen aan het forum").

Registered with the forum's subject registry by the vision's `init_app`. The forum owns
rounds, advice and decisions; the vision only reads them to show the advice on a version's page and
to let an endorsement refer to the round it answers.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Advice, AdviceResponse, AdviceRound, Decision
from warmeveranderen.forum.subjects import register_subject
from warmeveranderen.timeutil import utcnow
from warmeveranderen.vision.links import path
from warmeveranderen.vision.models import Vision, VisionVersion
from warmeveranderen.vision.queries import latest_version_once

KIND = "vision_version"


def _title(version: VisionVersion) -> str:
    return _("Visie, versie %(n)s", n=version.number)


def _url(version: VisionVersion) -> str:
    return path("vision.version", school_id=version.vision.school_id, version_number=version.number)


def _latest(school) -> VisionVersion | None:
    return db.session.scalar(
        db.select(VisionVersion)
        .join(Vision)
        .where(Vision.school_id == school.id)
        .order_by(VisionVersion.number.desc())
        .limit(1)
    )


def _candidates(school) -> list[VisionVersion]:
    """The newest version, while it is not endorsed yet, is ready for the forum's agenda."""
    latest = latest_version_once(school)
    return [latest] if latest is not None and not latest.endorsements else []


def can_open(version: VisionVersion) -> str | None:
    """Why this version cannot be put to the forum now, or None."""
    latest = _latest(version.vision.school)
    if latest is not None and latest.number > version.number:
        return _("Er is al een nieuwere versie van de visie (versie %(n)s): leg die voor.", n=latest.number)
    return None


def register_forum_subject() -> None:
    """Make this kind of subject known to the forum (called by the feature's init_app)."""
    register_subject(
        KIND,
        label=_l("Visieversie"),
        loader=lambda subject_id: db.session.get(VisionVersion, subject_id),
        school=lambda version: version.vision.school,
        title=_title,
        url=_url,
        owner_users=lambda version: [version.published_by] if version.published_by else [],
        candidates=_candidates,
        can_open=can_open,
    )


def rounds_for(version: VisionVersion) -> list[AdviceRound]:
    """The forum's advice rounds on this version, newest first, with their advice and decisions."""
    return list(
        db.session.scalars(
            db.select(AdviceRound)
            .where(AdviceRound.subject_kind == KIND, AdviceRound.subject_id == version.id)
            .options(
                selectinload(AdviceRound.advice).selectinload(Advice.author),
                selectinload(AdviceRound.advice).selectinload(Advice.response).selectinload(AdviceResponse.author),
                selectinload(AdviceRound.decisions).selectinload(Decision.decided_by),
            )
            .order_by(AdviceRound.opened_at.desc(), AdviceRound.id.desc())
        )
    )


def has_finished_round(version: VisionVersion) -> bool:
    """Whether the forum's advice on this version is in: a round whose deadline passed or that was decided."""
    return db.session.scalar(
        db.select(AdviceRound.id)
        .where(
            AdviceRound.subject_kind == KIND,
            AdviceRound.subject_id == version.id,
            (AdviceRound.deadline <= utcnow()) | AdviceRound.decisions.any(),
        )
        .limit(1)
    ) is not None
