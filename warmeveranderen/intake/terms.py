"""Programme terms: what a new intake agreement copies (price, support package, matching, evaluation
moments, sprint length). Saving new terms adds a row; earlier terms stay."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.intake.models import ProgrammeTerms
from warmeveranderen.timeutil import today

CENT = Decimal("0.01")

# The support package of Warme Scholen 2017-2020 (slide deck "Warme scholen — hoe maak je het?").
DEFAULT_SUPPORT_PACKAGE = """\
- Intake met directie en bestuur
- Warme opstart: kick-off met het hele team en een warme kick-off met alle stakeholders
- Tweedaagse residentiële opstart van vliegwiel en directie (verblijfskosten voor 5 deelnemers inbegrepen)
- 8 collectieve sessies per lerend netwerk
- 4 individuele begeleidingssessies per schooljaar
- 2 dagen individuele begeleiding per schooljaar door CEGO: opvolging en screening van welbevinden en betrokkenheid
- Implementatie van LOOQIN: screening van welbevinden en betrokkenheid, met een databank van interventies
- Tenz: 4-daagse training (groepsdynamiek en klassfeer) en ondersteuning en coaching op maat (2 sessies per jaar)
- Deelname aan bijeenkomsten over de netwerken heen (expertisenetwerk)
"""

DEFAULT_TERMS = {
    "price_per_year": Decimal("1200.00"),
    "school_years": 3,
    "support_package": DEFAULT_SUPPORT_PACKAGE,
    "matching_ratio": Decimal("1.00"),
    "matching_cap": None,  # the seeds say 1:1 with no cap; a coordinator may set one
    "evaluation_count": 3,
    "evaluation_first_after_months": 9,
    "evaluation_spacing_months": 12,
    "sprint_weeks": 10,
}



def current_terms() -> ProgrammeTerms:
    """The terms in force: the newest saved row, or the programme's defaults (unsaved) when none is."""
    terms = db.session.scalar(db.select(ProgrammeTerms).order_by(ProgrammeTerms.id.desc()).limit(1))
    if terms is not None:
        return terms
    defaults = {**DEFAULT_TERMS, "sprint_weeks": int(current_app.config.get("SPRINT_WEEKS_DEFAULT", 10))}
    return ProgrammeTerms(**defaults)


def terms_history(limit: int = 20) -> list[ProgrammeTerms]:
    return db.session.scalars(
        db.select(ProgrammeTerms)
        .options(selectinload(ProgrammeTerms.created_by))
        .order_by(ProgrammeTerms.id.desc())
        .limit(limit)
    ).all()


def save_terms(data: dict, by: User) -> ProgrammeTerms:
    """Save new terms as a new row (earlier terms stay, as do agreements that copied them)."""
    terms = ProgrammeTerms(**{key: data[key] for key in DEFAULT_TERMS}, created_by=by)
    db.session.add(terms)
    db.session.flush()
    return terms


def matched_amount(own: Decimal | None, ratio: Decimal, cap: Decimal | None) -> Decimal:
    """The programme's matching euro: own x ratio, at most the cap when there is one."""
    matched = ((own or Decimal("0")) * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
    return matched if cap is None else min(matched, cap)


def default_start(on: date | None = None, journey_began: date | None = None) -> date:
    """The next 1 September (a school year's start); for a school whose sprints already run, the start
    of the school year in which they began, so the agreement covers the journey it is about."""
    on = on or today()
    if journey_began is not None and journey_began <= on:
        return date(journey_began.year if journey_began.month >= 9 else journey_began.year - 1, 9, 1)
    start = date(on.year, 9, 1)
    return start if start >= on else date(on.year + 1, 9, 1)


def default_evaluation_moments(start: date, terms) -> list[date]:
    return [
        start + relativedelta(months=terms.evaluation_first_after_months + k * terms.evaluation_spacing_months)
        for k in range(terms.evaluation_count)
    ]
