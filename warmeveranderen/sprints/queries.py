"""Reading the sprints: the cadence, the backlog, the board, meetings, the basket and the charts' data.

Nothing here writes. The sprint rows themselves are created when the calendar changes and by the
sweep's upkeep (`cadence.extend_cadences`), so a page shows the sprints that exist.

For other features:
- `current_sprint(school)`, `sprint_for_date(school, day)`, `sprints_of(school)` read the cadence.
- `current_sprint_once(school)`, `neighbour_once`: the same, read once per request (home, progress).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BUILDING_BLOCKS, DIRECTOR, FLYWHEEL, INITIATIVE_STATUSES, programme_sprint_weeks
from warmeveranderen.extensions import db
from warmeveranderen.memo import per_request
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import (
    BasketItem,
    FlywheelMeeting,
    Initiative,
    InitiativeEvent,
    Sprint,
    SprintCalendar,
    SprintChange,
    SprintResult,
)
from warmeveranderen.timeutil import to_local, today

# Statuses that close an initiative; it leaves the open backlog.
FINAL_STATUSES = ("done", "dropped")


# --- the cadence -----------------------------------------------------------------------------------


def default_sprint_weeks() -> int:
    """The programme's sprint length in weeks (the coordinator's programme terms, else the setting)."""
    return programme_sprint_weeks()


def sprint_weeks(calendar: SprintCalendar) -> int:
    """The length of new sprints of this school: its override, else the programme default."""
    return calendar.weeks_override or default_sprint_weeks()


def sprint_end(start: date, weeks: int) -> date:
    """The last day of a sprint of `weeks` weeks starting on `start`: exactly 7*weeks calendar days."""
    return start + timedelta(days=7 * weeks - 1)


def next_monday(day: date) -> date:
    """The given day if it is a Monday, else the Monday after it."""
    return day + timedelta(days=(7 - day.weekday()) % 7)


def calendar_of(school: School) -> SprintCalendar | None:
    return db.session.scalar(db.select(SprintCalendar).where(SprintCalendar.school_id == school.id))


def sprints_of(school: School) -> list[Sprint]:
    """All sprints of the school in order."""
    return list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)
    ))


def sprint_for_date(school: School, day: date) -> Sprint | None:
    """The sprint of the school that contains that calendar day, if any."""
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == school.id, Sprint.start_date <= day, Sprint.end_date >= day)
    )


def current_sprint(school: School) -> Sprint | None:
    """The sprint that contains today (Brussels); None before the cadence starts or without one."""
    return sprint_for_date(school, today())


# For the home and progress pages' panels, next steps and sections, which several features ask in
# one request: the calendar and the school's sprints are read once, and the current, previous and next
# sprint are found among them (pages that only read: see warmeveranderen/memo.py).
@per_request
def _cadence_once(school: School) -> tuple[SprintCalendar | None, list[Sprint], tuple]:
    """The calendar, the sprints in order with their checkpoints, and the flywheel's meetings (first,
    last, how many), in one statement."""
    meetings = db.select(FlywheelMeeting.held_on).where(FlywheelMeeting.school_id == school.id).subquery()
    rows = db.session.execute(
        db.select(SprintCalendar, Sprint,
                  db.select(func.min(meetings.c.held_on)).scalar_subquery(),
                  db.select(func.max(meetings.c.held_on)).scalar_subquery(),
                  db.select(func.count()).select_from(meetings).scalar_subquery())
        .select_from(School)
        .outerjoin(SprintCalendar, SprintCalendar.school_id == School.id)
        .outerjoin(Sprint, Sprint.school_id == School.id)
        .where(School.id == school.id)
        .options(joinedload(Sprint.checkpoints))
        .order_by(Sprint.number)
    ).unique().all()
    calendar, _sprint, *met = rows[0] if rows else (None, None, None, None, 0)  # no such school (any more)
    return calendar, [row[1] for row in rows if row[1] is not None], tuple(met)


def calendar_once(school: School) -> SprintCalendar | None:
    return _cadence_once(school)[0]


def sprints_once(school: School) -> list[Sprint]:
    return _cadence_once(school)[1]


def meeting_rhythm_once(school: School) -> tuple[date | None, float | None]:
    return _rhythm(*_cadence_once(school)[2])


def _rhythm(first: date | None, last: date | None, count: int) -> tuple[date | None, float | None]:
    """The last meeting and the average gap between consecutive ones: the span over their number less one."""
    if not count:
        return None, None
    return last, ((last - first).days / (count - 1) if count > 1 else None)


def current_sprint_once(school: School) -> Sprint | None:
    """`current_sprint`, found among the school's sprints read once per request."""
    day = today()
    return next((s for s in sprints_once(school) if s.start_date <= day <= s.end_date), None)


def neighbour_once(school: School, sprint: Sprint, step: int) -> Sprint | None:
    """The sprint `step` places after (1) or before (-1) `sprint`, among the school's sprints read once."""
    return next((s for s in sprints_once(school) if s.number == sprint.number + step), None)


def next_sprint(sprint: Sprint) -> Sprint | None:
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number == sprint.number + 1)
    )


def previous_sprint(sprint: Sprint) -> Sprint | None:
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number == sprint.number - 1)
    )


def last_sprint(school: School) -> Sprint | None:
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number.desc()).limit(1)
    )


def has_sprint_after(school: School, day: date) -> bool:
    """Whether a sprint of the school starts after `day` (then the one containing `day` exists too)."""
    return bool(db.session.scalar(
        db.select(func.count()).select_from(Sprint).where(Sprint.school_id == school.id, Sprint.start_date > day)
    ))


def hand_moved_starts(school: School) -> dict[int, date]:
    """Sprint id -> the start the coordinator last chose by hand (*Verschuiven*), for replanning."""
    rows = db.session.execute(
        db.select(SprintChange.sprint_id, SprintChange.new_start)
        .where(SprintChange.school_id == school.id, SprintChange.kind == "move").order_by(SprintChange.id)
    ).all()
    return {sprint_id: start for sprint_id, start in rows if sprint_id is not None}


def legacy_calendars() -> list[SprintCalendar]:
    """The cadences still counted in calendar days (from before the school calendar; one query)."""
    return list(db.session.scalars(
        db.select(SprintCalendar).where(SprintCalendar.rule != "school_weeks")
        .options(selectinload(SprintCalendar.school)).order_by(SprintCalendar.school_id)
    ))


def calendars_to_extend(day: date) -> list[SprintCalendar]:
    """The calendars that have no sprint starting after `day` yet (one query)."""
    # A sprint that starts after both `day` and the cadence's first day.
    later = db.select(Sprint.id).where(Sprint.school_id == SprintCalendar.school_id, Sprint.start_date > day,
                                       Sprint.start_date > SprintCalendar.start_date)
    return list(db.session.scalars(
        db.select(SprintCalendar).where(~later.exists()).options(selectinload(SprintCalendar.school))
        .order_by(SprintCalendar.school_id)
    ))


def sprint_history(school: School) -> list[SprintChange]:
    return list(db.session.scalars(
        db.select(SprintChange).where(SprintChange.school_id == school.id)
        .options(selectinload(SprintChange.changed_by), selectinload(SprintChange.sprint))
        .order_by(SprintChange.changed_at.desc(), SprintChange.id.desc())
    ))


# --- one sprint --------------------------------------------------------------------------------------


def sprint_initiatives(sprint: Sprint) -> list[Initiative]:
    """The initiatives planned in the sprint, in backlog order, with their owners."""
    return list(db.session.scalars(
        db.select(Initiative).where(Initiative.sprint_id == sprint.id)
        .options(selectinload(Initiative.owner)).order_by(Initiative.position, Initiative.id)
    ))


def result_initiatives(sprint: Sprint) -> list[Initiative]:
    """The initiatives a closed sprint recorded a result for (also those that left it since)."""
    ids = [r.initiative_id for r in sprint.results]
    if not ids:
        return []
    return list(db.session.scalars(db.select(Initiative).where(Initiative.id.in_(ids)).order_by(Initiative.position)))


def board(sprint: Sprint) -> dict[str, list[Initiative]]:
    """The sprint's initiatives by status, in backlog order (a constant number of queries)."""
    columns: dict[str, list[Initiative]] = {code: [] for code in INITIATIVE_STATUSES if code != "idea"}
    items = db.session.scalars(
        db.select(Initiative).where(Initiative.sprint_id == sprint.id)
        .options(selectinload(Initiative.owner), selectinload(Initiative.basket_item), selectinload(Initiative.labels))
        .order_by(Initiative.position, Initiative.id)
    )
    for initiative in items:
        columns.setdefault(initiative.status, []).append(initiative)
    return columns


def last_moves(initiative_ids: list[int]) -> dict[int, InitiativeEvent]:
    """The latest status event of each initiative (who moved the card last, and when)."""
    if not initiative_ids:
        return {}
    events = db.session.scalars(
        db.select(InitiativeEvent).where(InitiativeEvent.initiative_id.in_(initiative_ids))
        .options(selectinload(InitiativeEvent.user))
        .order_by(InitiativeEvent.at, InitiativeEvent.id)
    )
    return {e.initiative_id: e for e in events}


def coverage(initiatives: list[Initiative]) -> dict[str, int]:
    """How many initiatives touch each building block (primary or secondary)."""
    counts = dict.fromkeys(BUILDING_BLOCKS, 0)
    for initiative in initiatives:
        for block in initiative.blocks:
            counts[block] += 1
    return counts


def coverage_warning(counts: dict[str, int]) -> str | None:
    touched = sum(1 for n in counts.values() if n)
    if 0 < touched <= 2:
        return _("Deze sprint raakt maar %(n)s van de vijf bouwstenen. Werk integraal: plan ook initiatieven "
                 "voor de andere bouwstenen.", n=touched)
    return None


def meeting_rhythm(school: School) -> tuple[date | None, float | None]:
    """When the flywheel last met, and the average number of days between its meetings."""
    first, last, count = db.session.execute(
        db.select(func.min(FlywheelMeeting.held_on), func.max(FlywheelMeeting.held_on), func.count())
        .where(FlywheelMeeting.school_id == school.id)
    ).one()
    return _rhythm(first, last, count)


# --- the backlog -------------------------------------------------------------------------------------


def flywheel_people(school: School) -> list[User]:
    """The people who may own an initiative or attend a flywheel meeting: flywheel and director."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id, Membership.role.in_((FLYWHEEL, DIRECTOR)))
        .distinct().order_by(User.name)
    ))


def open_backlog_query(school: School):
    """The open backlog of the school, in its order: not done or dropped, not left in a closed sprint."""
    return (
        db.select(Initiative)
        .outerjoin(Sprint, Initiative.sprint_id == Sprint.id)
        .where(Initiative.school_id == school.id, Initiative.status.not_in(FINAL_STATUSES),
               (Sprint.id.is_(None)) | (Sprint.state != "closed"))
        .order_by(Initiative.position, Initiative.id)
    )


def open_backlog(school: School) -> list[Initiative]:
    """The open backlog with what its page shows of each initiative (owner, sprint, basket item)."""
    return list(db.session.scalars(
        open_backlog_query(school).options(selectinload(Initiative.owner), selectinload(Initiative.sprint),
                                           selectinload(Initiative.basket_item))
    ))


def unplanned_backlog(school: School) -> list[Initiative]:
    """The open backlog's initiatives that no sprint holds yet."""
    return [i for i in db.session.scalars(open_backlog_query(school)) if i.sprint_id is None]


def recently_closed(school: School, limit: int = 50) -> list[Initiative]:
    """The school's done or dropped initiatives, most recently changed first."""
    return list(db.session.scalars(
        db.select(Initiative).where(Initiative.school_id == school.id, Initiative.status.in_(FINAL_STATUSES))
        .options(selectinload(Initiative.sprint)).order_by(Initiative.updated_at.desc()).limit(limit)
    ))


# --- the offer basket --------------------------------------------------------------------------------


def basket_items(programme_id: int, include_inactive: bool = False) -> list[BasketItem]:
    query = db.select(BasketItem).where(BasketItem.programme_id == programme_id)
    if not include_inactive:
        query = query.where(BasketItem.active.is_(True))
    return list(db.session.scalars(query.order_by(BasketItem.building_block, BasketItem.title)))


def initiatives_from(item: BasketItem, schools: list[School]) -> list[Initiative]:
    """The initiatives of these schools that came from the basket item."""
    return list(db.session.scalars(
        db.select(Initiative).where(Initiative.basket_item_id == item.id,
                                    Initiative.school_id.in_([s.id for s in schools] or [0]))
    ))


# --- the charts' data --------------------------------------------------------------------------------


def burnup(sprint: Sprint) -> list[tuple[int, date, int | None, int]]:
    """Per week of the sprint: (week number, last day, initiatives done by then, initiatives in scope).

    Weeks that have not begun yet have None for "done". A closed sprint shows its burn-up as it was at the close.
    """
    if sprint.is_closed and sprint.snapshot:
        return [(week, date.fromisoformat(last), done, scope) for week, last, done, scope in sprint.snapshot["burnup"]]
    done_events = db.session.execute(
        db.select(InitiativeEvent.initiative_id, func.min(InitiativeEvent.at))
        .where(InitiativeEvent.sprint_id == sprint.id, InitiativeEvent.to_status == "done")
        .group_by(InitiativeEvent.initiative_id)
    ).all()
    done_days = {iid: to_local(at).date() for iid, at in done_events}
    current = {i.id: i.status for i in sprint.initiatives}
    # An initiative that left "done" again no longer counts.
    done_days = {iid: d for iid, d in done_days.items() if current.get(iid) == "done"}
    scope = len(current)
    rows = []
    for week in range(1, sprint.weeks + 1):
        last = min(sprint.start_date + timedelta(days=7 * week - 1), sprint.end_date)
        first = sprint.start_date + timedelta(days=7 * (week - 1))
        done = sum(1 for d in done_days.values() if d <= last) if first <= today() else None
        rows.append((week, last, done, scope))
    return rows


def coverage_over_sprints(school: School) -> list[tuple[Sprint, dict[str, int]]]:
    """For every sprint of the school: how many of its initiatives touch each building block."""
    sprints = sprints_once(school)
    initiatives = list(db.session.scalars(
        db.select(Initiative).where(Initiative.school_id == school.id, Initiative.sprint_id.is_not(None))
    ))
    # A closed sprint's initiatives include those carried over or sent back (its results).
    results = db.session.execute(
        db.select(SprintResult.sprint_id, SprintResult.initiative_id)
        .join(Sprint, Sprint.id == SprintResult.sprint_id).where(Sprint.school_id == school.id)
    ).all()
    by_id = {i.id: i for i in initiatives}
    missing = {iid for _sid, iid in results} - set(by_id)
    if missing:
        by_id.update({i.id: i for i in db.session.scalars(db.select(Initiative).where(Initiative.id.in_(missing)))})
    members: dict[int, set[int]] = {s.id: set() for s in sprints}
    for initiative in initiatives:
        members.setdefault(initiative.sprint_id, set()).add(initiative.id)
    for sid, iid in results:
        members.setdefault(sid, set()).add(iid)
    return [(s, sprint_coverage(s, [by_id[i] for i in members.get(s.id, ())])) for s in sprints]


def sprint_coverage(sprint: Sprint, initiatives: list[Initiative]) -> dict[str, int]:
    """The sprint's coverage of the building blocks; for a closed sprint, as it was at the close."""
    if sprint.is_closed and sprint.snapshot:
        return {code: sprint.snapshot["coverage"].get(code, 0) for code in BUILDING_BLOCKS}
    return coverage(initiatives)


def health_grid(school: School) -> dict[tuple[str, str], int]:
    """Counts of the school's initiatives (not dropped) per health-matrix cell."""
    rows = db.session.execute(
        db.select(Initiative.health_level, Initiative.health_strategy, func.count())
        .where(Initiative.school_id == school.id, Initiative.health_level.is_not(None),
               Initiative.status != "dropped")
        .group_by(Initiative.health_level, Initiative.health_strategy)
    ).all()
    return {(level, strategy): n for level, strategy, n in rows}
