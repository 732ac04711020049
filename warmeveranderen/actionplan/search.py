"""What the school's search finds in the action plans: tasks, by title and notes."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from warmeveranderen.actionplan.models import Task
from warmeveranderen.actionplan.permissions import can_view_tasks
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import SearchHit, search_source
from warmeveranderen.sprints.models import Initiative


@search_source(_l("Taken"), order=15)
def task_hits(user, school, search, limit: int) -> list[SearchHit] | None:
    if not can_view_tasks(user, school):
        return None
    document = (Task.title, Task.notes)
    rank = search.rank(*document).label("rank")
    rows = db.session.execute(
        db.select(Task.id, Task.title, Task.notes, Task.done, Task.due_date, Task.created_at,
                  Initiative.title.label("initiative"), rank, search.headline(*document).label("headline"))
        .join(Initiative, Initiative.id == Task.initiative_id)
        .where(Task.school_id == school.id, search.where(*document))
        .order_by(rank.desc(), Task.created_at.desc(), Task.id.desc()).limit(limit)
    )
    return [SearchHit(title=r.title, url=url_for("actionplan.task", task_id=r.id),
                      snippet=search.snippet(r.headline, r.title, r.notes), when=r.due_date or r.created_at,
                      detail=(_("Afgerond") if r.done else _("Open")) + " · " + r.initiative, rank=r.rank)
            for r in rows]
