"""The decision archive: the school's decisions in force, searched by sprint, building block,
stakeholder group, outcome and text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Advice, AdviceRound, Decision
from warmeveranderen.programme.models import School


@dataclass
class ArchiveFilters:
    sprint_id: int | None = None
    building_block: str | None = None
    stakeholder_group: str | None = None
    outcome: str | None = None
    text: str = ""

    @classmethod
    def from_form(cls, form) -> ArchiveFilters:
        """The filters of the archive's search form (ArchiveFilterForm); a field that did not validate filters nothing."""

        def value(field, empty=None):
            return empty if field.errors else (field.data or empty)

        return cls(sprint_id=value(form.sprint), building_block=value(form.block), stakeholder_group=value(form.group),
                   outcome=value(form.outcome), text=value(form.q, ""))


def archive(school: School, filters: ArchiveFilters, limit: int = 200) -> list[Decision]:
    """The school's decisions in force (corrections replace what they correct), newest first."""
    corrected = db.select(Decision.corrects_id).where(Decision.corrects_id.is_not(None))
    query = (
        db.select(Decision)
        .where(Decision.school_id == school.id, Decision.id.not_in(corrected))
        .options(
            selectinload(Decision.decided_by),
            selectinload(Decision.sprint),
            selectinload(Decision.corrects),
            selectinload(Decision.round).selectinload(AdviceRound.advice),
        )
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(limit)
    )
    if filters.sprint_id:
        query = query.where(Decision.sprint_id == filters.sprint_id)
    if filters.building_block:
        query = query.where((Decision.building_block == filters.building_block)
                            | (Decision.secondary_block == filters.building_block))
    if filters.outcome:
        query = query.where(Decision.outcome == filters.outcome)
    if filters.stakeholder_group:
        query = query.where(Decision.round_id.in_(
            db.select(Advice.round_id).where(Advice.stakeholder_group == filters.stakeholder_group)
        ))
    text = (filters.text or "").strip()
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            db.func.lower(Decision.subject_title).like(pattern)
            | db.func.lower(Decision.reasons).like(pattern)
            | Decision.round_id.in_(
                db.select(AdviceRound.id).where(db.func.lower(AdviceRound.question).like(pattern))
            )
        )
    return db.session.scalars(query).all()

