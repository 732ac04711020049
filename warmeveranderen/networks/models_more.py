"""Self-scans of a school and the programme's expertise network (partners)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School, WarmCity
from warmeveranderen.sprints.models import BasketItem, Initiative
from warmeveranderen.timeutil import utcnow


class SelfScan(db.Model):
    """One run of a self-scan (zelfscan) by a school; answers per question of the catalogue's kind."""

    __tablename__ = "self_scans"
    __table_args__ = (Index("ix_self_scans_school_kind_created", "school_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    school: Mapped[School] = relationship()
    started_by: Mapped[User | None] = relationship()
    answers: Mapped[list[SelfScanAnswer]] = relationship(back_populates="scan", cascade="all, delete-orphan")

    def answer_for(self, code: str) -> SelfScanAnswer | None:
        return next((a for a in self.answers if a.question == code), None)


class SelfScanAnswer(db.Model):
    """One answer: a score on the scan's scale and a note; a gap may have become an initiative."""

    __tablename__ = "self_scan_answers"
    __table_args__ = (
        UniqueConstraint("scan_id", "question", name="uq_self_scan_answers_scan_question"),
        CheckConstraint("score IS NULL OR (score BETWEEN 1 AND 4)", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("self_scans.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(40))
    score: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)

    scan: Mapped[SelfScan] = relationship(back_populates="answers")
    initiative: Mapped[Initiative | None] = relationship()


partner_cities = Table(
    "partner_cities", db.metadata,
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Column("city_id", ForeignKey("warm_cities.id", ondelete="CASCADE"), primary_key=True),
)


class Partner(db.Model):
    """A partner of the expertise network (CLB, CEGO, Tenz, LOOQIN, a local organisation)."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("programme_id", "name", name="uq_partners_programme_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    # What they offer (Markdown).
    offer: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(255), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    # Their commitments to the programme (Markdown): days, trainings, sessions.
    commitments: Mapped[str] = mapped_column(Text, default="")
    building_blocks: Mapped[list] = mapped_column(JSON, default=list)
    # Health-matrix cells as "level:strategy" codes.
    health_cells: Mapped[list] = mapped_column(JSON, default=list)
    # Serves every warm city (when false: the cities in partner_cities).
    everywhere: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cities: Mapped[list[WarmCity]] = relationship(secondary=partner_cities, order_by="WarmCity.name")
    offers: Mapped[list[PartnerOffer]] = relationship(back_populates="partner", cascade="all, delete-orphan")


class PartnerOffer(db.Model):
    """An offer-basket item that this partner provides (a basket item names at most one partner)."""

    __tablename__ = "partner_offers"
    __table_args__ = (UniqueConstraint("basket_item_id", name="uq_partner_offers_basket_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    basket_item_id: Mapped[int] = mapped_column(ForeignKey("basket_items.id", ondelete="CASCADE"))

    partner: Mapped[Partner] = relationship(back_populates="offers")
    basket_item: Mapped[BasketItem] = relationship()
