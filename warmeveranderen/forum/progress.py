"""What the forum contributes to the follow-up (tracking's registry): the forum's activity on the
school's progress page and the stall check "no forum session or round in the current or last sprint".
Imported by the views so that it registers."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import case, func
from sqlalchemy.orm import aliased

from warmeveranderen.domain import ADVICE_STANCES, DECISION_OUTCOMES, STAKEHOLDER_GROUPS
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Advice, AdviceRound, Decision, ForumSession
from warmeveranderen.forum.permissions import can_view_forum
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.timeutil import today, utcnow
from warmeveranderen.tracking.registry import progress_section, stall_check


@progress_section("forum/sections/progress.html", order=40)
def forum_section(user, school) -> dict | None:
    """Sessions, rounds, advice per stakeholder group and the decisions, in five aggregate queries."""
    if not can_view_forum(user, school):
        return None
    now = utcnow()
    sessions, last_session = db.session.execute(
        db.select(func.count(ForumSession.id), func.max(ForumSession.starts_at))
        .where(ForumSession.school_id == school.id, ForumSession.starts_at <= now)
    ).one()
    decided = AdviceRound.decisions.any()
    total, open_, awaiting = db.session.execute(
        db.select(
            func.count(AdviceRound.id),
            func.coalesce(func.sum(case((AdviceRound.deadline > now, 1), else_=0)), 0),
            func.coalesce(func.sum(case(((AdviceRound.deadline <= now) & ~decided, 1), else_=0)), 0),
        ).where(AdviceRound.school_id == school.id)
    ).one()
    per_group: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ADVICE_STANCES, 0))
    for group, stance, count in db.session.execute(
        db.select(Advice.stakeholder_group, Advice.stance, func.count())
        .join(AdviceRound, AdviceRound.id == Advice.round_id)
        .where(AdviceRound.school_id == school.id)
        .group_by(Advice.stakeholder_group, Advice.stance)
    ):
        per_group[group or "staff"][stance] = count
    outcomes = dict.fromkeys(DECISION_OUTCOMES, 0)
    for outcome, count in db.session.execute(
        db.select(Decision.outcome, func.count()).where(Decision.school_id == school.id).group_by(Decision.outcome)
    ):
        outcomes[outcome] = count
    recent = db.session.scalars(
        db.select(Decision).where(Decision.school_id == school.id).order_by(Decision.decided_at.desc()).limit(5)
    ).all()
    return {
        "sessions": sessions,
        "last_session": last_session,
        "rounds": total,
        "open": int(open_),
        "awaiting": int(awaiting),
        "per_group": [(code, name, per_group[code]) for code, name in STAKEHOLDER_GROUPS.items() if code in per_group],
        "stances": ADVICE_STANCES,
        "outcomes": outcomes,
        "recent": recent,
    }


@stall_check
def no_forum_in_sprint(schools) -> dict[int, list[str]]:
    """Schools past their first sprint with neither a forum session nor an advice round in the
    current or the last sprint (three queries, whatever the number of schools)."""
    ids = [s.id for s in schools]
    day = today()
    current, previous = aliased(Sprint), aliased(Sprint)
    pairs = db.session.execute(
        db.select(current.school_id, current.id, previous.id, previous.start_date)
        .join(previous, (previous.school_id == current.school_id) & (previous.number == current.number - 1))
        .where(current.school_id.in_(ids), current.start_date <= day, current.end_date >= day)
    ).all()
    if not pairs:
        return {}
    sprint_ids = [p[1] for p in pairs] + [p[2] for p in pairs]
    with_session = set(db.session.scalars(
        db.select(ForumSession.sprint_id).where(ForumSession.sprint_id.in_(sprint_ids)).distinct()
    ))
    last_round = dict(db.session.execute(
        db.select(AdviceRound.school_id, func.max(AdviceRound.opened_at))
        .where(AdviceRound.school_id.in_([p[0] for p in pairs])).group_by(AdviceRound.school_id)
    ).all())
    reason = _("Geen forum in de huidige of vorige sprint")
    flags = {}
    for school_id, current_id, previous_id, previous_start in pairs:
        if current_id in with_session or previous_id in with_session:
            continue
        opened = last_round.get(school_id)
        if opened is not None and opened.date() >= previous_start:
            continue
        flags[school_id] = [reason]
    return flags
