"""Evaluation moments that decide, partner days delivered, the investment envelope and its audit trail.

An evaluation belongs to one agreed moment of a school's intake agreement (school and date). The
adviser and the director prepare it while it is a draft; recording the decision freezes it with a
SHA-256 fingerprint over the review, the figures shown and the decision (the figures are kept as a
snapshot, so later records never change what was decided on). From then on the row is never edited:
the recorder signed by recording, the other party signs with their password.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow

Money = Numeric(12, 2)

DECISIONS = {
    "continue": _l("Verderzetten"),
    "adjust": _l("Bijsturen"),
    "stop": _l("Stoppen (uitstaprecht)"),
}
EVALUATION_STATES = {"draft": _l("In voorbereiding"), "decided": _l("Beslist, wacht op handtekening"),
                     "signed": _l("Beslist en ondertekend")}
SIGNING_ROLES = {"director": _l("Directie"), "adviser": _l("Adviseur")}
# Partners of the support package (seed 002) and what they deliver.
PARTNERS = {"cego": "CEGO", "tenz": "Tenz", "looqin": "LOOQIN"}
PARTNER_DAY_KINDS = {"training": _l("Opleidingsdag"), "coaching": _l("Coachingsdag"),
                     "support": _l("Individuele ondersteuning")}
AUDIT_ACTIONS = {
    "spend_added": _l("Uitgave ingevoerd"),
    "spend_removed": _l("Uitgave geschrapt"),
    "reallocated": _l("Vrijgekomen middelen toegewezen"),
    "partner_day": _l("Partnerdag ingevoerd"),
    "evaluation_decided": _l("Beslissing van een evaluatiemoment vastgelegd"),
    "evaluation_signed": _l("Evaluatiemoment ondertekend"),
}


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class Evaluation(db.Model):
    __tablename__ = "governance_evaluations"
    __table_args__ = (
        UniqueConstraint("school_id", "moment_on"),
        CheckConstraint(_in("state", EVALUATION_STATES), name="state"),
        CheckConstraint(f"decision IS NULL OR {_in('decision', DECISIONS)}", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    moment_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    ambitions_review: Mapped[str] = mapped_column(Text, default="")
    support_review: Mapped[str] = mapped_column(Text, default="")
    indicators_review: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(10))
    adjustment: Mapped[str] = mapped_column(Text, default="")
    next_on: Mapped[date | None] = mapped_column(Date)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    decided_by: Mapped[User | None] = relationship()
    signatures: Mapped[list[EvaluationSignature]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvaluationSignature.signed_at")

    @property
    def is_frozen(self) -> bool:
        return self.state != "draft"


class EvaluationSignature(db.Model):
    __tablename__ = "governance_evaluation_signatures"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "role", name="uq_governance_evaluation_signatures_role"),
        UniqueConstraint("evaluation_id", "user_id", name="uq_governance_evaluation_signatures_user"),
        CheckConstraint(_in("role", SIGNING_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("governance_evaluations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    fingerprint: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="signatures")
    user: Mapped[User] = relationship()


class PartnerDay(db.Model):
    """A day of a partner's support delivered to a school (CEGO, Tenz, LOOQIN)."""

    __tablename__ = "governance_partner_days"
    __table_args__ = (
        CheckConstraint(_in("partner", PARTNERS), name="partner"),
        CheckConstraint(_in("kind", PARTNER_DAY_KINDS), name="kind"),
        CheckConstraint("days > 0", name="days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    partner: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date] = mapped_column(Date)
    days: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()


class EnvelopeSpend(db.Model):
    """One item spent from a school's investment envelope: the school's own part and the matched part."""

    __tablename__ = "governance_envelope_spend"
    __table_args__ = (
        CheckConstraint("own_amount >= 0 AND matched_amount >= 0", name="amounts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    spent_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200))
    own_amount: Mapped[Decimal] = mapped_column(Money)
    matched_amount: Mapped[Decimal] = mapped_column(Money)
    removed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    created_by: Mapped[User | None] = relationship()


class Reallocation(db.Model):
    """Freed matched funds of one school given to a school that gains speed, with the reason."""

    __tablename__ = "governance_reallocations"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("from_school_id <> to_school_id", name="different_schools"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    to_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    from_school: Mapped[School] = relationship(foreign_keys=[from_school_id])
    to_school: Mapped[School] = relationship(foreign_keys=[to_school_id])
    by: Mapped[User | None] = relationship()


class FundsEvent(db.Model):
    """The audit trail of envelopes, partner days and evaluations: who did what, when, for which school."""

    __tablename__ = "governance_events"
    __table_args__ = (CheckConstraint(_in("action", AUDIT_ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School | None] = relationship()
    actor: Mapped[User | None] = relationship()
