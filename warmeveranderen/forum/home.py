"""What the forum adds to the home pages: next steps per role and a panel on the school's home."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from warmeveranderen.core.registry import Step, Todo, adviser_todo, next_step, school_panel
from warmeveranderen.domain import DIRECTOR, FLYWHEEL
from warmeveranderen.extensions import db
from warmeveranderen.forum import services
from warmeveranderen.forum.models import Advice, AdviceRound, Decision
from warmeveranderen.forum.permissions import can_decide, can_manage_forum, can_view_forum, is_forum_member
from warmeveranderen.memo import per_request
from warmeveranderen.permissions import has_role
from warmeveranderen.timeutil import utcnow

# A deadline this close makes the step urgent.
URGENT_WITHIN = timedelta(days=2)


@per_request
def _undecided_rounds(school) -> list[AdviceRound]:
    return db.session.scalars(
        db.select(AdviceRound)
        .where(AdviceRound.school_id == school.id, ~AdviceRound.decisions.any())
        .options(selectinload(AdviceRound.advice).selectinload(Advice.response), selectinload(AdviceRound.school))
        .order_by(AdviceRound.deadline)
    ).all()


@next_step
def forum_steps(user, school) -> list[Step]:
    if not can_view_forum(user, school):
        return []
    now = utcnow()
    steps: list[Step] = []
    rounds = _undecided_rounds(school)
    if is_forum_member(user, school):
        for r in rounds:
            if r.is_open(now) and not any(a.author_id == user.id for a in r.advice):
                steps.append(Step(
                    _("Geef advies over %(title)s vóór %(deadline)s",
                      title=r.subject_title, deadline=format_datetime(r.deadline, "d MMM HH:mm")),
                    url_for("forum.round", school_id=school.id, round_id=r.id),
                    1 if r.deadline - now <= URGENT_WITHIN else 2,
                ))
    # Only the flywheel (and the director, who may own an initiative) can decide; skip the owner lookups for others.
    deciders = has_role(user, school, FLYWHEEL, DIRECTOR)
    for r in rounds:
        if deciders and not r.is_open(now) and can_decide(user, r):
            steps.append(Step(
                _("Reageer op het advies over %(title)s en neem een besluit", title=r.subject_title),
                url_for("forum.round", school_id=school.id, round_id=r.id), 1,
            ))
    if can_manage_forum(user, school):
        if services.agenda_candidates(school):
            steps.append(Step(_("Zet initiatieven op de agenda van het forum"),
                              url_for("forum.overview", school_id=school.id) + "#klaar", 2))
        from warmeveranderen.sprints.services import current_sprint_once

        sprint = current_sprint_once(school)
        if sprint is not None and sprint in services.sprints_without_session(school):
            steps.append(Step(_("Plan de forumbijeenkomst van sprint %(n)s", n=sprint.number),
                              url_for("forum.new_session", school_id=school.id, sprint_id=sprint.id), 2))
    return steps


@school_panel("forum/_panel.html", order=60)
def forum_panel(user, school) -> dict | None:
    if not can_view_forum(user, school):
        return None
    now = utcnow()
    rounds = _undecided_rounds(school)
    decisions = db.session.scalars(
        db.select(Decision).where(Decision.school_id == school.id).order_by(Decision.decided_at.desc()).limit(3)
    ).all()
    return {
        "school": school,
        "next_session": services.next_session(school, now),
        "open_rounds": [r for r in rounds if r.is_open(now)],
        "closed_rounds": [r for r in rounds if not r.is_open(now)],
        "decisions": decisions,
    }


@adviser_todo
def rounds_to_comment(user, schools) -> list[Todo]:
    """Open advice rounds in the adviser's schools, where they may comment in a supporting role (one query)."""
    by_id = {s.id: s for s in schools}
    rows = db.session.execute(
        db.select(AdviceRound.id, AdviceRound.school_id, AdviceRound.subject_title)
        .where(AdviceRound.school_id.in_(by_id), AdviceRound.deadline > utcnow())
        .order_by(AdviceRound.deadline)
    ).all()
    kind = _("Open adviesrondes waarbij je kunt reageren")
    return [Todo(kind, by_id[school_id], url_for("forum.round", school_id=school_id, round_id=round_id), title)
            for round_id, school_id, title in rows]
