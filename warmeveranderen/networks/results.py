"""Reads of self-scans and the expertise network: a scan's strengths and gaps, compared with the
previous scan of the same kind, and who or what can help with a gap."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.networks.catalogue import GAP_MAX, SCAN_KINDS, STRENGTH_MIN, Question
from warmeveranderen.networks.models_more import Partner, PartnerOffer, SelfScan, SelfScanAnswer
from warmeveranderen.sprints.models import BasketItem


@dataclass
class Row:
    question: Question
    score: int | None
    note: str
    previous: int | None
    initiative: object = None

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass
class ThemeResult:
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        scores = [r.score for r in self.rows if r.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def previous_average(self) -> float | None:
        scores = [r.previous for r in self.rows if r.previous is not None]
        return sum(scores) / len(scores) if scores else None


def scans_of(school) -> list[SelfScan]:
    return db.session.scalars(
        db.select(SelfScan).where(SelfScan.school_id == school.id)
        .options(selectinload(SelfScan.answers), selectinload(SelfScan.started_by))
        .order_by(SelfScan.created_at.desc(), SelfScan.id.desc())
    ).all()


def last_scan(school) -> SelfScan | None:
    """The school's newest self-scan, without its answers (a panel's link)."""
    return db.session.scalars(
        db.select(SelfScan).where(SelfScan.school_id == school.id)
        .order_by(SelfScan.created_at.desc(), SelfScan.id.desc()).limit(1)
    ).first()


def load_scan(scan_id: int) -> SelfScan | None:
    return db.session.scalars(
        db.select(SelfScan).where(SelfScan.id == scan_id)
        .options(selectinload(SelfScan.answers).selectinload(SelfScanAnswer.initiative),
                 selectinload(SelfScan.school), selectinload(SelfScan.started_by))
    ).first()


def previous_scan(scan: SelfScan) -> SelfScan | None:
    """The school's last completed scan of the same kind before this one."""
    return db.session.scalars(
        db.select(SelfScan).where(SelfScan.school_id == scan.school_id, SelfScan.kind == scan.kind,
                                  SelfScan.completed_at.is_not(None), SelfScan.id != scan.id,
                                  SelfScan.created_at <= scan.created_at)
        .options(selectinload(SelfScan.answers))
        .order_by(SelfScan.created_at.desc(), SelfScan.id.desc()).limit(1)
    ).first()


def result(scan: SelfScan, previous: SelfScan | None) -> list[ThemeResult]:
    themes = []
    for theme in SCAN_KINDS[scan.kind].themes:
        out = ThemeResult(str(theme.title))
        for question in theme.questions:
            answer = scan.answer_for(question.code)
            before = previous.answer_for(question.code) if previous else None
            out.rows.append(Row(question, answer.score if answer else None, answer.note if answer else "",
                                before.score if before else None, answer.initiative if answer else None))
        themes.append(out)
    return themes


def strengths(themes: list[ThemeResult]) -> list[Row]:
    return [r for t in themes for r in t.rows if r.score is not None and r.score >= STRENGTH_MIN]


def gaps(themes: list[ThemeResult]) -> list[Row]:
    rows = [r for t in themes for r in t.rows if r.score is not None and r.score <= GAP_MAX]
    return sorted(rows, key=lambda r: r.score)


def matching_basket(programme_id: int, block: str, level: str | None, strategy: str | None, limit=3):
    """Offer-basket items for a building block, those in the same health-matrix cell first."""
    items = db.session.scalars(db.select(BasketItem).where(
        BasketItem.programme_id == programme_id, BasketItem.active.is_(True), BasketItem.building_block == block,
    ).order_by(BasketItem.title)).all()
    items.sort(key=lambda i: (i.health_level, i.health_strategy) != (level, strategy))
    return items[:limit]


def partners(programme_id: int, *, block=None, cell=None, city_id=None, include_inactive=False) -> list[Partner]:
    """The expertise network, filtered by building block, health-matrix cell and warm city."""
    query = (db.select(Partner).where(Partner.programme_id == programme_id)
             .options(selectinload(Partner.cities), selectinload(Partner.offers).selectinload(PartnerOffer.basket_item))
             .order_by(Partner.name))
    if not include_inactive:
        query = query.where(Partner.active.is_(True))
    found = db.session.scalars(query).all()
    if block:
        found = [p for p in found if block in (p.building_blocks or [])]
    if cell:
        found = [p for p in found if cell in (p.health_cells or [])]
    if city_id:
        found = [p for p in found if p.everywhere or any(c.id == city_id for c in p.cities)]
    return found


def partner_of(basket_item_id: int) -> Partner | None:
    return db.session.scalar(db.select(Partner).join(PartnerOffer).where(PartnerOffer.basket_item_id == basket_item_id))


def helpers_for(programme_id: int, block: str, level: str | None, strategy: str | None, city_id=None, limit=3):
    """Partners who help with this building block or health-matrix cell, in the school's city."""
    cell = f"{level}:{strategy}" if level and strategy else None
    found = [p for p in partners(programme_id, city_id=city_id)
             if block in (p.building_blocks or []) or (cell and cell in (p.health_cells or []))]
    found.sort(key=lambda p: not (cell and cell in (p.health_cells or [])))
    return found[:limit]
