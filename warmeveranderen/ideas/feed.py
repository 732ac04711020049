"""What happened in a school this week: new ideas and answers, forum decisions, sprints started and
closed, initiatives that moved. One query per source, each reading an indexed date window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from warmeveranderen.domain import DECISION_OUTCOMES, IDEA_STATES, INITIATIVE_STATUSES
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Decision
from warmeveranderen.ideas.models import Idea
from warmeveranderen.sprints.models import Initiative, InitiativeEvent, Sprint

WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Activity:
    at: datetime
    kind: str  # idea, answer, decision, sprint, initiative
    text: str
    url: str


def _ideas(school, since) -> list[Activity]:
    found = []
    ideas = db.session.scalars(
        db.select(Idea).where(Idea.school_id == school.id,
                              (Idea.created_at >= since) | (Idea.answered_at >= since))
        .options(selectinload(Idea.author))
    ).all()
    for idea in ideas:
        url = url_for("ideas.detail", school_id=school.id, idea_id=idea.id)
        if idea.created_at >= since:
            found.append(Activity(idea.created_at, "idea", _("Nieuw idee: %(title)s", title=idea.title), url))
        if idea.answered_at is not None and idea.answered_at >= since:
            found.append(Activity(idea.answered_at, "answer", _("Antwoord op het idee %(title)s: %(answer)s",
                                                                title=idea.title, answer=IDEA_STATES[idea.state]), url))
    return found


def _decisions(school, since) -> list[Activity]:
    decisions = db.session.scalars(
        db.select(Decision).where(Decision.school_id == school.id, Decision.decided_at >= since)
    ).all()
    return [Activity(d.decided_at, "decision",
                     _("Besluit over %(title)s: %(outcome)s", title=d.subject_title,
                       outcome=DECISION_OUTCOMES.get(d.outcome, d.outcome)),
                     url_for("forum.round", school_id=school.id, round_id=d.round_id)) for d in decisions]


def _sprints(school, since) -> list[Activity]:
    sprints = db.session.scalars(
        db.select(Sprint).where(Sprint.school_id == school.id,
                                (Sprint.started_at >= since) | (Sprint.closed_at >= since))
    ).all()
    found = []
    for s in sprints:
        url = url_for("sprints.sprint", sprint_id=s.id)
        if s.started_at is not None and s.started_at >= since:
            found.append(Activity(s.started_at, "sprint", _("Sprint %(n)s is gestart", n=s.number), url))
        if s.closed_at is not None and s.closed_at >= since:
            found.append(Activity(s.closed_at, "sprint", _("Sprint %(n)s is afgesloten", n=s.number), url))
    return found


def _initiatives(school, since) -> list[Activity]:
    rows = db.session.execute(
        db.select(InitiativeEvent.at, InitiativeEvent.to_status, Initiative.id, Initiative.title)
        .join(Initiative, Initiative.id == InitiativeEvent.initiative_id)
        .where(Initiative.school_id == school.id, InitiativeEvent.at >= since)
    ).all()
    return [Activity(row.at, "initiative",
                     _("%(title)s: %(status)s", title=row.title,
                       status=INITIATIVE_STATUSES.get(row.to_status, row.to_status)),
                     url_for("sprints.initiative", initiative_id=row.id)) for row in rows]


def this_week(school, now: datetime) -> list[Activity]:
    """Everything of the last seven days, newest first."""
    since = now - WINDOW
    items = [*_ideas(school, since), *_decisions(school, since), *_sprints(school, since), *_initiatives(school, since)]
    return sorted(items, key=lambda a: a.at, reverse=True)
