"""What the idea box adds to other pages: a panel and next steps on the school's home, and on an
initiative's page the idea it came from (the author credited)."""

from __future__ import annotations

from flask import url_for
from flask_babel import ngettext

from warmeveranderen.ideas import queries
from warmeveranderen.ideas.permissions import can_answer_idea, can_submit_idea, can_view_ideas
from warmeveranderen.memo import per_request
from warmeveranderen.parts import Step, initiative_section, next_step, school_panel

PANEL_IDEAS = 3


@per_request
def _open_ideas(school):
    return queries.open_ideas(school)


@next_step
def idea_steps(user, school) -> list[Step]:
    """The flywheel: the ideas still waiting for an answer."""
    if not can_answer_idea(user, school):
        return []
    waiting = _open_ideas(school)
    if not waiting:
        return []
    return [Step(
        ngettext("%(num)s idee wacht op een antwoord van het vliegwiel",
                 "%(num)s ideeën wachten op een antwoord van het vliegwiel", len(waiting)),
        url_for("ideas.index", school_id=school.id), 2,
    )]


@school_panel("ideas/_panel.html", order=55)
def ideas_panel(user, school) -> dict | None:
    if not can_view_ideas(user, school):
        return None
    waiting = _open_ideas(school)
    return {
        "school": school,
        "waiting": len(waiting),
        "latest": list(reversed(waiting))[:PANEL_IDEAS],
        "may_submit": can_submit_idea(user, school),
    }


@initiative_section("ideas/_initiative_origin.html", order=40)
def idea_behind_initiative(user, initiative) -> dict | None:
    if not can_view_ideas(user, initiative.school):
        return None
    ideas = queries.ideas_behind(initiative)
    return {"ideas": ideas} if ideas else None
