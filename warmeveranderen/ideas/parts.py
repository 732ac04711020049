"""What the idea box adds to other pages and features: a panel and next steps on the school's home; on an
initiative's page the ideas it came from (the authors credited) and *Volgen*; the authors of those ideas
asked for advice when the initiative goes to the forum; and its supporters, authors and followers among
those who hear when it is achieved or dropped."""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from warmeveranderen.extensions import db
from warmeveranderen.ideas import following, queries
from warmeveranderen.ideas.forms import FollowForm
from warmeveranderen.ideas.models import Idea, IdeaSupport, InitiativeFollow
from warmeveranderen.ideas.permissions import can_answer_idea, can_follow_initiative, can_submit_idea, can_view_ideas
from warmeveranderen.memo import per_request
from warmeveranderen.parts import Step, initiative_section, next_step, school_panel
from warmeveranderen.parts_between import advice_invitees, initiative_audience

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
    """The ideas behind the initiative, and following it (members of the school)."""
    if not can_view_ideas(user, initiative.school):
        return None
    may_follow = can_follow_initiative(user, initiative)
    follows, followers = following.follow_state(initiative, user)
    return {
        "ideas": queries.ideas_behind(initiative),
        "initiative": initiative,
        "may_follow": may_follow,
        "following": may_follow and follows,
        "followers": followers,
        "follow_form": FollowForm(),
    }


INITIATIVE = "initiative"  # the forum's subject kind of an initiative (forum/initiatives.py)


@advice_invitees
def idea_authors(subject_kind: str, subject) -> list:
    """When an initiative goes to the forum, the authors of the ideas behind it are asked too."""
    if subject_kind != INITIATIVE:
        return []
    return [(idea.author, _("indiener van het idee “%(title)s”", title=idea.title))
            for idea in queries.ideas_behind(subject) if idea.author is not None]


@initiative_audience
def supporters_authors_followers(initiative_ids: set[int]) -> dict[int, set[int]]:
    """Who supported or wrote an idea behind each initiative, and who follows it."""
    found: dict[int, set[int]] = defaultdict(set)
    queries_ = (
        db.select(Idea.initiative_id, Idea.author_id).where(Idea.initiative_id.in_(initiative_ids),
                                                            Idea.author_id.is_not(None)),
        db.select(Idea.initiative_id, IdeaSupport.user_id).join(IdeaSupport, IdeaSupport.idea_id == Idea.id)
        .where(Idea.initiative_id.in_(initiative_ids)),
        db.select(InitiativeFollow.initiative_id, InitiativeFollow.user_id)
        .where(InitiativeFollow.initiative_id.in_(initiative_ids)),
    )
    for query in queries_:
        for initiative_id, user_id in db.session.execute(query):
            found[initiative_id].add(user_id)
    return found
