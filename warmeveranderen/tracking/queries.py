"""Reading the advisers' follow-up: indicators, ratings, sessions, milestones, well-being counts.

Nothing here changes state (see services.py): a page that shows the indicators before anyone saved
them gets their defaults, unsaved.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func
from sqlalchemy.orm import contains_eager, joinedload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import MILESTONES
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.defaults import DEFAULT_LEVEL_LABELS, INDICATORS
from warmeveranderen.tracking.models import (
    CoachingSession,
    IndicatorDefinition,
    IndicatorRating,
    Milestone,
    WellbeingMeasurement,
    session_advisers,
)
from warmeveranderen.tracking.windows import school_year

# --- indicators ---------------------------------------------------------------------------------


def saved_indicators() -> list[IndicatorDefinition]:
    return list(db.session.scalars(db.select(IndicatorDefinition).order_by(IndicatorDefinition.number)))


def default_indicator(number: int) -> IndicatorDefinition:
    """Indicator `number` as the programme defines it (not added to the session)."""
    title, guidance = next((t, g) for n, t, g in INDICATORS if n == number)
    return IndicatorDefinition(number=number, title=title, guidance=guidance,
                               **{f"label_{code}": label for code, label in DEFAULT_LEVEL_LABELS.items()})


def indicators() -> list[IndicatorDefinition]:
    """The nine definitions: those saved, and the defaults (unsaved) of any not saved yet."""
    found = saved_indicators()
    if len(found) == len(INDICATORS):
        return found
    present = {d.number: d for d in found}
    return [present.get(number) or default_indicator(number) for number, _title, _guidance in INDICATORS]


def indicator(number: int) -> IndicatorDefinition | None:
    return next((d for d in indicators() if d.number == number), None)


def rating_history(school: School) -> dict[int, list[IndicatorRating]]:
    """Every rating of the school per indicator id, newest first (with who rated: one statement)."""
    rows = db.session.scalars(
        db.select(IndicatorRating)
        .where(IndicatorRating.school_id == school.id)
        .options(joinedload(IndicatorRating.rated_by))
        .order_by(IndicatorRating.measured_on.desc(), IndicatorRating.id.desc())
    ).all()
    history: dict[int, list[IndicatorRating]] = {}
    for rating in rows:
        history.setdefault(rating.indicator_id, []).append(rating)
    return history


def current_ratings(school: School) -> dict[int, IndicatorRating]:
    """The latest rating per indicator id: the school's current state."""
    return {indicator_id: ratings[0] for indicator_id, ratings in rating_history(school).items()}


def rated_indicator_count(school: School) -> int:
    """How many indicators the school has a rating for (one count, however long the history)."""
    return db.session.scalar(
        db.select(func.count(func.distinct(IndicatorRating.indicator_id))).where(IndicatorRating.school_id == school.id)
    ) or 0


def rated_indicators_column():
    """The same count for the school the address names, read with the person (accounts/loading.py)."""
    return (db.select(func.count(func.distinct(IndicatorRating.indicator_id)))
            .where(IndicatorRating.school_id == bindparam("school_id")).scalar_subquery())


def rated_this_year(school: School, day: date | None = None) -> bool:
    year = school_year(day or today())
    return db.session.scalar(
        db.select(IndicatorRating.id)
        .where(IndicatorRating.school_id == school.id, IndicatorRating.school_year == year)
        .limit(1)
    ) is not None


# --- coaching sessions ---------------------------------------------------------------------------


def _with_people(statement, *order):
    """The sessions of `statement` with their school, network and advisers in the same statement, in
    `order` (read with .unique()). The advisers through two flat outer joins (in their own order, by
    name): for the nested join that joinedload writes for a many-to-many, SQLite read the advisers of
    every session of the programme (60 ms per statement at 5,000 schools)."""
    return (statement.outerjoin(session_advisers, session_advisers.c.session_id == CoachingSession.id)
            .outerjoin(User, User.id == session_advisers.c.user_id)
            .options(contains_eager(CoachingSession.advisers), joinedload(CoachingSession.school),
                     joinedload(CoachingSession.network))
            .order_by(*order, User.name, User.id))


_NEWEST_FIRST = (CoachingSession.held_on.desc(), CoachingSession.id.desc())


def school_sessions(school: School, limit: int) -> tuple[list[CoachingSession], int]:
    """The school's newest `limit` sessions (its individual sessions and its network's collective
    ones, newest first) and how many there are, in one statement."""
    condition = CoachingSession.school_id == school.id
    if school.network_id is not None:
        condition = condition | (
            (CoachingSession.kind == "collective") & (CoachingSession.network_id == school.network_id)
        )
    newest = (db.select(CoachingSession.id, func.count().over().label("total")).where(condition)
              .order_by(*_NEWEST_FIRST).limit(limit).subquery())
    rows = db.session.execute(_with_people(
        db.select(CoachingSession, newest.c.total).join(newest, newest.c.id == CoachingSession.id), *_NEWEST_FIRST
    )).unique().all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    return [], 0


def network_sessions(network: LearningNetwork) -> list[CoachingSession]:
    return db.session.scalars(_with_people(
        db.select(CoachingSession).where(CoachingSession.kind == "collective", CoachingSession.network_id == network.id),
        *_NEWEST_FIRST,
    )).unique().all()


def sessions_between(start: date, end: date) -> list[CoachingSession]:
    """Sessions held or planned from start to end inclusive (for calendar feeds and reminders)."""
    return db.session.scalars(_with_people(
        db.select(CoachingSession).where(CoachingSession.held_on >= start, CoachingSession.held_on <= end),
        CoachingSession.held_on, CoachingSession.id,
    )).unique().all()


def adviser_choices() -> list[User]:
    return db.session.scalars(
        db.select(User).where(User.is_adviser.is_(True), User.active.is_(True)).order_by(User.name)
    ).all()


# --- milestones ------------------------------------------------------------------------------------


def milestones(school: School) -> list[Milestone]:
    order = {kind: i for i, kind in enumerate(MILESTONES)}
    rows = db.session.scalars(db.select(Milestone).where(Milestone.school_id == school.id)).all()
    return sorted(rows, key=lambda m: (order.get(m.kind, 99), m.happened_on))




# --- well-being and involvement ---------------------------------------------------------------------


def measurements(school: School) -> list[WellbeingMeasurement]:
    return db.session.scalars(
        db.select(WellbeingMeasurement)
        .where(WellbeingMeasurement.school_id == school.id)
        .order_by(WellbeingMeasurement.school_year.desc(), WellbeingMeasurement.moment.desc(),
                  WellbeingMeasurement.group_name)
    ).all()


def has_measurement(school: School, year: str, moment: str) -> bool:
    return db.session.scalar(
        db.select(WellbeingMeasurement.id).where(
            WellbeingMeasurement.school_id == school.id,
            WellbeingMeasurement.school_year == year,
            WellbeingMeasurement.moment == moment,
        ).limit(1)
    ) is not None

