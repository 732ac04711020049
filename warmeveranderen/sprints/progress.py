"""What the sprints contribute to the follow-up (tracking's registry): a section of the school's
progress page, the stall check "no sprint closed in 12 weeks" and the facts for indicator 9
(a cadence that is kept: closed sprints with both alignments, a flywheel that meets regularly).
Imported by the views so that it registers."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func

from warmeveranderen.extensions import db
from warmeveranderen.sprints import services
from warmeveranderen.sprints.models import Checkpoint, Sprint, SprintCalendar
from warmeveranderen.sprints.permissions import can_view_sprints
from warmeveranderen.timeutil import today, utcnow
from warmeveranderen.tracking.registry import indicator_fact, progress_section, stall_check

# A school whose cadence runs longer than this without a closed sprint stalls.
STALL_AFTER = timedelta(weeks=12)
BOTH_CHECKPOINTS = {"start", "pre_forum"}


@progress_section("sprints/sections/progress.html", order=30)
def sprints_section(user, school) -> dict | None:
    """Every sprint with the building blocks it covers, the last closed one and the meeting rhythm."""
    if not can_view_sprints(user, school):
        return None
    rows = services.coverage_over_sprints(school)
    day = today()
    # Only the sprints that have begun say something about progress; the next one is still empty.
    rows = [(sprint, counts) for sprint, counts in rows if sprint.start_date <= day]
    closed = [sprint for sprint, _counts in rows if sprint.state == "closed"]
    last_met, rhythm = services.meeting_rhythm(school)
    return {
        "rows": rows,
        "last_closed": closed[-1] if closed else None,
        "closed_count": len(closed),
        "last_met": last_met,
        "rhythm": round(rhythm) if rhythm is not None else None,
    }


@stall_check
def no_sprint_closed(schools) -> dict[int, list[str]]:
    """Schools whose cadence started more than 12 weeks ago and closed no sprint since then (one query)."""
    since = utcnow() - STALL_AFTER
    rows = db.session.execute(
        db.select(SprintCalendar.school_id, SprintCalendar.start_date, func.max(Sprint.closed_at))
        .outerjoin(Sprint, Sprint.school_id == SprintCalendar.school_id)
        .where(SprintCalendar.school_id.in_([s.id for s in schools]))
        .group_by(SprintCalendar.school_id, SprintCalendar.start_date)
    ).all()
    cutoff = today() - STALL_AFTER
    reason = _("Geen sprint afgesloten in 12 weken")
    return {
        school_id: [reason] for school_id, start, last_closed in rows
        if start <= cutoff and (last_closed is None or last_closed < since)
    }


def cadence_facts(school) -> tuple[int, int, float | None]:
    """(sprints closed with both alignments, sprints that have ended, average days between flywheel meetings)."""
    day = today()
    ended = list(db.session.execute(
        db.select(Sprint.id, Sprint.state).where(
            Sprint.school_id == school.id, (Sprint.end_date < day) | (Sprint.state == "closed")
        )
    ))
    kinds: dict[int, set[str]] = defaultdict(set)
    if ended:
        for sprint_id, kind in db.session.execute(
            db.select(Checkpoint.sprint_id, Checkpoint.kind).where(Checkpoint.sprint_id.in_([r.id for r in ended]))
        ):
            kinds[sprint_id].add(kind)
    good = sum(1 for r in ended if r.state == "closed" and BOTH_CHECKPOINTS <= kinds[r.id])
    _last, rhythm = services.meeting_rhythm(school)
    return good, len(ended), rhythm


@indicator_fact(9)
def kept_cadence(school) -> str | None:
    good, ended, rhythm = cadence_facts(school)
    if not ended and rhythm is None:
        return None
    text = ngettext(
        "%(good)s van %(num)s sprint afgesloten met beide afstemmingen",
        "%(good)s van %(num)s sprints afgesloten met beide afstemmingen",
        ended, good=good,
    )
    if rhythm is not None:
        text += _("; het vliegwiel kwam gemiddeld om de %(days)s dagen samen", days=round(rhythm))
    return text + "."
