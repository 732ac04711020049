"""Changing the cadence and the sprints: the calendar, a sprint's goal, start, alignments, meetings, close.

Functions change state and flush; the request (or the job) commits once (`warmeveranderen.uow`).
A rule that refuses a change raises SprintError with a Dutch message, before anything changed.

Sprint rows are made when the calendar changes (set up, moved, a new length, a sprint started or
closed) and by the sweep's upkeep (`extend_cadences`, every sweep): the sprint that contains today
and the one after it always exist, so pages only read.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import CHECKPOINT_KINDS, SPRINT_RESULTS, SPRINT_WEEKS
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.notifications.upkeep import upkeep
from warmeveranderen.programme.models import School
from warmeveranderen.sprints import closing
from warmeveranderen.sprints.models import Checkpoint, FlywheelMeeting, Sprint, SprintCalendar, SprintChange
from warmeveranderen.sprints.queries import (
    FINAL_STATUSES,
    calendar_of,
    calendars_to_extend,
    flywheel_people,
    hand_moved_starts,
    has_sprint_after,
    last_sprint,
    next_sprint,
    previous_sprint,
    sprint_weeks,
)
from warmeveranderen.sprints.replan import follow
from warmeveranderen.sprints.schooltime import calendar_for, next_begin, plan
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.timeutil import today, utcnow

# --- the calendar ----------------------------------------------------------------------------------


def _new_sprint(school: School, number: int, span: tuple[date, date]) -> Sprint:
    sprint = Sprint(school_id=school.id, number=number, start_date=span[0], end_date=span[1])
    db.session.add(sprint)
    return sprint


def _extend(school: School, calendar: SprintCalendar, day: date) -> bool:
    """Add sprints until the one after the sprint containing `day` exists. Returns whether it added any.

    Each sprint lasts the school's length in school weeks (`schooltime.plan`): holiday weeks do not
    count, it starts and ends on a school day and the summer ends the last sprint of a school year.
    """
    last = last_sprint(school)
    weeks = sprint_weeks(calendar)
    cal = calendar_for(school)
    added = False
    if last is None:
        last = _new_sprint(school, 1, plan(cal, calendar.start_date, weeks)[0])
        added = True
    # Sprints follow each other in school time from the cadence start, so once the last one starts
    # after `horizon`, the sprint containing `horizon` (if it is not in a holiday) and the next exist.
    horizon = max(day, calendar.start_date)
    while last.start_date <= horizon or last.number < 2:
        last = _new_sprint(school, last.number + 1, plan(cal, next_begin(cal, last), weeks)[0])
        added = True
    db.session.flush()
    return added


def ensure_sprints(school: School, day: date | None = None) -> bool:
    """Make sure the sprint containing `day` (default today) and the next one exist; whether it added any.

    Whoever adds the same sprints first wins (unique number): a race only costs this attempt, in a
    savepoint, never the rest of the transaction.
    """
    calendar = calendar_of(school)
    if calendar is None:
        return False
    horizon = max(day or today(), calendar.start_date)
    if has_sprint_after(school, horizon):
        return False
    try:
        with db.session.begin_nested():
            return _extend(school, calendar, horizon)
    except IntegrityError:
        return False


@upkeep
def extend_cadences(day: date) -> None:
    """The sweep's upkeep: every school's cadence gets the sprint containing `day` and the one after it."""
    for calendar in calendars_to_extend(day):
        ensure_sprints(calendar.school, day)


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
                                d=format_day(previous.start_date)))
    calendar = calendar_of(sprint.school)
    cal = calendar_for(sprint.school)
    weeks = sprint_weeks(calendar)
    later = list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == sprint.school_id, Sprint.number > sprint.number)
        .order_by(Sprint.number)
    ))
    old_start = sprint.start_date
    # The coordinator's date is kept as given (even off the school calendar: the programme view flags it);
    # the sprint's end and every later sprint follow the school calendar from there.
    sprint.start_date = new_start
    sprint.end_date = max(new_start, plan(cal, new_start, weeks)[0][1])
    follow(cal, weeks, sprint, later, new_start)
    if previous is not None:
        before = cal.previous_school_day(new_start)
        previous.end_date = before if before >= previous.start_date else new_start - timedelta(days=1)
    else:
        calendar.start_date = new_start
    db.session.add(SprintChange(school_id=sprint.school_id, sprint_id=sprint.id, kind="move",
                                old_start=old_start, new_start=new_start, reason=reason,
                                changed_by_id=user.id))
    _extend(sprint.school, calendar, today())
    db.session.flush()


def set_sprint_weeks(school: School, weeks: int | None, reason: str, user: User) -> None:
    """Set the school's own sprint length (None = the programme default) with a reason.

    Future sprints (planned, starting after today) take the new length; running and closed sprints keep theirs.
    """
    reason = _require_reason(reason)
    calendar = calendar_of(school)
    if calendar is None:
        raise SprintError(_("Stel eerst de sprintkalender van deze school in."))
    if weeks is not None and not SPRINT_WEEKS.min <= weeks <= SPRINT_WEEKS.max:
        raise SprintError(_("Een sprint duurt tussen %(a)s en %(b)s weken.", a=SPRINT_WEEKS.min, b=SPRINT_WEEKS.max))
    old = sprint_weeks(calendar)
    calendar.weeks_override = weeks
    calendar.override_reason = reason
    new = sprint_weeks(calendar)
    sprints = list(db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)
    ))
    future = [s for s in sprints if s.state == "planned" and s.start_date > today()]
    if future:
        before = [s for s in sprints if s.number < future[0].number]
        follow(calendar_for(school), new, before[-1] if before else None, future, calendar.start_date,
                hand_moved_starts(school))
    db.session.add(SprintChange(school_id=school.id, kind="length", old_weeks=old, new_weeks=new,
                                reason=reason, changed_by_id=user.id))
    _extend(school, calendar, today())
    db.session.flush()


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
    db.session.flush()


def start_sprint(sprint: Sprint, user: User) -> None:
    """Start a sprint: it needs a goal; the next sprint is created at once."""
    _open(sprint)
    if sprint.state == "active":
        raise SprintError(_("Deze sprint loopt al."))
    if not sprint.goal.strip():
        raise SprintError(_("Een sprint kan pas starten met een sprintdoel. Vul eerst het doel in."))
    if sprint.start_date > today():
        raise SprintError(_("Deze sprint begint volgens de cadans pas op %(d)s.",
                            d=format_day(sprint.start_date)))
    previous = previous_sprint(sprint)
    if previous is not None and previous.state == "active":
        raise SprintError(_("Sluit eerst sprint %(n)s af met een review en retrospectieve.", n=previous.number))
    sprint.state = "active"
    sprint.started_at = utcnow()
    sprint.started_by_id = user.id
    _extend(sprint.school, calendar_of(sprint.school), max(today(), sprint.start_date))
    db.session.flush()


def close_sprint(sprint: Sprint, results: dict[int, tuple[str, str]], *, went_well: str, to_improve: str,
                 actions: str, summary: str, user: User, confirm_early: bool = False) -> None:
    """Close a sprint with a result per initiative and a retrospective; it becomes read-only.

    Before its last day only with `confirm_early`. Each initiative gets its way forward and the sprint
    its snapshot (`closing.settle`).
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
    closing.check_early_close(sprint, confirm_early)
    _extend(sprint.school, calendar_of(sprint.school), max(today(), sprint.start_date))
    db.session.flush()
    closing.settle(sprint, initiatives, results, user, next_sprint(sprint))
    sprint.retro_went_well = went_well
    sprint.retro_to_improve = to_improve
    sprint.retro_actions = (actions or "").strip()
    sprint.review_summary = (summary or "").strip()
    sprint.state = "closed"
    sprint.closed_at = utcnow()
    sprint.closed_by_id = user.id
    db.session.flush()


# --- checkpoints and flywheel meetings -------------------------------------------------------------


def _recordable(sprint: Sprint) -> None:
    """Meetings and alignments belong to a sprint's calendar period, even after an early close."""
    if sprint.is_closed and today() > sprint.end_date:
        raise SprintError(_("Sprint %(n)s is afgesloten en zijn periode is voorbij.", n=sprint.number))


def record_checkpoint(sprint: Sprint, kind: str, held_on: date | None, who: str, note: str, user: User) -> Checkpoint:
    """Record (or correct) the start or pre-forum alignment of a sprint (also closed, during its period)."""
    _recordable(sprint)
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
    db.session.flush()
    return checkpoint


def add_meeting(sprint: Sprint, held_on: date | None, attendee_ids: list[int], notes: str,
                user: User) -> FlywheelMeeting:
    """Log a flywheel meeting of a sprint (also closed, during its period)."""
    _recordable(sprint)
    errors = []
    if held_on is None:
        errors.append(_("Geef de datum van het overleg op."))
    elif held_on > today():
        errors.append(_("De datum ligt in de toekomst; noteer het overleg nadat het plaatsvond."))
    elif not sprint.contains(held_on):
        errors.append(_("Die datum valt buiten sprint %(n)s (%(a)s – %(b)s).", n=sprint.number,
                        a=format_day(sprint.start_date), b=format_day(sprint.end_date)))
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
    db.session.flush()
    return meeting
