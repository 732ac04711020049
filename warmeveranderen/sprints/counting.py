"""What a sprint's page and burn-up count: its initiatives, or another count a feature offers
(`parts.sprint_progress` / `parts.sprint_burnup`, e.g. the action plans' tasks), chosen with `?tellen=`."""

from __future__ import annotations

from flask import request

from warmeveranderen.parts import sprint_counts
from warmeveranderen.sprints import queries
from warmeveranderen.sprints.models import Sprint


def count_by() -> str | None:
    """The count asked for in the address (`?tellen=taken`), if a feature offers it; else None (initiatives)."""
    code = request.args.get("tellen")
    return code if code in sprint_counts() else None


def counting(initiatives) -> dict:
    """The sprint page's toggle and its figures: initiatives done, or the other count per initiative."""
    code = count_by()
    count = sprint_counts().get(code) if code else None
    progress = count.progress([i.id for i in initiatives]) if count and count.progress else {}
    return {"count_by": code, "counts": sprint_counts(), "count_progress": progress,
            "count_done": sum(done for done, _total in progress.values()),
            "count_total": sum(total for _done, total in progress.values()),
            "initiatives_done": sum(1 for i in initiatives if i.status == "done")}


def burnup(sprint: Sprint, code: str | None):
    """The sprint's burn-up in initiatives, or counted the other way."""
    count = sprint_counts().get(code) if code else None
    return count.burnup(sprint) if count and count.burnup else queries.burnup(sprint)
