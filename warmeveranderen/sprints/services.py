"""Sprint rules: the cadence, the backlog, planning, the board, meetings, checkpoints and closing.

Every function that changes state commits once (one user action = one commit) and raises
SprintError with a Dutch message when a rule refuses the change; nothing is half-saved then.

For other features:
- `current_sprint(school)`, `sprint_for_date(school, day)`, `sprints_of(school)` read the cadence.
- `TRANSITION_GUARDS` holds `fn(initiative, to_status, user) -> str | None`; a non-None return is
  a Dutch refusal. `move_initiative()` and `set_status()` consult every guard.
- `set_status(initiative, status, user, note)` lets another feature (the forum) set a status
  outside the board's transition table, e.g. "decided" when a decision is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    BUILDING_BLOCKS,
    CHECKPOINT_KINDS,
    CORE_MISSIONS,
    DIRECTOR,
    FLYWHEEL,
    HEALTH_LEVELS,
    HEALTH_STRATEGIES,
    INITIATIVE_STATUSES,
    SPRINT_RESULTS,
)
from warmeveranderen.extensions import db
from warmeveranderen.memo import per_request
from warmeveranderen.plugins import adds, contributes
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import (
    BasketItem,
    Checkpoint,
    FlywheelMeeting,
    Initiative,
    InitiativeEvent,
    Sprint,
    SprintCalendar,
    SprintChange,
    SprintResult,
)
from warmeveranderen.timeutil import to_local, today, utcnow
from warmeveranderen.uow import ServiceError

MIN_WEEKS = 1
MAX_WEEKS = 26
# Statuses that close an initiative; it leaves the open backlog.
FINAL_STATUSES = ("done", "dropped")
# Statuses that need a sprint (an initiative in them is planned into one).
SPRINT_STATUSES = ("planned", "in_progress", "ready_for_forum", "decided")

# The moves a flywheel member may make on the board. "decided" is set by the forum (set_status).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "idea": ("planned", "dropped"),
    "planned": ("in_progress", "idea", "dropped"),
    "in_progress": ("ready_for_forum", "done", "planned", "dropped"),
    "ready_for_forum": ("in_progress", "dropped"),
    "decided": ("done", "in_progress", "dropped"),
    "done": ("in_progress",),
    "dropped": ("idea",),
}

TransitionGuard = Callable[[Initiative, str, User | None], str | None]
TRANSITION_GUARDS: list[TransitionGuard] = []


class SprintError(ServiceError):
    """A rule refused the change; the message is Dutch and meant for the user."""


def transition_guard(fn: TransitionGuard) -> TransitionGuard:
    """Declare a guard that may refuse a status move (returns a Dutch message) or allow it (None)."""
    return contributes("transition_guard")(fn)


@adds("transition_guard")
def add_transition_guard(fn: TransitionGuard) -> None:
    if fn not in TRANSITION_GUARDS:
        TRANSITION_GUARDS.append(fn)


# --- cadence ---------------------------------------------------------------------------------------


def default_sprint_weeks() -> int:
    """The programme's sprint length in weeks: the coordinator's programme terms (whose default,
    before any terms are saved, is the setting SPRINT_WEEKS_DEFAULT)."""
    from warmeveranderen.intake.terms import current_terms

    return int(current_terms().sprint_weeks)


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
    """All sprints of the school in order (ensuring the current and the next one exist)."""
    ensure_sprints(school)
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
    ensure_sprints(school)
    return sprint_for_date(school, today())


# For the home page's panels and next steps, which several features ask in one request (read-only).
calendar_once = per_request(calendar_of)
current_sprint_once = per_request(current_sprint)


def next_sprint(sprint: Sprint) -> Sprint | None:
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number == sprint.number + 1)
    )


def previous_sprint(sprint: Sprint) -> Sprint | None:
    return db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number == sprint.number - 1)
    )


def _extend(school: School, calendar: SprintCalendar, day: date) -> bool:
    """Add sprints until the one after the sprint containing `day` exists. Returns whether it added any."""
    last = db.session.scalar(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number.desc()).limit(1)
    )
    weeks = sprint_weeks(calendar)
    added = False
    if last is None:
        last = Sprint(school_id=school.id, number=1, start_date=calendar.start_date,
                      end_date=sprint_end(calendar.start_date, weeks))
        db.session.add(last)
        added = True
    # Sprints are contiguous from the cadence start, so once the last one starts after `horizon`,
    # the sprint containing `horizon` and the one after it both exist.
    horizon = max(day, calendar.start_date)
    while last.start_date <= horizon or last.number < 2:
        nxt = Sprint(school_id=school.id, number=last.number + 1, start_date=last.next_start,
                     end_date=sprint_end(last.next_start, weeks))
        db.session.add(nxt)
        last = nxt
        added = True
    return added


def ensure_sprints(school: School, day: date | None = None) -> None:
    """Make sure the sprint containing `day` (default today) and the next one exist.

    Called on read; a concurrent request that creates the same sprints first wins (unique number).
    """
    calendar = calendar_of(school)
    if calendar is None:
        return
    horizon = max(day or today(), calendar.start_date)
    later = db.session.scalar(
        db.select(func.count()).select_from(Sprint)
        .where(Sprint.school_id == school.id, Sprint.start_date > horizon)
    )
    if later:
        return
    if _extend(school, calendar, horizon):
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()


def setup_calendar(school: School, start: date, user: User) -> SprintCalendar:
    """Set up the cadence of a school: sprint 1 starts on `start`; sprint 2 follows."""
    if calendar_of(school) is not None:
        raise SprintError(_("Deze school heeft al een sprintkalender; de coördinator kan sprints verschuiven."))
    calendar = SprintCalendar(school_id=school.id, start_date=start, created_by_id=user.id if user else None)
    db.session.add(calendar)
    db.session.add(SprintChange(school_id=school.id, kind="calendar", new_start=start,
                                new_weeks=sprint_weeks(calendar), reason="",
                                changed_by_id=user.id if user else None))
    _extend(school, calendar, today())
    db.session.commit()
    return calendar


def _require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise SprintError(_("Geef een reden op: elke afwijking van de cadans wordt bijgehouden."))
    return reason


def move_sprint(sprint: Sprint, new_start: date, reason: str, user: User) -> None:
    """Shift a sprint and all later sprints so it starts on `new_start` (coordinator, with a reason).

    The previous sprint ends the day before (no gaps, no overlaps); its length changes instead.
    """
    reason = _require_reason(reason)
    if new_start is None:
        raise SprintError(_("Geef een geldige startdatum op."))
    if sprint.is_closed:
        raise SprintError(_("Een afgesloten sprint kan niet verschoven worden."))
    if sprint.state == "active":
        raise SprintError(_("Een lopende sprint kan niet verschoven worden; verschuif de volgende sprint "
                            "om deze te verlengen of in te korten."))
    delta = new_start - sprint.start_date
    if delta.days == 0:
        raise SprintError(_("Deze sprint begint al op die datum."))
    previous = previous_sprint(sprint)
    if previous is not None:
        if previous.is_closed:
            raise SprintError(_("De vorige sprint is afgesloten; deze verschuiving zou een gat of overlap "
                                "in de cadans maken."))
        if new_start < previous.start_date + timedelta(days=7):
            raise SprintError(_("Deze startdatum breekt de cadans: de vorige sprint (sprint %(n)s, start "
                                "%(d)s) moet minstens een week duren.", n=previous.number,
                                d=previous.start_date.strftime("%d-%m-%Y")))
    later = list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number >= sprint.number)
        .order_by(Sprint.number)
    ))
    for s in later:
        s.start_date += delta
        s.end_date += delta
    if previous is not None:
        previous.end_date = new_start - timedelta(days=1)
    else:
        calendar = calendar_of(sprint.school)
        calendar.start_date = new_start
    db.session.add(SprintChange(school_id=sprint.school_id, sprint_id=sprint.id, kind="move",
                                old_start=new_start - delta, new_start=new_start, reason=reason,
                                changed_by_id=user.id))
    db.session.flush()
    _extend(sprint.school, calendar_of(sprint.school), today())
    db.session.commit()


def set_sprint_weeks(school: School, weeks: int | None, reason: str, user: User) -> None:
    """Set the school's own sprint length (None = the programme default) with a reason.

    Sprints that have not started yet take the new length; running and closed sprints keep theirs.
    """
    reason = _require_reason(reason)
    calendar = calendar_of(school)
    if calendar is None:
        raise SprintError(_("Stel eerst de sprintkalender van deze school in."))
    if weeks is not None and not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise SprintError(_("Een sprint duurt tussen %(a)s en %(b)s weken.", a=MIN_WEEKS, b=MAX_WEEKS))
    old = sprint_weeks(calendar)
    calendar.weeks_override = weeks
    calendar.override_reason = reason
    new = sprint_weeks(calendar)
    sprints = list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)
    ))
    previous = None
    for s in sprints:
        if s.state == "planned":
            if previous is not None:
                s.start_date = previous.next_start
            s.end_date = sprint_end(s.start_date, new)
        previous = s
    db.session.add(SprintChange(school_id=school.id, kind="length", old_weeks=old, new_weeks=new,
                                reason=reason, changed_by_id=user.id))
    db.session.flush()
    _extend(school, calendar, today())
    db.session.commit()


def sprint_history(school: School) -> list[SprintChange]:
    return list(db.session.scalars(
        db.select(SprintChange).where(SprintChange.school_id == school.id)
        .options(selectinload(SprintChange.changed_by), selectinload(SprintChange.sprint))
        .order_by(SprintChange.changed_at.desc(), SprintChange.id.desc())
    ))


# --- sprint lifecycle ------------------------------------------------------------------------------


def _open(sprint: Sprint) -> None:
    if sprint.is_closed:
        raise SprintError(_("Sprint %(n)s is afgesloten en kan niet meer gewijzigd worden.", n=sprint.number))


def set_goal(sprint: Sprint, goal: str, user: User) -> None:
    _open(sprint)
    goal = (goal or "").strip()
    if not goal:
        raise SprintError(_("Vul een sprintdoel in: wat wil het vliegwiel deze sprint bereiken?"))
    sprint.goal = goal
    db.session.commit()


def start_sprint(sprint: Sprint, user: User) -> None:
    """Start a sprint: it needs a goal; the next sprint is created at once."""
    _open(sprint)
    if sprint.state == "active":
        raise SprintError(_("Deze sprint loopt al."))
    if not sprint.goal.strip():
        raise SprintError(_("Een sprint kan pas starten met een sprintdoel. Vul eerst het doel in."))
    if sprint.start_date > today():
        raise SprintError(_("Deze sprint begint volgens de cadans pas op %(d)s.",
                            d=sprint.start_date.strftime("%d-%m-%Y")))
    previous = previous_sprint(sprint)
    if previous is not None and previous.state == "active":
        raise SprintError(_("Sluit eerst sprint %(n)s af met een review en retrospectieve.", n=previous.number))
    sprint.state = "active"
    sprint.started_at = utcnow()
    sprint.started_by_id = user.id
    db.session.flush()
    _extend(sprint.school, calendar_of(sprint.school), max(today(), sprint.start_date))
    db.session.commit()


def close_sprint(sprint: Sprint, results: dict[int, tuple[str, str]], *, went_well: str, to_improve: str,
                 actions: str, summary: str, user: User) -> None:
    """Close a sprint with a result per initiative and a retrospective; it becomes read-only.

    "carried_over" initiatives move into the next sprint; "not_achieved" ones return to the backlog.
    """
    _open(sprint)
    if sprint.state != "active":
        raise SprintError(_("Alleen een lopende sprint kan afgesloten worden."))
    went_well, to_improve = (went_well or "").strip(), (to_improve or "").strip()
    errors = []
    initiatives = list(sprint.initiatives)
    for initiative in initiatives:
        result = results.get(initiative.id, ("", ""))[0]
        if result not in SPRINT_RESULTS:
            errors.append(_("Kies een resultaat voor “%(t)s”.", t=initiative.title))
        elif result == "carried_over" and initiative.status in FINAL_STATUSES:
            errors.append(_("“%(t)s” is al afgerond of geschrapt en kan niet mee naar de volgende sprint.",
                            t=initiative.title))
    if not went_well:
        errors.append(_("Vul in wat goed ging."))
    if not to_improve:
        errors.append(_("Vul in wat beter kan."))
    if errors:
        raise SprintError(" ".join(errors))
    _extend(sprint.school, calendar_of(sprint.school), max(today(), sprint.start_date))
    db.session.flush()
    following = next_sprint(sprint)
    for initiative in initiatives:
        result, note = results[initiative.id]
        db.session.add(SprintResult(sprint_id=sprint.id, initiative_id=initiative.id, result=result,
                                    note=(note or "").strip()))
        if result == "carried_over":
            initiative.sprint_id = following.id
        elif result == "not_achieved" and initiative.status not in FINAL_STATUSES:
            _record(initiative, "idea", user, _("Niet bereikt in sprint %(n)s; terug naar de backlog.",
                                                n=sprint.number))
            initiative.sprint_id = None
    sprint.retro_went_well = went_well
    sprint.retro_to_improve = to_improve
    sprint.retro_actions = (actions or "").strip()
    sprint.review_summary = (summary or "").strip()
    sprint.state = "closed"
    sprint.closed_at = utcnow()
    sprint.closed_by_id = user.id
    db.session.commit()


# --- backlog ---------------------------------------------------------------------------------------


def flywheel_people(school: School) -> list[User]:
    """The people who may own an initiative or attend a flywheel meeting: flywheel and director."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id, Membership.role.in_((FLYWHEEL, DIRECTOR)))
        .distinct().order_by(User.name)
    ))


def _clean_initiative(school: School, data: dict) -> dict:
    """Validate an initiative's fields; raise SprintError listing every problem in Dutch."""
    errors = []
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(_("Geef het initiatief een titel."))
    elif len(title) > 200:
        errors.append(_("De titel is te lang (hoogstens 200 tekens)."))
    block = data.get("building_block") or ""
    if block not in BUILDING_BLOCKS:
        errors.append(_("Kies de bouwsteen waar dit initiatief in de eerste plaats aan werkt."))
    secondary = data.get("secondary_block") or None
    if secondary is not None and secondary not in BUILDING_BLOCKS:
        errors.append(_("Kies een geldige tweede bouwsteen."))
    elif secondary is not None and secondary == block:
        errors.append(_("De tweede bouwsteen moet verschillen van de eerste."))
    missions = [m for m in (data.get("core_missions") or []) if m]
    if any(m not in CORE_MISSIONS for m in missions):
        errors.append(_("Kies alleen kernopdrachten uit de lijst."))
    level = data.get("health_level") or None
    strategy = data.get("health_strategy") or None
    if (level is None) != (strategy is None):
        errors.append(_("Kies voor de gezondheidsmatrix zowel een niveau als een strategie, of geen van beide."))
    elif (level and level not in HEALTH_LEVELS) or (strategy and strategy not in HEALTH_STRATEGIES):
        errors.append(_("Kies een geldige cel van de gezondheidsmatrix."))
    owner_id = data.get("owner_id") or None
    if owner_id is not None:
        owner_id = int(owner_id)
        if owner_id not in {u.id for u in flywheel_people(school)}:
            errors.append(_("De eigenaar moet lid zijn van het vliegwiel van deze school."))
    if errors:
        raise SprintError(" ".join(errors))
    return {
        "title": title,
        "description": (data.get("description") or "").strip(),
        "building_block": block,
        "secondary_block": secondary,
        "core_missions": [m for m in CORE_MISSIONS if m in missions],
        "health_level": level,
        "health_strategy": strategy,
        "owner_id": owner_id,
    }


def _next_position(school: School) -> int:
    top = db.session.scalar(db.select(func.max(Initiative.position)).where(Initiative.school_id == school.id))
    return (top or 0) + 1


def create_initiative(school: School, data: dict, user: User, basket_item: BasketItem | None = None) -> Initiative:
    """Add an initiative at the bottom of the backlog, as an idea."""
    values = _clean_initiative(school, data)
    initiative = Initiative(school_id=school.id, status="idea", position=_next_position(school),
                            created_by_id=user.id, basket_item_id=basket_item.id if basket_item else None,
                            **values)
    db.session.add(initiative)
    db.session.flush()
    db.session.add(InitiativeEvent(initiative_id=initiative.id, from_status=None, to_status="idea",
                                   user_id=user.id, note=_("Toegevoegd aan de backlog.")))
    db.session.commit()
    return initiative


def add_from_basket(school: School, item: BasketItem, user: User, owner_id: int | None = None) -> Initiative:
    """A basket item becomes a new initiative on the school's backlog, linking back to its info sheet."""
    if not item.active:
        raise SprintError(_("Dit item staat niet meer in de aanbodkorf."))
    description = item.what
    if item.provider:
        description += "\n\n" + _("Aanbieder: %(p)s", p=item.provider)
    return create_initiative(school, {
        "title": item.title, "description": description, "building_block": item.building_block,
        "core_missions": item.core_missions or [], "health_level": item.health_level,
        "health_strategy": item.health_strategy, "owner_id": owner_id,
    }, user, basket_item=item)


def _editable(initiative: Initiative) -> None:
    if initiative.sprint is not None and initiative.sprint.is_closed:
        raise SprintError(_("Dit initiatief hoort bij een afgesloten sprint en kan niet meer gewijzigd worden."))


def update_initiative(initiative: Initiative, data: dict, user: User) -> None:
    _editable(initiative)
    values = _clean_initiative(initiative.school, data)
    for key, value in values.items():
        setattr(initiative, key, value)
    db.session.commit()


def open_backlog_query(school: School):
    """The open backlog of the school, in its order: not done or dropped, not left in a closed sprint."""
    return (
        db.select(Initiative)
        .outerjoin(Sprint, Initiative.sprint_id == Sprint.id)
        .where(Initiative.school_id == school.id, Initiative.status.not_in(FINAL_STATUSES),
               (Sprint.id.is_(None)) | (Sprint.state != "closed"))
        .order_by(Initiative.position, Initiative.id)
    )


def _renumber(ordered: list[Initiative]) -> None:
    """Give the listed initiatives their current positions again, in the new order."""
    positions = sorted(i.position for i in ordered)
    # Equal positions (e.g. after concurrent inserts) are spread out so the order is total.
    for k in range(1, len(positions)):
        if positions[k] <= positions[k - 1]:
            positions[k] = positions[k - 1] + 1
    for initiative, position in zip(ordered, positions, strict=True):
        initiative.position = position


def move_in_backlog(initiative: Initiative, direction: str, user: User) -> None:
    """Move an initiative one place up or down in the open backlog."""
    _editable(initiative)
    items = list(db.session.scalars(open_backlog_query(initiative.school)))
    if initiative not in items:
        raise SprintError(_("Dit initiatief staat niet (meer) op de open backlog."))
    k = items.index(initiative)
    j = k - 1 if direction == "up" else k + 1
    if j < 0 or j >= len(items):
        return
    items[k], items[j] = items[j], items[k]
    _renumber(items)
    db.session.commit()


def reorder_backlog(school: School, ids: list[int], user: User) -> None:
    """Put the open backlog in the given order (drag and drop). Unknown or missing ids are refused."""
    items = list(db.session.scalars(open_backlog_query(school)))
    by_id = {i.id: i for i in items}
    if len(ids) != len(set(ids)) or set(ids) != set(by_id):
        raise SprintError(_("De backlog is intussen gewijzigd. Laad de pagina opnieuw en probeer nog eens."))
    _renumber([by_id[i] for i in ids])
    db.session.commit()


# --- statuses and the board ------------------------------------------------------------------------


def _record(initiative: Initiative, to_status: str, user: User | None, note: str = "") -> None:
    db.session.add(InitiativeEvent(initiative_id=initiative.id, sprint_id=initiative.sprint_id,
                                   from_status=initiative.status, to_status=to_status,
                                   user_id=user.id if user else None, note=note))
    initiative.status = to_status


def _check_guards(initiative: Initiative, to_status: str, user: User | None) -> None:
    for guard in TRANSITION_GUARDS:
        refusal = guard(initiative, to_status, user)
        if refusal:
            raise SprintError(refusal)


def move_initiative(initiative: Initiative, to_status: str, user: User, note: str = "") -> None:
    """Move a card on the board; records who moved it and when."""
    _editable(initiative)
    if to_status not in INITIATIVE_STATUSES:
        raise SprintError(_("Onbekende status."))
    if to_status == initiative.status:
        return
    if to_status == "decided":
        raise SprintError(_("“Besloten” volgt uit een besluit dat na het forumadvies geregistreerd wordt."))
    if to_status not in TRANSITIONS[initiative.status]:
        raise SprintError(_("Een initiatief gaat niet rechtstreeks van “%(a)s” naar “%(b)s”.",
                            a=INITIATIVE_STATUSES[initiative.status], b=INITIATIVE_STATUSES[to_status]))
    if to_status in SPRINT_STATUSES and initiative.sprint_id is None:
        raise SprintError(_("Plan het initiatief eerst in een sprint."))
    if to_status == "idea":
        initiative.sprint_id = None
    _check_guards(initiative, to_status, user)
    _record(initiative, to_status, user, (note or "").strip())
    db.session.commit()


def set_status(initiative: Initiative, status: str, user: User | None, note: str = "", *,
               allow_closed: bool = False) -> None:
    """Set a status outside the board's transitions (for the forum: "decided"); guards still apply."""
    if not allow_closed:
        _editable(initiative)
    if status not in INITIATIVE_STATUSES:
        raise SprintError(_("Onbekende status."))
    if status == initiative.status:
        return
    _check_guards(initiative, status, user)
    _record(initiative, status, user, (note or "").strip())
    db.session.commit()


def plan_initiative(initiative: Initiative, sprint: Sprint, user: User) -> None:
    """Plan an initiative into a sprint (an idea becomes "planned")."""
    if sprint.school_id != initiative.school_id:
        raise SprintError(_("Deze sprint hoort bij een andere school."))
    if sprint.is_closed:
        raise SprintError(_("Sprint %(n)s is afgesloten: je kunt er niets meer in plannen.", n=sprint.number))
    _editable(initiative)
    if initiative.status in FINAL_STATUSES:
        raise SprintError(_("Een afgerond of geschrapt initiatief kan niet gepland worden."))
    initiative.sprint_id = sprint.id
    if initiative.status == "idea":
        _check_guards(initiative, "planned", user)
        _record(initiative, "planned", user, _("Gepland in sprint %(n)s.", n=sprint.number))
    db.session.commit()


def unplan_initiative(initiative: Initiative, user: User) -> None:
    """Take an initiative out of its sprint, back to the backlog as an idea."""
    _editable(initiative)
    if initiative.status not in ("planned", "idea"):
        raise SprintError(_("Alleen een initiatief dat nog niet in uitvoering is, gaat terug naar de backlog."))
    initiative.sprint_id = None
    if initiative.status != "idea":
        _record(initiative, "idea", user, _("Terug naar de backlog."))
    db.session.commit()


def board(sprint: Sprint) -> dict[str, list[Initiative]]:
    """The sprint's initiatives by status, in backlog order (a constant number of queries)."""
    columns: dict[str, list[Initiative]] = {code: [] for code in INITIATIVE_STATUSES if code != "idea"}
    items = db.session.scalars(
        db.select(Initiative).where(Initiative.sprint_id == sprint.id)
        .options(selectinload(Initiative.owner), selectinload(Initiative.basket_item))
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


# --- checkpoints and flywheel meetings -------------------------------------------------------------


def record_checkpoint(sprint: Sprint, kind: str, held_on: date | None, who: str, note: str, user: User) -> Checkpoint:
    """Record (or correct) the start or pre-forum alignment of a sprint."""
    _open(sprint)
    if kind not in CHECKPOINT_KINDS:
        raise SprintError(_("Onbekend afstemmingsmoment."))
    errors = []
    if held_on is None:
        errors.append(_("Geef de datum van de afstemming op."))
    elif held_on > today():
        errors.append(_("De datum ligt in de toekomst; noteer de afstemming nadat ze plaatsvond."))
    if not (who or "").strip():
        errors.append(_("Noteer wie aan de afstemming deelnam."))
    if errors:
        raise SprintError(" ".join(errors))
    checkpoint = db.session.scalar(
        db.select(Checkpoint).where(Checkpoint.sprint_id == sprint.id, Checkpoint.kind == kind)
    )
    if checkpoint is None:
        checkpoint = Checkpoint(sprint_id=sprint.id, kind=kind)
        db.session.add(checkpoint)
    checkpoint.held_on = held_on
    checkpoint.who = who.strip()
    checkpoint.note = (note or "").strip()
    checkpoint.recorded_by_id = user.id
    checkpoint.recorded_at = utcnow()
    db.session.commit()
    return checkpoint


def add_meeting(sprint: Sprint, held_on: date | None, attendee_ids: list[int], notes: str,
                user: User) -> FlywheelMeeting:
    """Log a flywheel meeting of a sprint."""
    _open(sprint)
    errors = []
    if held_on is None:
        errors.append(_("Geef de datum van het overleg op."))
    elif held_on > today():
        errors.append(_("De datum ligt in de toekomst; noteer het overleg nadat het plaatsvond."))
    elif not sprint.contains(held_on):
        errors.append(_("Die datum valt buiten sprint %(n)s (%(a)s – %(b)s).", n=sprint.number,
                        a=sprint.start_date.strftime("%d-%m-%Y"), b=sprint.end_date.strftime("%d-%m-%Y")))
    people = {u.id: u for u in flywheel_people(sprint.school)}
    ids = {int(i) for i in attendee_ids if i}
    if not ids:
        errors.append(_("Duid aan wie van het vliegwiel aanwezig was."))
    elif not ids <= set(people):
        errors.append(_("Alleen vliegwielleden en de directie kunnen als aanwezig aangeduid worden."))
    if errors:
        raise SprintError(" ".join(errors))
    meeting = FlywheelMeeting(school_id=sprint.school_id, sprint_id=sprint.id, held_on=held_on,
                              notes=(notes or "").strip(), recorded_by_id=user.id,
                              attendees=[people[i] for i in sorted(ids)])
    db.session.add(meeting)
    db.session.commit()
    return meeting


def meeting_rhythm(school: School) -> tuple[date | None, float | None]:
    """When the flywheel last met, and the average number of days between its meetings."""
    days = list(db.session.scalars(
        db.select(FlywheelMeeting.held_on).where(FlywheelMeeting.school_id == school.id)
        .order_by(FlywheelMeeting.held_on)
    ))
    if not days:
        return None, None
    if len(days) < 2:
        return days[-1], None
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return days[-1], sum(gaps) / len(gaps)


# --- offer basket ----------------------------------------------------------------------------------


def _clean_basket(data: dict) -> dict:
    errors = []
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(_("Geef het item een titel."))
    block = data.get("building_block") or ""
    if block not in BUILDING_BLOCKS:
        errors.append(_("Kies de bouwsteen waar dit aanbod aan werkt."))
    missions = [m for m in (data.get("core_missions") or []) if m]
    if any(m not in CORE_MISSIONS for m in missions):
        errors.append(_("Kies alleen kernopdrachten uit de lijst."))
    level = data.get("health_level") or None
    strategy = data.get("health_strategy") or None
    if (level is None) != (strategy is None):
        errors.append(_("Kies voor de gezondheidsmatrix zowel een niveau als een strategie, of geen van beide."))
    links = [line.strip() for line in (data.get("links") or "").splitlines() if line.strip()]
    if any(not (link.startswith("https://") or link.startswith("http://")) for link in links):
        errors.append(_("Elke link begint met https:// of http:// (één link per regel)."))
    if not (data.get("what") or "").strip():
        errors.append(_("Beschrijf wat het aanbod inhoudt."))
    if errors:
        raise SprintError(" ".join(errors))
    return {
        "title": title, "what": data["what"].strip(), "audience": (data.get("audience") or "").strip(),
        "building_block": block, "core_missions": [m for m in CORE_MISSIONS if m in missions],
        "health_level": level, "health_strategy": strategy,
        "provider": (data.get("provider") or "").strip(), "contact": (data.get("contact") or "").strip(),
        "links": "\n".join(links), "active": bool(data.get("active", True)),
    }


def save_basket_item(programme_id: int, data: dict, item: BasketItem | None = None) -> BasketItem:
    values = _clean_basket(data)
    if item is None:
        item = BasketItem(programme_id=programme_id)
        db.session.add(item)
    for key, value in values.items():
        setattr(item, key, value)
    db.session.commit()
    return item


def basket_items(programme_id: int, include_inactive: bool = False) -> list[BasketItem]:
    query = db.select(BasketItem).where(BasketItem.programme_id == programme_id)
    if not include_inactive:
        query = query.where(BasketItem.active.is_(True))
    return list(db.session.scalars(query.order_by(BasketItem.building_block, BasketItem.title)))


# --- charts' data ----------------------------------------------------------------------------------


def burnup(sprint: Sprint) -> list[tuple[int, date, int | None, int]]:
    """Per week of the sprint: (week number, last day, initiatives done by then, initiatives in scope).

    Weeks that have not begun yet have None for "done".
    """
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
    sprints = sprints_of(school)
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
    return [(s, coverage([by_id[i] for i in members.get(s.id, ())])) for s in sprints]


def health_grid(school: School) -> dict[tuple[str, str], int]:
    """Counts of the school's initiatives (not dropped) per health-matrix cell."""
    rows = db.session.execute(
        db.select(Initiative.health_level, Initiative.health_strategy, func.count())
        .where(Initiative.school_id == school.id, Initiative.health_level.is_not(None),
               Initiative.status != "dropped")
        .group_by(Initiative.health_level, Initiative.health_strategy)
    ).all()
    return {(level, strategy): n for level, strategy, n in rows}
