"""The sprint panel on the school's home page and the next steps of the sprint rhythm.

What the sprints contribute to the follow-up (tracking's registry): a section of the school's
progress page, the stall check "no sprint closed in 12 weeks" and the facts for indicator 9
(a cadence that is kept: closed sprints with both alignments, a flywheel that meets regularly).
The sprints' `init_app` registers them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func

from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.parts import Step, indicator_fact, journey_start, next_step, progress_section, school_panel, stall_check
from warmeveranderen.sprints import queries
from warmeveranderen.sprints.models import Checkpoint, Sprint, SprintCalendar
from warmeveranderen.sprints.permissions import can_edit_sprints, can_setup_cadence, can_view_sprints
from warmeveranderen.timeutil import today, utcnow

# --- the home pages ------------------------------------------------------------------------------------


@school_panel("sprints/_panel.html", order=20)
def sprint_panel(user, school) -> dict | None:
    if not can_view_sprints(user, school):
        return None
    current = queries.current_sprint_once(school)
    context = {"school": school, "current": current, "days_left": None, "coverage": None,
               "warning": None, "touched": 0, "following": None}
    if current is not None:
        counts = queries.coverage(current.initiatives)
        context.update(
            days_left=None if current.is_closed else (current.end_date - today()).days,
            coverage=counts,
            touched=sum(1 for n in counts.values() if n),
            warning=queries.coverage_warning(counts),
            following=queries.neighbour_once(school, current, 1),
        )
    return context


@next_step
def sprint_steps(user, school) -> list[Step]:
    steps: list[Step] = []
    if not can_edit_sprints(user, school) and not can_setup_cadence(user, school):
        return steps
    if queries.calendar_once(school) is None:
        if can_setup_cadence(user, school):
            steps.append(Step(_("Stel de sprintkalender in: kies de eerste dag van sprint 1."),
                              url_for("sprints.index", school_id=school.id), 1))
        return steps
    if not can_edit_sprints(user, school):
        return steps
    current = queries.current_sprint_once(school)
    if current is None:
        return steps
    sprint_url = url_for("sprints.sprint", sprint_id=current.id)
    if current.state == "planned":
        if not current.goal.strip():
            steps.append(Step(_("Stel het doel van sprint %(n)s vast.", n=current.number), sprint_url, 1))
        else:
            steps.append(Step(_("Start sprint %(n)s.", n=current.number), sprint_url, 1))
    elif current.state == "active":
        if not current.initiatives:
            steps.append(Step(_("Plan initiatieven in sprint %(n)s.", n=current.number), sprint_url, 1))
        kinds = {c.kind for c in current.checkpoints}
        if "start" not in kinds:
            steps.append(Step(_("Leg de afstemming met het bestuursteam bij de start vast."), sprint_url, 2))
        last_met, _rhythm = queries.meeting_rhythm_once(school)
        if last_met is None or (today() - last_met).days > 14:
            steps.append(Step(_("Het vliegwiel kwam meer dan twee weken niet samen: plan een overleg."),
                              url_for("sprints.meeting", sprint_id=current.id), 2))
        if (current.end_date - today()).days <= 14:
            if "pre_forum" not in kinds:
                steps.append(Step(_("Stem af met het bestuursteam vóór het forum."), sprint_url, 2))
            steps.append(Step(_("Sluit sprint %(n)s af met een review en retrospectieve.", n=current.number),
                              url_for("sprints.close", sprint_id=current.id), 2))
    elif current.state == "closed":
        # Closed before its last day: the cadence stays, the next sprint is prepared.
        following = queries.neighbour_once(school, current, 1)
        if following is not None and not following.goal.strip():
            steps.append(Step(_("Sprint %(n)s is afgesloten. Stel het doel van sprint %(m)s vast; die begint op %(d)s.",
                                n=current.number, m=following.number, d=format_day(following.start_date)),
                              url_for("sprints.sprint", sprint_id=following.id), 2))
    previous = queries.neighbour_once(school, current, -1)
    if previous is not None and previous.state == "active":
        steps.append(Step(_("Sluit sprint %(n)s af met een review en retrospectieve.", n=previous.number),
                          url_for("sprints.close", sprint_id=previous.id), 1))
    return steps


# --- the follow-up pages -------------------------------------------------------------------------------

# A school whose cadence runs longer than this without a closed sprint stalls.
STALL_AFTER = timedelta(weeks=12)
BOTH_CHECKPOINTS = {"start", "pre_forum"}


@progress_section("sprints/sections/progress.html", order=30)
def sprints_section(user, school) -> dict | None:
    """Every sprint with the building blocks it covers, the last closed one and the meeting rhythm."""
    if not can_view_sprints(user, school):
        return None
    rows = queries.coverage_over_sprints(school)
    day = today()
    # Only the sprints that have begun say something about progress; the next one is still empty.
    rows = [(sprint, counts) for sprint, counts in rows if sprint.start_date <= day]
    closed = [sprint for sprint, _counts in rows if sprint.state == "closed"]
    last_met, rhythm = queries.meeting_rhythm_once(school)
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
    _last, rhythm = queries.meeting_rhythm(school)
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


@journey_start
def cadence_start(school):
    """The school's sprints began on the first day of its cadence (the intake's default start follows it)."""
    return db.session.scalar(db.select(SprintCalendar.start_date).where(SprintCalendar.school_id == school.id))
