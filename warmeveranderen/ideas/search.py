"""What the school's search finds in the idea box: ideas, by title, text and the flywheel's answer."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from warmeveranderen.domain import IDEA_STATES
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import SearchHit, search_source
from warmeveranderen.ideas.models import Idea
from warmeveranderen.ideas.permissions import can_view_ideas


@search_source(_l("Ideeën"), order=20)
def idea_hits(user, school, search, limit: int) -> list[SearchHit] | None:
    if not can_view_ideas(user, school):
        return None
    document = (Idea.title, Idea.body, Idea.answer_reason)
    rank = search.rank(*document).label("rank")
    rows = db.session.execute(
        db.select(Idea.id, Idea.title, Idea.body, Idea.answer_reason, Idea.state, Idea.created_at, rank,
                  search.headline(*document).label("headline"))
        .where(Idea.school_id == school.id, search.where(*document))
        .order_by(rank.desc(), Idea.created_at.desc(), Idea.id.desc()).limit(limit)
    )
    return [SearchHit(title=r.title, url=url_for("ideas.detail", school_id=school.id, idea_id=r.id),
                      snippet=search.snippet(r.headline, r.title, r.body, r.answer_reason), when=r.created_at,
                      detail=str(IDEA_STATES[r.state]), rank=r.rank) for r in rows]
