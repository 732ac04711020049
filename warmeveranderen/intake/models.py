"""The intake agreement (intakeovereenkomst): programme terms, agreements, versions, signatures, audit trail.

An agreement belongs to one school and holds versions. A version is edited only while it is a
draft; "ready for signature" freezes it with a SHA-256 fingerprint, and from then on the row is
never changed in content (only its state moves on). An amendment is a new version.
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

# Version states. A version starts as a draft; ready = frozen and awaiting signatures; active = all
# signed and in force; superseded = an amendment replaced it; ended = the agreement was ended while
# it was in force; withdrawn = taken back from signature (its content lives on in a new draft);
# discarded = a draft (or a pending amendment) that was dropped.
DRAFT = "draft"
READY = "ready"
ACTIVE = "active"
SUPERSEDED = "superseded"
ENDED = "ended"
WITHDRAWN = "withdrawn"
DISCARDED = "discarded"
VERSION_STATES = {
    DRAFT: _l("Concept"),
    READY: _l("Klaar voor ondertekening"),
    ACTIVE: _l("Van kracht"),
    SUPERSEDED: _l("Vervangen door een wijziging"),
    ENDED: _l("Beëindigd"),
    WITHDRAWN: _l("Teruggetrokken"),
    DISCARDED: _l("Geschrapt"),
}
# The versions that were (or are) the effective agreement.
EFFECTIVE_STATES = (ACTIVE, SUPERSEDED, ENDED)

# The signing parties: the school's directors and board members, and the programme's coordinator.
SIGNATORY_ROLES = {
    "director": _l("Directie"),
    "board": _l("Bestuur"),
    "coordinator": _l("Programmacoördinator"),
}

# What the audit trail records.
AUDIT_ACTIONS = {
    "opened": _l("Intake geopend"),
    "draft_saved": _l("Concept bewaard"),
    "ready": _l("Klaar voor ondertekening gezet"),
    "withdrawn": _l("Teruggetrokken uit ondertekening"),
    "discarded": _l("Concept geschrapt"),
    "signed": _l("Ondertekend"),
    "activated": _l("Overeenkomst van kracht"),
    "amendment_started": _l("Wijziging gestart"),
    "ended": _l("Overeenkomst beëindigd"),
    "shared": _l("Gedeeld met de school"),
    "unshared": _l("Niet langer gedeeld met de school"),
}


class ProgrammeTerms(db.Model):
    """The programme's terms. Every edit adds a row; the newest row is the current terms."""

    __tablename__ = "intake_programme_terms"
    __table_args__ = (
        CheckConstraint("price_per_year >= 0", name="price_non_negative"),
        CheckConstraint("matching_cap >= 0", name="cap_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    price_per_year: Mapped[Decimal] = mapped_column(Money)
    school_years: Mapped[int]
    support_package: Mapped[str] = mapped_column(Text)
    # Every euro the school invests is matched by `matching_ratio` euro, up to `matching_cap` if one is
    # set (the seeds say 1:1 with no cap, so there is none by default).
    matching_ratio: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    matching_cap: Mapped[Decimal | None] = mapped_column(Money)
    evaluation_count: Mapped[int]
    # The first evaluation moment comes this many months after the start, the next ones every spacing.
    evaluation_first_after_months: Mapped[int]
    evaluation_spacing_months: Mapped[int]
    # The length of a sprint in weeks (the sprints feature reads it).
    sprint_weeks: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()


class IntakeAgreement(db.Model):
    """A school's intake agreement; its versions hold the text."""

    __tablename__ = "intake_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), unique=True)
    # The school's journey as other features see it: draft / awaiting / active / ended / none
    # (kept by the services, so that overviews need no per-school work).
    state: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    # When the director shares the agreement, flywheel and forum members read all of it.
    shared_with_school: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    school: Mapped[School] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number", cascade="all, delete-orphan"
    )

    @property
    def effective(self) -> AgreementVersion | None:
        """The version in force (or last in force, once ended)."""
        return next((v for v in reversed(self.versions) if v.state in (ACTIVE, ENDED)), None)

    @property
    def pending(self) -> AgreementVersion | None:
        """The version being drafted or awaiting signatures (a first version or an amendment)."""
        return next((v for v in reversed(self.versions) if v.state in (DRAFT, READY)), None)

    @property
    def current(self) -> AgreementVersion | None:
        """The version a reader sees first: the one in force, else the one in the making."""
        return self.effective or self.pending

    def version(self, number: int) -> AgreementVersion | None:
        return next((v for v in self.versions if v.number == number), None)


class AgreementVersion(db.Model):
    """One text of the agreement. Frozen from "ready" on: only its state changes afterwards."""

    __tablename__ = "intake_agreement_versions"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        CheckConstraint(
            "state IN ('draft', 'ready', 'active', 'superseded', 'ended', 'withdrawn', 'discarded')", name="state"
        ),
        CheckConstraint("own_investment >= 0", name="investment_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("intake_agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    # The version this one amends or replaces, if any.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("intake_agreement_versions.id", ondelete="SET NULL"))

    strategic_intention: Mapped[str] = mapped_column(Text, default="")
    commitments: Mapped[list] = mapped_column(JSON, default=list)
    commitments_note: Mapped[str] = mapped_column(Text, default="")
    own_investment: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    matched_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    start_date: Mapped[date | None] = mapped_column(Date)
    duration_years: Mapped[int | None]

    # The programme terms, copied when the agreement was opened, so later edits of the terms
    # never change an agreement.
    terms_id: Mapped[int | None] = mapped_column(ForeignKey("intake_programme_terms.id", ondelete="SET NULL"))
    price_per_year: Mapped[Decimal] = mapped_column(Money)
    matching_ratio: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    matching_cap: Mapped[Decimal | None] = mapped_column(Money)
    support_package: Mapped[str] = mapped_column(Text, default="")

    fingerprint: Mapped[str | None] = mapped_column(String(64))
    frozen_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[IntakeAgreement] = relationship(back_populates="versions")
    previous: Mapped[AgreementVersion | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship()
    evaluation_moments: Mapped[list[EvaluationMoment]] = relationship(
        back_populates="version", order_by="EvaluationMoment.on_date", cascade="all, delete-orphan"
    )
    signatories: Mapped[list[Signatory]] = relationship(
        back_populates="version", order_by="Signatory.id", cascade="all, delete-orphan"
    )
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="version", order_by="Signature.signed_at", cascade="all, delete-orphan"
    )

    @property
    def end_date(self) -> date | None:
        """The last day of the agreed period."""
        from dateutil.relativedelta import relativedelta

        if self.start_date is None or not self.duration_years:
            return None
        return self.start_date + relativedelta(years=self.duration_years, days=-1)

    @property
    def total_price(self) -> Decimal | None:
        if not self.duration_years:
            return None
        return self.price_per_year * self.duration_years

    @property
    def is_frozen(self) -> bool:
        return self.fingerprint is not None

    def signature_for(self, signatory: Signatory) -> Signature | None:
        return next((s for s in self.signatures if s.signatory_id == signatory.id), None)

    @property
    def ordered_signatories(self) -> list[Signatory]:
        """Directors, then board members, then the coordinator."""
        order = list(SIGNATORY_ROLES)
        return sorted(self.signatories, key=lambda s: (order.index(s.role), s.id or 0))

    @property
    def missing_signatories(self) -> list[Signatory]:
        signed = {s.signatory_id for s in self.signatures}
        return [s for s in self.ordered_signatories if s.id not in signed]


class EvaluationMoment(db.Model):
    """A fixed moment at which the parties evaluate the collaboration."""

    __tablename__ = "intake_evaluation_moments"
    __table_args__ = (UniqueConstraint("version_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("intake_agreement_versions.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)

    version: Mapped[AgreementVersion] = relationship(back_populates="evaluation_moments")


class Signatory(db.Model):
    """A required signature: a named director or board member of the school, or "the coordinator"
    (user_id empty: any programme coordinator signs for the programme)."""

    __tablename__ = "intake_signatories"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id"),
        CheckConstraint("role IN ('director', 'board', 'coordinator')", name="role"),
        CheckConstraint("(role = 'coordinator') OR (user_id IS NOT NULL)", name="named_unless_coordinator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("intake_agreement_versions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)

    version: Mapped[AgreementVersion] = relationship(back_populates="signatories")
    user: Mapped[User | None] = relationship()


class Signature(db.Model):
    """Who signed which version, in which role, when, and the fingerprint they saw."""

    __tablename__ = "intake_signatures"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id"),
        UniqueConstraint("signatory_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("intake_agreement_versions.id", ondelete="CASCADE"), index=True)
    signatory_id: Mapped[int] = mapped_column(ForeignKey("intake_signatories.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[AgreementVersion] = relationship(back_populates="signatures")
    signatory: Mapped[Signatory] = relationship()
    user: Mapped[User] = relationship()


class IntakeEvent(db.Model):
    """The audit trail: every state change and signature of an agreement."""

    __tablename__ = "intake_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("intake_agreements.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("intake_agreement_versions.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[IntakeAgreement] = relationship()
    version: Mapped[AgreementVersion | None] = relationship()
    actor: Mapped[User | None] = relationship()
