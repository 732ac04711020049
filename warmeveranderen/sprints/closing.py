"""Closing a sprint and reopening one closed by mistake: results, the way forward, the snapshot.

Functions change state and flush; the request commits once (`warmeveranderen.uow`). `cadence.close_sprint`
checks the close and calls `settle`; `reopen_sprint` undoes a close within REOPEN_DAYS.

What a close does with each initiative, so that every initiative keeps a way forward:
- "achieved": done, when the guards allow it (a small action, or a decision on the forum's advice);
  otherwise it goes on to the next sprint with its status, to be put to the forum there;
- "partly" and "carried_over": on to the next sprint with their status;
- "not_achieved": back to the backlog as an idea.
The snapshot keeps what the sprint planned and achieved as it was at the close (`Sprint.snapshot`).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.sprints import queries
from warmeveranderen.sprints.models import Initiative, InitiativeEvent, Sprint, SprintChange, SprintResult
from warmeveranderen.sprints.queries import FINAL_STATUSES
from warmeveranderen.sprints.schooltime import calendar_for, next_begin
from warmeveranderen.sprints.services import SprintError, guard_refusal, record_status
from warmeveranderen.timeutil import today, utcnow

# A sprint closed by mistake can be reopened this many days after its close.
REOPEN_DAYS = 7


def days_left(sprint: Sprint) -> int:
    """Calendar days from today until the sprint's last day (0 on its last day)."""
    return max(0, (sprint.end_date - today()).days)


def check_early_close(sprint: Sprint, confirmed: bool) -> None:
    """Closing before the last day needs an explicit confirmation that names the days left."""
    if today() < sprint.end_date and not confirmed:
        raise SprintError(_("Sprint %(n)s loopt volgens de cadans nog %(d)s dagen, tot en met %(e)s. Vink aan dat "
                            "je hem nu al afsluit; de volgende sprint begint toch pas op %(s)s.",
                            n=sprint.number, d=days_left(sprint), e=format_day(sprint.end_date),
                            s=format_day(next_begin(calendar_for(sprint.school), sprint))))


def snapshot(sprint: Sprint, initiatives: list[Initiative], results: dict[int, tuple[str, str]]) -> dict:
    """What the sprint planned and achieved, as it is now (taken at the close, before anything moves on)."""
    return {
        "coverage": queries.coverage(initiatives),
        "planned": len(initiatives),
        "achieved": sum(1 for i in initiatives if results[i.id][0] == "achieved"),
        "done": sum(1 for i in initiatives if i.status == "done"),
        "burnup": [[week, last.isoformat(), done, scope] for week, last, done, scope in queries.burnup(sprint)],
    }


def settle(sprint: Sprint, initiatives: list[Initiative], results: dict[int, tuple[str, str]], user: User,
           following: Sprint) -> None:
    """Record each initiative's result, give it its way forward and keep the sprint's snapshot."""
    onward: list[tuple[Initiative, str]] = []
    for initiative in initiatives:
        result, note = results[initiative.id]
        db.session.add(SprintResult(sprint_id=sprint.id, initiative_id=initiative.id, result=result,
                                    note=(note or "").strip()))
        if initiative.status in FINAL_STATUSES:
            continue
        if result == "achieved":
            if guard_refusal(initiative, "done", user) is None:
                record_status(initiative, "done", user, _("Bereikt in sprint %(n)s.", n=sprint.number))
            else:
                onward.append((initiative, _("Bereikt in sprint %(n)s, maar nog zonder besluit op het advies van "
                                             "het forum: mee naar sprint %(m)s om het voor te leggen.",
                                             n=sprint.number, m=following.number)))
        elif result in ("carried_over", "partly"):
            onward.append((initiative, _("Meegenomen van sprint %(n)s naar sprint %(m)s.",
                                         n=sprint.number, m=following.number)))
    db.session.flush()
    sprint.snapshot = snapshot(sprint, initiatives, results)
    for initiative in initiatives:
        if results[initiative.id][0] == "not_achieved" and initiative.status not in FINAL_STATUSES:
            record_status(initiative, "idea", user, _("Niet bereikt in sprint %(n)s; terug naar de backlog.",
                                                n=sprint.number))
            initiative.sprint_id = None
    for initiative, note in onward:
        initiative.sprint_id = following.id
        # The status stays; the event keeps why the card changed sprint.
        db.session.add(InitiativeEvent(initiative_id=initiative.id, sprint_id=following.id,
                                       from_status=initiative.status, to_status=initiative.status,
                                       user_id=user.id, note=note))
    # carried_over of a done or dropped initiative is refused by close_sprint; nothing else moves.


def reopen_refusal(sprint: Sprint) -> str | None:
    """Why this sprint cannot be reopened now (Dutch), or None."""
    if not sprint.is_closed:
        return _("Deze sprint is niet afgesloten.")
    if sprint.closed_at is None or utcnow() - sprint.closed_at > timedelta(days=REOPEN_DAYS):
        return _("Een sprint kan alleen binnen %(d)s dagen na het afsluiten heropend worden.", d=REOPEN_DAYS)
    following = queries.next_sprint(sprint)
    if following is not None and following.state != "planned":
        return _("Sprint %(n)s is al gestart; sprint %(m)s kan niet meer heropend worden.",
                 n=following.number, m=sprint.number)
    return None


def reopen_sprint(sprint: Sprint, reason: str, user: User) -> None:
    """Reopen a sprint closed by mistake: it runs again and its initiatives come back; the reason is kept."""
    reason = (reason or "").strip()
    refusal = reopen_refusal(sprint)
    if refusal:
        raise SprintError(refusal)
    if not reason:
        raise SprintError(_("Geef een reden op: het heropenen wordt bijgehouden in de geschiedenis van de cadans."))
    following = queries.next_sprint(sprint)
    for result in list(sprint.results):
        initiative = result.initiative
        if following is not None and initiative.sprint_id == following.id and initiative.status not in FINAL_STATUSES:
            initiative.sprint_id = sprint.id
        elif result.result == "not_achieved" and initiative.sprint_id is None and initiative.status == "idea":
            back = _status_before_backlog(initiative)
            initiative.sprint_id = sprint.id
            record_status(initiative, back, user, _("Sprint %(n)s heropend.", n=sprint.number))
    sprint.results.clear()
    sprint.state = "active"
    sprint.closed_at = None
    sprint.closed_by_id = None
    sprint.snapshot = None
    db.session.add(SprintChange(school_id=sprint.school_id, sprint_id=sprint.id, kind="reopen", reason=reason,
                                changed_by_id=user.id))
    db.session.flush()


def _status_before_backlog(initiative: Initiative) -> str:
    """The status an initiative had before the close sent it back to the backlog."""
    event = db.session.scalar(
        db.select(InitiativeEvent).where(InitiativeEvent.initiative_id == initiative.id,
                                         InitiativeEvent.to_status == "idea")
        .order_by(InitiativeEvent.at.desc(), InitiativeEvent.id.desc()).limit(1)
    )
    status = event.from_status if event is not None else None
    return status if status and status not in ("idea", *FINAL_STATUSES) else "planned"
