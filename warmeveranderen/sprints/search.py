"""What the school's search finds in the sprints: initiatives, by title and description."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from warmeveranderen.domain import INITIATIVE_STATUSES
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import SearchHit, search_source
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.sprints.permissions import can_view_sprints


@search_source(_l("Initiatieven"), order=10)
def initiative_hits(user, school, search, limit: int) -> list[SearchHit] | None:
    if not can_view_sprints(user, school):
        return None
    document = (Initiative.title, Initiative.description)
    rank = search.rank(*document).label("rank")
    rows = db.session.execute(
        db.select(Initiative.id, Initiative.title, Initiative.description, Initiative.status, Initiative.updated_at,
                  rank, search.headline(*document).label("headline"))
        .where(Initiative.school_id == school.id, search.where(*document))
        .order_by(rank.desc(), Initiative.updated_at.desc(), Initiative.id.desc()).limit(limit)
    )
    return [SearchHit(title=r.title, url=url_for("sprints.initiative", initiative_id=r.id),
                      snippet=search.snippet(r.headline, r.title, r.description), when=r.updated_at,
                      detail=str(INITIATIVE_STATUSES[r.status]), rank=r.rank) for r in rows]
