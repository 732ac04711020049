"""What the forum adds to the home pages: next steps per role and a panel on the school's home;
to an initiative's page: the advice rounds about it.

What the forum contributes to the follow-up (tracking's registry): the forum's activity on the
school's progress page and the stall check "no forum session or round in the current or last sprint".
The forum's `init_app` registers them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import aliased, joinedload

from warmeveranderen.domain import ADVICE_STANCES, DECISION_OUTCOMES, DIRECTOR, FLYWHEEL, STAKEHOLDER_GROUPS
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_moment_short
from warmeveranderen.forum import queries
from warmeveranderen.forum.initiatives import KIND
from warmeveranderen.forum.models import Advice, AdviceRound, Decision, ForumSession
from warmeveranderen.forum.permissions import can_decide, can_manage_forum, can_view_forum, is_forum_member
from warmeveranderen.memo import per_request
from warmeveranderen.parts import (
    Step,
    Todo,
    adviser_todo,
    initiative_section,
    next_step,
    progress_section,
    school_panel,
    stall_check,
)
from warmeveranderen.permissions import has_role
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.sprints.queries import current_sprint_once
from warmeveranderen.timeutil import today, utcnow

# --- from home.py ------------------------------------------------------------
# A deadline this close makes the step urgent.
URGENT_WITHIN = timedelta(days=2)


@per_request
def _undecided_rounds(school) -> list[AdviceRound]:
    """The rounds without a decision, with their advice and responses: one statement (a round's school
    is the page's, already loaded)."""
    return db.session.scalars(
        db.select(AdviceRound)
        .where(AdviceRound.school_id == school.id, ~AdviceRound.decisions.any())
        .options(joinedload(AdviceRound.advice).joinedload(Advice.response))
        .order_by(AdviceRound.deadline, AdviceRound.id)
    ).unique().all()


@per_request
def _sessions(school) -> list[ForumSession]:
    """The school's forum sessions in time order (a few per school year): the next one and the sprints
    that have one are found among them."""
    return db.session.scalars(
        db.select(ForumSession).where(ForumSession.school_id == school.id).order_by(ForumSession.starts_at)
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
                      title=r.subject_title, deadline=format_moment_short(r.deadline)),
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
        busy = {(r.subject_kind, r.subject_id) for r in rounds}
        if queries.agenda_candidates(school, busy):
            steps.append(Step(_("Zet initiatieven op de agenda van het forum"),
                              url_for("forum.overview", school_id=school.id) + "#klaar", 2))
        sprint = current_sprint_once(school)
        if sprint is not None and sprint.state != "closed" and all(s.sprint_id != sprint.id for s in _sessions(school)):
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
        "next_session": next((s for s in _sessions(school) if s.starts_at >= now - queries.SESSION_STILL_NEXT), None),
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


@initiative_section("forum/_subject_rounds.html", order=50)
def rounds_about_initiative(user, initiative) -> dict | None:
    """The forum's advice rounds about an initiative, with their decisions (three queries)."""
    if not can_view_forum(user, initiative.school):
        return None
    return {"rounds": queries.rounds_about(KIND, initiative.id)}


# --- from progress.py ------------------------------------------------------------
@progress_section("forum/sections/progress.html", order=40)
def forum_section(user, school) -> dict | None:
    """Sessions, rounds, advice per stakeholder group and the decisions, in three statements."""
    if not can_view_forum(user, school):
        return None
    now = utcnow()
    held = ForumSession.school_id == school.id, ForumSession.starts_at <= now
    decided = AdviceRound.decisions.any()
    rounds = db.select(AdviceRound.id).where(AdviceRound.school_id == school.id)

    def count(select):
        return select.with_only_columns(func.count(), maintain_column_froms=True).scalar_subquery()

    # The sessions held, the rounds (open, awaiting a decision) and the decisions per outcome: one statement.
    sessions, last_session, total, open_, awaiting, *per_outcome = db.session.execute(db.select(
        count(db.select(ForumSession.id).where(*held)),
        db.select(func.max(ForumSession.starts_at)).where(*held).scalar_subquery(),
        count(rounds),
        count(rounds.where(AdviceRound.deadline > now)),
        count(rounds.where(AdviceRound.deadline <= now, ~decided)),
        *(count(db.select(Decision.id).where(Decision.school_id == school.id, Decision.outcome == code))
          for code in DECISION_OUTCOMES),
    )).one()
    per_group: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ADVICE_STANCES, 0))
    for group, stance, n in db.session.execute(
        db.select(Advice.stakeholder_group, Advice.stance, func.count())
        .join(AdviceRound, AdviceRound.id == Advice.round_id)
        .where(AdviceRound.school_id == school.id)
        .group_by(Advice.stakeholder_group, Advice.stance)
    ):
        per_group[group or "staff"][stance] = n
    outcomes = dict(zip(DECISION_OUTCOMES, per_outcome, strict=True))
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
