"""The figures of an evaluation and the programme's envelopes: support delivered against the package,
the envelope spent and reallocated, and the indicators' movement — all from the app's own records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func

from warmeveranderen.extensions import db
from warmeveranderen.governance.models_funds import EnvelopeSpend, Evaluation, FundsEvent, PartnerDay, Reallocation
from warmeveranderen.intake.models import ACTIVE, ENDED, AgreementVersion, IntakeAgreement
from warmeveranderen.intake.queries import agreement_once as agreement_for  # pages that read: once per request
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.models import CoachingSession
from warmeveranderen.tracking.queries import rating_history

ZERO = Decimal("0.00")
# What the support package promises (seed 002): per school year, unless "journey" (over the whole journey).
PACKAGE = {
    "individual": (4, "year"),       # individual sessions per school
    "collective": (8, "journey"),    # collective sessions per learning network
    "cego": (2, "year"),             # CEGO days of individual support
    "tenz_training": (4, "journey"), # Tenz: a four-day training
    "tenz_coaching": (2, "year"),    # Tenz coaching sessions
}


def support_labels() -> dict[str, str]:
    return {"individual": _("Individuele sessies"), "collective": _("Collectieve sessies (lerend netwerk)"),
            "cego": _("Dagen CEGO"), "tenz_training": _("Opleidingsdagen Tenz"),
            "tenz_coaching": _("Coachingsdagen Tenz")}


@dataclass
class SupportLine:
    key: str
    agreed: float
    delivered: float

    @property
    def gap(self) -> float:
        return max(0.0, round(self.agreed - self.delivered, 1))


def effective_version(school: School) -> AgreementVersion | None:
    agreement = agreement_for(school)
    return agreement.effective if agreement is not None else None


def _years_elapsed(version: AgreementVersion, until: date) -> float:
    if version.start_date is None or until <= version.start_date:
        return 0.0
    end = min(until, version.end_date or until)
    return round((end - version.start_date).days / 365.25, 2)


def _support_window(school: School, until: date) -> tuple[AgreementVersion, date] | None:
    """The version in force and the day support is counted to (an ended agreement promised nothing after
    its end); None without a started agreement."""
    agreement = agreement_for(school)
    version = agreement.effective if agreement is not None else None
    if version is None or version.start_date is None:
        return None
    return version, min(until, agreement.ended_on) if agreement.ended_on is not None else until


def _delivered_sums(school: School, version: AgreementVersion, until: date) -> list:
    """Sessions held and partner days from the start to `until`, as five scalar subqueries."""
    start = version.start_date

    def held(condition):
        return db.select(func.count()).select_from(CoachingSession).where(
            CoachingSession.cancelled.is_(False), CoachingSession.held_on >= start, CoachingSession.held_on <= until,
            condition,
        ).scalar_subquery()

    def days(*condition):
        return db.select(func.sum(PartnerDay.days)).where(
            PartnerDay.school_id == school.id, PartnerDay.held_on >= start, PartnerDay.held_on <= until, *condition
        ).scalar_subquery()

    return [
        held((CoachingSession.kind == "individual") & (CoachingSession.school_id == school.id)),
        held((CoachingSession.kind == "collective") & (CoachingSession.network_id == school.network_id)),
        days(PartnerDay.partner == "cego"),
        days(PartnerDay.partner == "tenz", PartnerDay.kind == "training"),
        days(PartnerDay.partner == "tenz", PartnerDay.kind == "coaching"),
    ]


def _support_lines(version: AgreementVersion, until: date, delivered) -> list[SupportLine]:
    years = _years_elapsed(version, until)
    duration = version.duration_years or 3

    def agreed(key: str) -> float:
        amount, per = PACKAGE[key]
        share = years if per == "year" else min(1.0, years / duration)
        return float(int(amount * share))  # what is due by now, whole sessions and days

    individual, collective, cego, training, coaching = delivered
    return [
        SupportLine("individual", agreed("individual"), float(individual or 0)),
        SupportLine("collective", agreed("collective"), float(collective or 0)),
        # No CEGO day is 0 (an int), as frozen snapshots have it.
        SupportLine("cego", agreed("cego"), float(cego) if cego is not None else 0),
        SupportLine("tenz_training", agreed("tenz_training"), float(training or 0)),
        SupportLine("tenz_coaching", agreed("tenz_coaching"), float(coaching or 0)),
    ]


def support(school: School, until: date) -> list[SupportLine]:
    """What the package promised by `until` (pro rata of the agreed years) against what was delivered
    (one statement). An ended agreement promised nothing after its end."""
    window = _support_window(school, until)
    if window is None:
        return []
    return _support_lines(*window, _sums(_delivered_sums(school, *window)))


def _sums(columns: list) -> tuple:
    """Scalar subqueries read together: one statement."""
    return tuple(db.session.execute(db.select(*columns)).one())


@dataclass
class Envelope:
    own_agreed: Decimal
    matched_agreed: Decimal
    received: Decimal
    given: Decimal
    own_spent: Decimal
    matched_spent: Decimal

    @property
    def matched_available(self) -> Decimal:
        return self.matched_agreed + self.received - self.given

    @property
    def matched_left(self) -> Decimal:
        return self.matched_available - self.matched_spent

    @property
    def own_left(self) -> Decimal:
        return self.own_agreed - self.own_spent


def _envelope_sums(school: School) -> list:
    """Own and matched spend, funds received and given: four scalar subqueries."""
    def total(column, *condition):
        return db.select(func.coalesce(func.sum(column), 0)).where(*condition).scalar_subquery()

    live = (EnvelopeSpend.school_id == school.id, EnvelopeSpend.removed_at.is_(None))
    return [total(EnvelopeSpend.own_amount, *live), total(EnvelopeSpend.matched_amount, *live),
            total(Reallocation.amount, Reallocation.to_school_id == school.id),
            total(Reallocation.amount, Reallocation.from_school_id == school.id)]


def _envelope(school: School, sums) -> Envelope:
    version = effective_version(school)
    own = version.own_investment if version else ZERO
    matched = version.matched_amount if version else ZERO
    own_spent, matched_spent, received, given = sums
    return Envelope(Decimal(own), Decimal(matched), Decimal(received), Decimal(given), Decimal(own_spent),
                    Decimal(matched_spent))


def envelope(school: School) -> Envelope:
    return _envelope(school, _sums(_envelope_sums(school)))


def support_and_envelope(school: School, until: date) -> tuple[list[SupportLine], Envelope]:
    """`support` and `envelope` in one statement, for the pages that show both."""
    window = _support_window(school, until)
    sums = _sums(_envelope_sums(school) + (_delivered_sums(school, *window) if window else []))
    return (_support_lines(*window, sums[4:]) if window else []), _envelope(school, sums[:4])


def _freed(school: School, env: Envelope) -> Decimal:
    agreement = agreement_for(school)
    if agreement is None or agreement.state != ENDED:
        return ZERO
    return max(ZERO, env.matched_left)


def freed_funds(school: School) -> Decimal:
    """Matched funds a school no longer uses: what is left of an ended agreement's matched part."""
    return _freed(school, envelope(school))


def spend_items(school: School) -> list[EnvelopeSpend]:
    return list(db.session.scalars(db.select(EnvelopeSpend).where(EnvelopeSpend.school_id == school.id)
                                   .order_by(EnvelopeSpend.spent_on.desc(), EnvelopeSpend.id.desc())))


def partner_days(school: School) -> list[PartnerDay]:
    return list(db.session.scalars(db.select(PartnerDay).where(PartnerDay.school_id == school.id)
                                   .order_by(PartnerDay.held_on.desc())))


def indicator_movement(school: School) -> list[dict]:
    """Per rated indicator: the first and the latest level, and when."""
    moves = []
    for ratings in rating_history(school).values():
        first, last = ratings[-1], ratings[0]
        moves.append({"number": last.indicator.number, "from": first.level, "to": last.level,
                      "from_on": first.measured_on.isoformat(), "to_on": last.measured_on.isoformat()})
    return sorted(moves, key=lambda m: m["number"])


def agreed_moments(school: School) -> list[date]:
    version = effective_version(school)
    return [m.on_date for m in version.evaluation_moments] if version else []


def evaluations(school: School) -> list[Evaluation]:
    return list(db.session.scalars(db.select(Evaluation).where(Evaluation.school_id == school.id)
                                   .order_by(Evaluation.moment_on)))


def moments(school: School) -> list[tuple[date, Evaluation | None]]:
    """The agreed moments and the next moments decided at evaluations, each with its evaluation if any."""
    found = {e.moment_on: e for e in evaluations(school)}
    days = set(agreed_moments(school)) | set(found) | {e.next_on for e in found.values() if e.next_on}
    return [(d, found.get(d)) for d in sorted(days)]


def next_moment_after(school: School, day: date) -> date | None:
    return next((d for d in agreed_moments(school) if d > day), None)


def snapshot(school: School, until: date) -> dict:
    """The figures the decision is taken on, kept with it."""
    lines, env = support_and_envelope(school, until)
    return {
        "support": [{"key": s.key, "agreed": s.agreed, "delivered": s.delivered} for s in lines],
        "envelope": {k: str(getattr(env, k)) for k in ("own_agreed", "matched_agreed", "received", "given",
                                                         "own_spent", "matched_spent")},
        "indicators": indicator_movement(school),
    }


def fingerprint(evaluation: Evaluation) -> str:
    content = {
        "school": evaluation.school_id, "moment": evaluation.moment_on.isoformat(),
        "ambitions": evaluation.ambitions_review, "support": evaluation.support_review,
        "indicators": evaluation.indicators_review, "decision": evaluation.decision,
        "adjustment": evaluation.adjustment, "next_on": evaluation.next_on.isoformat() if evaluation.next_on else None,
        "snapshot": evaluation.snapshot,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def programme_rows() -> list[dict]:
    """Every school with an agreement in force or ended: envelope and support gaps (the coordinator's page)."""
    schools = db.session.scalars(
        db.select(School).join(IntakeAgreement, IntakeAgreement.school_id == School.id)
        .where(IntakeAgreement.state.in_((ACTIVE, ENDED))).order_by(School.name)
    ).all()
    rows = []
    for school in schools:
        lines, env = support_and_envelope(school, today())
        rows.append({"school": school, "envelope": env, "support": lines,
                     "gaps": [line for line in lines if line.gap >= 1], "freed": _freed(school, env),
                     "ended": agreement_for(school).state == ENDED})
    # Schools with gaps first: what the coordinator has to act on.
    return sorted(rows, key=lambda r: (not r["gaps"], r["school"].name))


def audit_trail(limit: int = 200) -> list[FundsEvent]:
    return list(db.session.scalars(db.select(FundsEvent).order_by(FundsEvent.at.desc(), FundsEvent.id.desc())
                                   .limit(limit)))
