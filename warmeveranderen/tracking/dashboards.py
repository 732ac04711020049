"""Read-only aggregates for the programme page, the network page and the programme report.

Everything here is computed in SQL with a fixed number of queries, whatever the number of schools:
the programme page shows one page of schools at a time. The programme-wide report's figures are
read through the programme's short-lived cache (`programme.filters.programme_totals`), which a
change to tracking's models clears (feature.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from flask_babel import get_locale
from sqlalchemy import case, func
from sqlalchemy.orm import aliased, joinedload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import INDICATOR_LEVELS
from warmeveranderen.extensions import db
from warmeveranderen.parts import stall_flags
from warmeveranderen.programme.filters import programme_totals
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, School
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, WellbeingMeasurement
from warmeveranderen.tracking.windows import school_year

PAGE_SIZE = 50
LEVELS = tuple(INDICATOR_LEVELS)


def adviser_scope(adviser_id: int):
    """A condition on School: the schools this adviser coaches, directly or through a network."""
    mine = AdviserAssignment.adviser_id == adviser_id
    school_ids = db.select(AdviserAssignment.school_id).where(mine, AdviserAssignment.school_id.is_not(None))
    network_ids = db.select(AdviserAssignment.network_id).where(mine, AdviserAssignment.network_id.is_not(None))
    # One list of ids (a UNION, each part through its own index), not "in these OR in those networks":
    # PostgreSQL read every school for the OR (1.9 → 0.8 ms at 5,000 schools).
    in_network = aliased(School)
    return School.id.in_(db.union(school_ids, db.select(in_network.id).where(in_network.network_id.in_(network_ids))))


def user_scope(user: User):
    """What a person may see programme-wide: all schools for the coordinator, one's own for an adviser."""
    if user.is_coordinator:
        return db.true()
    return adviser_scope(user.id)


def latest_ratings(school_ids=None, condition=None):
    """A subquery (school_id, indicator_id, level, measured_on): the latest rating per school and indicator."""
    rn = func.row_number().over(
        partition_by=(IndicatorRating.school_id, IndicatorRating.indicator_id),
        order_by=(IndicatorRating.measured_on.desc(), IndicatorRating.id.desc()),
    ).label("rn")
    inner = db.select(
        IndicatorRating.school_id, IndicatorRating.indicator_id, IndicatorRating.level, IndicatorRating.measured_on, rn
    )
    if school_ids is not None:
        inner = inner.where(IndicatorRating.school_id.in_(school_ids))
    if condition is not None:
        inner = inner.where(condition)
    inner = inner.subquery()
    return (
        db.select(inner.c.school_id, inner.c.indicator_id, inner.c.level, inner.c.measured_on)
        .where(inner.c.rn == 1)
        .subquery("latest")
    )


# --- the programme page -------------------------------------------------------------------------------


@dataclass
class MatrixFilters:
    city_id: int | None = None
    network_id: int | None = None
    level: str | None = None  # the school's level (basis, secundair, buitengewoon)
    adviser_id: int | None = None
    indicator_id: int | None = None
    score: str | None = None  # an indicator level, with indicator_id
    stalled: str | None = None  # "ja": only schools with a signal of stalling, "nee": only those without
    page: int = 1


@dataclass
class Matrix:
    schools: list[School]
    levels: dict[tuple[int, int], str]  # (school_id, indicator_id) -> level code
    flags: dict[int, list[str]]
    total: int
    page: int
    pages: int
    filters: MatrixFilters
    options: dict = field(default_factory=dict)
    stalled_total: int = 0  # schools with a signal, of all that match the other filters
    reasons: list[tuple[str, int]] = field(default_factory=list)  # each signal with its number of schools


def programme_matrix(user: User, filters: MatrixFilters, indicator_ids: list[int]) -> Matrix:
    """One page of schools in the user's scope with their current level per indicator and stall flags."""
    conditions = [user_scope(user)]
    if filters.city_id:
        conditions.append(School.city_id == filters.city_id)
    if filters.network_id:
        conditions.append(School.network_id == filters.network_id)
    if filters.level:
        conditions.append(School.level == filters.level)
    if filters.adviser_id:
        conditions.append(adviser_scope(filters.adviser_id))
    if filters.indicator_id and filters.score:
        latest = latest_ratings()
        if filters.score == "none":
            rated = db.select(latest.c.school_id).where(latest.c.indicator_id == filters.indicator_id)
            conditions.append(School.id.not_in(rated))
        else:
            conditions.append(School.id.in_(
                db.select(latest.c.school_id).where(
                    latest.c.indicator_id == filters.indicator_id, latest.c.level == filters.score
                )
            ))
    # The signals of every school that matches (not only this page's), so they can be counted and filtered:
    # those of the whole programme (cached), narrowed to the matching schools.
    programme_flags = programme_stall_flags()
    if len(conditions) == 1 and user.is_coordinator:  # every school matches
        all_flags = programme_flags
    else:  # the matching ids as plain rows (no ORM loading: up to 5,000 of them)
        matching = db.session.execute(db.select(School.__table__.c.id).where(*conditions)).scalars()
        all_flags = {i: programme_flags[i] for i in matching if i in programme_flags}
    reasons = Counter(reason for found in all_flags.values() for reason in found)
    if filters.stalled == "ja":
        conditions.append(School.id.in_(list(all_flags)))
    elif filters.stalled == "nee":
        conditions.append(School.id.not_in(list(all_flags)))
    total = db.session.scalar(db.select(func.count(School.id)).where(*conditions))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(filters.page, 1), pages)
    schools = db.session.scalars(
        db.select(School)
        .where(*conditions)
        .options(joinedload(School.city), joinedload(School.network))
        .order_by(School.name, School.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    levels: dict[tuple[int, int], str] = {}
    if schools:
        latest = latest_ratings([s.id for s in schools])
        for school_id, indicator_id, level, _measured in db.session.execute(db.select(latest)):
            levels[(school_id, indicator_id)] = level
    filters.page = page
    return Matrix(schools=schools, levels=levels, flags={s.id: all_flags.get(s.id, []) for s in schools}, total=total,
                  page=page, pages=pages, filters=filters, stalled_total=len(all_flags),
                  reasons=sorted(reasons.items(), key=lambda r: (-r[1], r[0])))


def programme_stall_flags() -> dict[int, list[str]]:
    """Every school's signals of stalling (the stall checks), cached per language (the reasons are texts).
    A change to the ratings or schools has them recounted in the background at once (the page shows the
    previous ones meanwhile); a sprint closed or forum held shows within REPORT_CACHE_SECONDS."""

    def compute():
        schools = [SimpleNamespace(id=i, created_at=c)
                   for i, c in db.session.execute(db.select(School.id, School.created_at))]
        return {k: list(v) for k, v in stall_flags(schools).items() if v}

    # Stale after a change, not dropped: counting takes 1.6 s on PostgreSQL at 5,000 schools.
    return programme_totals(f"stall_flags:{get_locale()}", compute, survives_clear=True)


def network_matrix(network: LearningNetwork) -> tuple[list[School], dict[tuple[int, int], str]]:
    schools = db.session.scalars(
        db.select(School).where(School.network_id == network.id).order_by(School.name)
    ).all()
    levels = {}
    if schools:
        latest = latest_ratings([s.id for s in schools])
        for school_id, indicator_id, level, _measured in db.session.execute(db.select(latest)):
            levels[(school_id, indicator_id)] = level
    return schools, levels


# --- the programme report -------------------------------------------------------------------------------


# A report's scope: None (the whole programme), a condition on School, or the ids of the schools in
# view (`schools_in_view`; the database then knows how few they are, as it does not for a subquery).


def in_scope(column, scope, filters: ReportFilters | None = None):
    """A condition: `column` (a school id) is one of the schools in scope, narrowed by the filters."""
    if isinstance(scope, list | tuple):
        return column.in_(scope)
    return column.in_(db.select(School.id).where((filters or ReportFilters()).schools(scope)))


def schools_in_view(scope, filters: ReportFilters) -> list[int] | None:
    """The ids of the schools a report covers (scope and warm city, network); None for the whole programme."""
    if scope is None and not filters.city_id and not filters.network_id:
        return None
    return list(db.session.scalars(db.select(School.id).where(filters.schools(scope)).order_by(School.id)))


@dataclass(frozen=True)
class ReportFilters:
    """The report's period (inclusive dates) and scope (warm city, learning network); None is "all"."""

    start: date | None = None
    end: date | None = None
    city_id: int | None = None
    network_id: int | None = None

    @property
    def empty(self) -> bool:
        return self == ReportFilters()

    def schools(self, scope=None):
        """A condition on School: the user's scope (a condition or school ids) narrowed to the city and network."""
        if isinstance(scope, list | tuple):
            scope = School.id.in_(scope)
        conditions = [db.true() if scope is None else scope]
        if self.city_id:
            conditions.append(School.city_id == self.city_id)
        if self.network_id:
            conditions.append(School.network_id == self.network_id)
        return db.and_(*conditions)

    def on(self, column):
        """A condition on a date column: within the period."""
        conditions = [db.true()]
        if self.start:
            conditions.append(column >= self.start)
        if self.end:
            conditions.append(column <= self.end)
        return db.and_(*conditions)


def session_counts(scope=None, filters: ReportFilters | None = None, day: date | None = None) -> list[dict]:
    """Per network: its collective sessions, then per school its individual sessions (the report's 3.1).

    Counted are the sessions held in the period: not cancelled and dated on or before `day` (today);
    those dated later are "planned", counted apart. Schools without a network come last.
    """
    filters = filters or ReportFilters()
    day = day or today()
    held = func.sum(case((CoachingSession.held_on <= day, 1), else_=0))
    planned = func.sum(case((CoachingSession.held_on > day, 1), else_=0))
    counted = db.and_(CoachingSession.cancelled.is_(False), filters.on(CoachingSession.held_on))
    collective_query = db.select(CoachingSession.network_id, held, planned).where(
        CoachingSession.kind == "collective", counted)
    individual_query = db.select(CoachingSession.school_id, held.label("n"), planned.label("p")).where(
        CoachingSession.kind == "individual", counted)
    if scope is not None or not filters.empty:
        # Only the sessions of the schools in view (and their networks), not the whole programme's.
        individual_query = individual_query.where(in_scope(CoachingSession.school_id, scope, filters))
        collective_query = collective_query.where(CoachingSession.network_id.in_(
            db.select(School.network_id).where(in_scope(School.id, scope, filters), School.network_id.is_not(None))))
    collective = {
        network_id: (int(h or 0), int(p or 0))
        for network_id, h, p in db.session.execute(collective_query.group_by(CoachingSession.network_id)).all()
    }
    individual = individual_query.group_by(CoachingSession.school_id).subquery()
    rows = db.session.execute(
        db.select(School.id, School.name, LearningNetwork.id, LearningNetwork.name,
                  func.coalesce(individual.c.n, 0), func.coalesce(individual.c.p, 0))
        .outerjoin(LearningNetwork, School.network_id == LearningNetwork.id)
        .outerjoin(individual, individual.c.school_id == School.id)
        .where(filters.schools(scope))
    ).all()
    # Case-insensitive order of networks and schools ("atheneum" next to "Atheneum"), in Python for both databases.
    rows = sorted(rows, key=lambda r: (r[3] is None, (r[3] or "").casefold(), r[1].casefold(), r[0]))
    networks: dict = {}
    for school_id, school_name, network_id, network_name, n, p in rows:
        held_c, planned_c = collective.get(network_id, (0, 0)) if network_id else (0, 0)
        entry = networks.setdefault(
            network_id,
            {"network_id": network_id, "network": network_name or "", "collective": held_c,
             "collective_planned": planned_c, "schools": []},
        )
        entry["schools"].append({"school_id": school_id, "school": school_name, "individual": int(n),
                                 "planned": int(p)})
    for entry in networks.values():  # the network's own totals, so a page need not add up 5,000 schools
        entry["individual"] = sum(school["individual"] for school in entry["schools"])
        entry["individual_planned"] = sum(school["planned"] for school in entry["schools"])
    return list(networks.values())


def session_rows(scope=None, filters: ReportFilters | None = None) -> list[tuple[str, str, int, int, int, int]]:
    """network, school, collective held, individual held, collective planned, individual planned.

    The network's own row carries the collective counts."""
    rows = []
    for entry in session_counts(scope, filters):
        if entry["network_id"] is not None:
            rows.append((entry["network"], "", entry["collective"], 0, entry["collective_planned"], 0))
        rows.extend((entry["network"], s["school"], 0, s["individual"], 0, s["planned"]) for s in entry["schools"])
    return rows


SESSION_HEADER = ["network", "school", "collective_sessions", "individual_sessions",
                  "collective_planned", "individual_planned"]


def indicator_distribution(scope=None, filters: ReportFilters | None = None) -> tuple[dict[int, dict[str, int]], int]:
    """Per indicator id the number of schools at each level (latest rating in the period), and the schools."""
    filters = filters or ReportFilters()
    school_ids = scope if isinstance(scope, list | tuple) else db.select(School.id).where(filters.schools(scope))
    scope = filters.schools(scope)
    latest = latest_ratings(school_ids, filters.on(IndicatorRating.measured_on))
    counts: dict[int, dict[str, int]] = {}
    for indicator_id, level, n in db.session.execute(
        db.select(latest.c.indicator_id, latest.c.level, func.count()).group_by(latest.c.indicator_id, latest.c.level)
    ):
        counts.setdefault(indicator_id, dict.fromkeys(LEVELS, 0))[level] = n
    total = db.session.scalar(db.select(func.count(School.id)).where(scope))
    return counts, total


# The pupils' screening; a staff team's counts (population "staff") stay on the school's own page.
SCREENING_SCALES = ("wellbeing", "involvement", "emotional")
COUNT_COLUMNS = [f"{scale}_{n}" for scale in SCREENING_SCALES for n in range(1, 6)]


def wellbeing_totals(scope=None, school_id: int | None = None, filters: ReportFilters | None = None) -> list[dict]:
    """Per school year and moment: the summed counts per level, with shares at 4–5 and 1–2."""
    query = db.select(
        WellbeingMeasurement.school_year,
        WellbeingMeasurement.moment,
        func.count(func.distinct(WellbeingMeasurement.school_id)),
        func.count(WellbeingMeasurement.id),
        *[func.sum(getattr(WellbeingMeasurement, c)) for c in COUNT_COLUMNS],
    )
    query = query.where(WellbeingMeasurement.population == "pupils")
    if school_id is not None:
        query = query.where(WellbeingMeasurement.school_id == school_id)
    elif scope is not None or (filters and not filters.empty):
        query = query.where(in_scope(WellbeingMeasurement.school_id, scope, filters))
    if filters and filters.start:  # school years that end in the period's range
        query = query.where(WellbeingMeasurement.school_year >= school_year(filters.start))
    if filters and filters.end:
        query = query.where(WellbeingMeasurement.school_year <= school_year(filters.end))
    query = query.group_by(WellbeingMeasurement.school_year, WellbeingMeasurement.moment).order_by(
        WellbeingMeasurement.school_year, WellbeingMeasurement.moment.desc()
    )
    result = []
    for year, moment, schools, groups, *sums in db.session.execute(query):
        sums = [int(v or 0) for v in sums]
        entry = {"school_year": year, "moment": moment, "schools": schools, "groups": groups}
        for i, scale in enumerate(SCREENING_SCALES):
            entry[scale] = distribution(sums[i * 5:(i + 1) * 5])
        result.append(entry)
    return result


def distribution(counts: list[int]) -> dict:
    """Counts at levels 1..5 with the total and the shares (percent, one decimal) at 4–5 and 1–2."""
    total = sum(counts)
    return {
        "counts": counts,
        "total": total,
        "high": round(100 * (counts[3] + counts[4]) / total, 1) if total else None,
        "low": round(100 * (counts[0] + counts[1]) / total, 1) if total else None,
        "percent": [round(100 * c / total, 1) if total else 0 for c in counts],
    }


def whole_shares(counts: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainder), so a stacked bar never passes 100 %."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * c / total for c in counts]
    shares = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[:100 - sum(shares)]:
        shares[i] += 1
    return shares


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole) if whole else 0


def school_wellbeing(rows: list[WellbeingMeasurement], year: str) -> dict:
    """One school year of a school's measurements: rows per moment and, per scale, pre/post per group."""
    of_year = [r for r in rows if r.school_year == year]
    by_moment = {"pre": [r for r in of_year if r.moment == "pre"], "post": [r for r in of_year if r.moment == "post"]}
    groups = sorted({r.group_name for r in of_year}, key=str.lower)
    evolution = {}
    for scale in SCREENING_SCALES:
        pairs = []
        for group in groups:
            pre = next((r for r in by_moment["pre"] if r.group_name == group), None)
            post = next((r for r in by_moment["post"] if r.group_name == group), None)
            pairs.append((group, distribution(pre.counts(scale)) if pre else None,
                          distribution(post.counts(scale)) if post else None))
        evolution[scale] = pairs
    return {"year": year, "by_moment": by_moment, "evolution": evolution, "groups": groups}
