"""The sprint panel on the school's home page and the next steps of the sprint rhythm."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.core.registry import Step, next_step, school_panel
from warmeveranderen.sprints import services
from warmeveranderen.sprints.permissions import can_edit_sprints, can_setup_cadence, can_view_sprints
from warmeveranderen.timeutil import today


@school_panel("sprints/_panel.html", order=20)
def sprint_panel(user, school) -> dict | None:
    if not can_view_sprints(user, school):
        return None
    current = services.current_sprint_once(school)
    context = {"school": school, "current": current, "days_left": None, "coverage": None,
               "warning": None, "touched": 0, "following": None}
    if current is not None:
        counts = services.coverage(current.initiatives)
        context.update(
            days_left=(current.end_date - today()).days,
            coverage=counts,
            touched=sum(1 for n in counts.values() if n),
            warning=services.coverage_warning(counts),
            following=services.next_sprint(current),
        )
    return context


@next_step
def sprint_steps(user, school) -> list[Step]:
    steps: list[Step] = []
    if not can_edit_sprints(user, school) and not can_setup_cadence(user, school):
        return steps
    if services.calendar_once(school) is None:
        if can_setup_cadence(user, school):
            steps.append(Step(_("Stel de sprintkalender in: kies de eerste dag van sprint 1."),
                              url_for("sprints.index", school_id=school.id), 1))
        return steps
    if not can_edit_sprints(user, school):
        return steps
    current = services.current_sprint_once(school)
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
        last_met, _rhythm = services.meeting_rhythm(school)
        if last_met is None or (today() - last_met).days > 14:
            steps.append(Step(_("Het vliegwiel kwam meer dan twee weken niet samen: plan een overleg."),
                              url_for("sprints.meeting", sprint_id=current.id), 2))
        if (current.end_date - today()).days <= 14:
            if "pre_forum" not in kinds:
                steps.append(Step(_("Stem af met het bestuursteam vóór het forum."), sprint_url, 2))
            steps.append(Step(_("Sluit sprint %(n)s af met een review en retrospectieve.", n=current.number),
                              url_for("sprints.close", sprint_id=current.id), 2))
    previous = services.previous_sprint(current)
    if previous is not None and previous.state == "active":
        steps.append(Step(_("Sluit sprint %(n)s af met een review en retrospectieve.", n=previous.number),
                          url_for("sprints.close", sprint_id=previous.id), 1))
    return steps
