"""What the school's search finds in the forum: decisions (subject and reasons) and the minutes of sessions."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from warmeveranderen.domain import DECISION_OUTCOMES
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Decision, ForumSession
from warmeveranderen.forum.permissions import can_view_forum
from warmeveranderen.fulltext import SearchHit, search_source


@search_source(_l("Besluiten"), order=30)
def decision_hits(user, school, search, limit: int) -> list[SearchHit] | None:
    if not can_view_forum(user, school):
        return None
    document = (Decision.subject_title, Decision.reasons)
    rank = search.rank(*document).label("rank")
    rows = db.session.execute(
        db.select(Decision.id, Decision.round_id, Decision.subject_title, Decision.reasons, Decision.outcome,
                  Decision.decided_at, rank, search.headline(*document).label("headline"))
        .where(Decision.school_id == school.id, search.where(*document))
        .order_by(rank.desc(), Decision.decided_at.desc(), Decision.id.desc()).limit(limit)
    )
    return [SearchHit(title=r.subject_title,
                      url=url_for("forum.round", school_id=school.id, round_id=r.round_id, _anchor="besluit"),
                      snippet=search.snippet(r.headline, r.subject_title, r.reasons), when=r.decided_at,
                      detail=str(DECISION_OUTCOMES.get(r.outcome, r.outcome)), rank=r.rank) for r in rows]


@search_source(_l("Verslagen van het forum"), order=40)
def minutes_hits(user, school, search, limit: int) -> list[SearchHit] | None:
    if not can_view_forum(user, school):
        return None
    document = (ForumSession.minutes_summary,)
    rank = search.rank(*document).label("rank")
    rows = db.session.execute(
        db.select(ForumSession.id, ForumSession.starts_at, ForumSession.minutes_summary, rank,
                  search.headline(*document).label("headline"))
        .where(ForumSession.school_id == school.id, ForumSession.minutes_recorded_at.is_not(None),
               search.where(*document))
        .order_by(rank.desc(), ForumSession.starts_at.desc(), ForumSession.id.desc()).limit(limit)
    )
    return [SearchHit(title=str(_l("Verslag van de forumbijeenkomst")),
                      url=url_for("forum.session", school_id=school.id, session_id=r.id),
                      snippet=search.snippet(r.headline, r.minutes_summary), when=r.starts_at, rank=r.rank)
            for r in rows]
