"""Exports a coordinator re-imports without changes: one row per session, per well-being group.

The columns are those of the importers (`imports`), with Dutch labels; `tabular` writes CSV and .xlsx.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.tracking.dashboards import ReportFilters
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, WellbeingMeasurement
from warmeveranderen.tracking.services import COUNT_FIELDS, EMOTIONAL_FIELDS
from warmeveranderen.tracking.tabular import Column

SESSION_EXPORT = [
    Column("date", _l("Datum")), Column("kind", _l("Soort")), Column("network", _l("Lerend netwerk")),
    Column("school", _l("School")), Column("adviser_email", _l("Adviseur (e-mail)")),
    Column("duration_minutes", _l("Duur (minuten)")), Column("notes", _l("Notities")),
    Column("participants", _l("Deelnemers")), Column("summary", _l("Samenvatting")),
    Column("cancelled", _l("Geannuleerd")),
]
KIND_WORDS = {"collective": "collectief", "individual": "individueel"}


def session_export_rows(filters: ReportFilters | None = None) -> list[list]:
    """One row per session in the period and scope (one adviser per row, the importer's key: the first)."""
    filters = filters or ReportFilters()
    sessions = db.session.scalars(
        db.select(CoachingSession)
        .outerjoin(School, CoachingSession.school_id == School.id)
        .where(filters.on(CoachingSession.held_on))
        .options(selectinload(CoachingSession.advisers), selectinload(CoachingSession.network),
                 selectinload(CoachingSession.school))
        .order_by(CoachingSession.held_on, CoachingSession.id)
    ).all()
    if filters.city_id or filters.network_id:
        # As the report counts them: a school's sessions when the school is in scope, a network's collective
        # sessions when one of its schools is (a network may span cities).
        in_scope = dict(db.session.execute(db.select(School.id, School.network_id).where(filters.schools())).all())
        networks = {n for n in in_scope.values() if n}
        sessions = [s for s in sessions if (s.school_id in in_scope if s.kind == "individual" else
                                            s.network_id in networks)]
    return [
        [s.held_on, KIND_WORDS[s.kind], s.network.name if s.network else "",
         s.school.name if s.kind == "individual" and s.school else "",
         s.advisers[0].email if s.advisers else "", s.duration_minutes, s.notes, s.participants, s.summary,
         "ja" if s.cancelled else ""]
        for s in sessions
    ]


WELLBEING_EXPORT = [
    Column("school_year", _l("Schooljaar")), Column("moment", _l("Meetmoment")), Column("group", _l("Groep")),
    *[Column(name, label) for name, label in zip(COUNT_FIELDS, [
        _l("Welbevinden niveau %(n)s", n=n) for n in range(1, 6)] + [
        _l("Betrokkenheid niveau %(n)s", n=n) for n in range(1, 6)], strict=True)],
    *[Column(name, _l("Gezond emotioneel functioneren niveau %(n)s", n=n))
      for n, name in enumerate(EMOTIONAL_FIELDS, start=1)],
    Column("population", _l("Gescreend")),
]
POPULATION_EXPORT_WORDS = {"pupils": "leerlingen", "staff": "personeel"}


def wellbeing_export_rows(school: School) -> list[list]:
    rows = db.session.scalars(
        db.select(WellbeingMeasurement).where(WellbeingMeasurement.school_id == school.id)
        .order_by(WellbeingMeasurement.school_year, WellbeingMeasurement.moment, WellbeingMeasurement.group_name)
    ).all()
    return [[r.school_year, r.moment, r.group_name, *[getattr(r, f) for f in [*COUNT_FIELDS, *EMOTIONAL_FIELDS]],
             POPULATION_EXPORT_WORDS[r.population]] for r in rows]


RATING_EXPORT = [
    Column("school", _l("School")), Column("indicator", _l("Indicator")), Column("measured_on", _l("Meetmoment")),
    Column("level", _l("Niveau")), Column("remark", _l("Opmerking")), Column("evidence", _l("Bewijs (links)")),
    Column("adviser_email", _l("Adviseur (e-mail)")),
]


def rating_export_rows(filters: ReportFilters | None = None) -> list[list]:
    """Every rating (not only the latest) per school, indicator and moment, in the period and scope."""
    filters = filters or ReportFilters()
    ratings = db.session.scalars(
        db.select(IndicatorRating).join(School, IndicatorRating.school_id == School.id)
        .where(filters.on(IndicatorRating.measured_on), filters.schools())
        .options(selectinload(IndicatorRating.school), selectinload(IndicatorRating.indicator),
                 selectinload(IndicatorRating.rated_by))
        .order_by(School.name, IndicatorRating.measured_on, IndicatorRating.indicator_id)
    ).all()
    return [[r.school.name, r.indicator.number, r.measured_on, r.level, r.remark, r.evidence,
             r.rated_by.email if r.rated_by else ""] for r in ratings]
