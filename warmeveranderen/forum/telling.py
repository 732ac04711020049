"""What the forum adds when the school is told (issue 18): the decisions of a sprint in its review, and
the people who advised on an initiative among those who hear when it is achieved or dropped."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from flask_babel import gettext as _
from sqlalchemy import and_, or_

from warmeveranderen.domain import DECISION_OUTCOMES
from warmeveranderen.extensions import db
from warmeveranderen.forum.initiatives import KIND
from warmeveranderen.forum.models import Advice, AdviceRound, Decision
from warmeveranderen.parts_between import initiative_audience, sprint_review_fact


def _decisions_of(sprint) -> list[Decision]:
    """The decisions recorded about the sprint's work: those filed under the sprint, and the school's
    decisions without a sprint (free questions between sessions) taken during it."""
    until = sprint.closed_at or datetime.combine(sprint.end_date, time.max)
    since = datetime.combine(sprint.start_date, time.min)
    return db.session.scalars(
        db.select(Decision)
        .where(Decision.school_id == sprint.school_id,
               or_(Decision.sprint_id == sprint.id,
                   and_(Decision.sprint_id.is_(None), Decision.decided_at >= since, Decision.decided_at <= until)))
        .order_by(Decision.decided_at, Decision.id)
    ).all()


@sprint_review_fact
def forum_decisions(sprint) -> list[str]:
    """One line per decision in force (a corrected decision shows as its correction)."""
    decisions = _decisions_of(sprint)
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    lines = [_("Besluit over %(title)s: %(outcome)s", title=d.subject_title,
               outcome=str(DECISION_OUTCOMES.get(d.outcome, d.outcome)))
             for d in decisions if d.id not in corrected]
    return lines or [_("Deze sprint legde het vliegwiel geen besluit na forumadvies vast.")]


@initiative_audience
def who_advised(initiative_ids: set[int]) -> dict[int, set[int]]:
    """The forum members and guests who gave advice on a round about each initiative."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        db.select(AdviceRound.subject_id, Advice.author_id)
        .join(Advice, Advice.round_id == AdviceRound.id)
        .where(AdviceRound.subject_kind == KIND, AdviceRound.subject_id.in_(initiative_ids))
    )
    for initiative_id, user_id in rows:
        found[initiative_id].add(user_id)
    return found
