"""Reads of star cases: the list, one case, and its timeline built from the school's own records.

Only what the school shares anyway is pulled in: a sprint's dates and goal, an initiative's title,
building block and state, a decision's outcome and reasons (never the individual advice), an
indicator's level (never the adviser's remark or notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from warmeveranderen.domain import BUILDING_BLOCKS, DECISION_OUTCOMES, INDICATOR_LEVELS, INITIATIVE_STATUSES
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Decision
from warmeveranderen.networks.models_cases import StarCase
from warmeveranderen.networks.permissions import staff_schools
from warmeveranderen.sprints.models import Initiative, Sprint
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.models import IndicatorRating

CANDIDATES_MAX = 200


@dataclass(frozen=True)
class Moment:
    kind: str
    ref_id: int
    on: date
    title: str
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref_id}"


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def candidates(school) -> list[Moment]:
    """Everything of the school a case may pull into its timeline, newest first."""
    from flask_babel import gettext as _

    found: list[Moment] = []
    for s in db.session.scalars(db.select(Sprint).where(Sprint.school_id == school.id, Sprint.start_date <= today())
                                .order_by(Sprint.number.desc()).limit(CANDIDATES_MAX)):
        found.append(Moment("sprint", s.id, s.start_date, _("Sprint %(n)s", n=s.number), s.goal))
    for i in db.session.scalars(db.select(Initiative).where(Initiative.school_id == school.id)
                                .order_by(Initiative.created_at.desc()).limit(CANDIDATES_MAX)):
        found.append(Moment("initiative", i.id, _day(i.created_at), _("Initiatief “%(t)s”", t=i.title),
                            f"{BUILDING_BLOCKS.get(i.building_block, '')} · {INITIATIVE_STATUSES.get(i.status, '')}"))
    for d in db.session.scalars(db.select(Decision).where(Decision.school_id == school.id)
                                .order_by(Decision.decided_at.desc()).limit(CANDIDATES_MAX)):
        found.append(Moment("decision", d.id, _day(d.decided_at),
                            _("Besluit: %(o)s – %(t)s", o=DECISION_OUTCOMES.get(d.outcome, d.outcome), t=d.subject_title),
                            d.reasons))
    for r in db.session.scalars(db.select(IndicatorRating).where(IndicatorRating.school_id == school.id)
                                .options(selectinload(IndicatorRating.indicator))
                                .order_by(IndicatorRating.measured_on.desc()).limit(CANDIDATES_MAX)):
        found.append(Moment("rating", r.id, r.measured_on,
                            _("Indicator %(n)s: %(level)s", n=r.indicator.number,
                              level=INDICATOR_LEVELS.get(r.level, r.level)), r.indicator.title))
    return sorted(found, key=lambda m: m.on, reverse=True)


def timeline(case: StarCase) -> list[Moment]:
    """The case's chosen moments, oldest first (a moment whose record is gone drops out)."""
    chosen = {(m.kind, m.ref_id) for m in case.moments}
    return sorted((m for m in candidates(case.school) if (m.kind, m.ref_id) in chosen), key=lambda m: m.on)


def load_case(case_id: int) -> StarCase | None:
    return db.session.scalars(db.select(StarCase).where(StarCase.id == case_id)
                              .options(selectinload(StarCase.moments), selectinload(StarCase.school))).first()


def cases_for(user) -> tuple[list[StarCase], list[StarCase]]:
    """Published cases (newest first), and the cases in the making the person works on."""
    published = db.session.scalars(db.select(StarCase).where(StarCase.state == "published")
                                   .options(selectinload(StarCase.school))
                                   .order_by(StarCase.published_at.desc())).all()
    query = db.select(StarCase).where(StarCase.state != "published").options(selectinload(StarCase.school))
    if not user.is_coordinator:
        schools = [s.id for s in staff_schools(user, ("director", "flywheel"))]
        advised = [a.school_id for a in user.adviser_assignments if a.school_id] if user.is_adviser else []
        networks = [a.network_id for a in user.adviser_assignments if a.network_id] if user.is_adviser else []
        from warmeveranderen.programme.models import School

        in_networks = db.select(School.id).where(School.network_id.in_(networks or [-1]))
        query = query.where(or_(StarCase.school_id.in_((schools + advised) or [-1]),
                                StarCase.school_id.in_(in_networks)))
    working = db.session.scalars(query.order_by(StarCase.updated_at.desc())).all()
    return published, working
