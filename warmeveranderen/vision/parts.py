"""The vision on the school's home: a panel with the current vision, and what to do next.

What the vision contributes to the follow-up (tracking's registry): a section of the school's
progress page and the fact for indicator 1 (an AMORE vision endorsed by a group of stakeholders).
The vision's `init_app` registers them.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import AMORE_CRITERIA, STAKEHOLDER_GROUPS
from warmeveranderen.formats import format_day
from warmeveranderen.parts import Step, indicator_fact, next_step, progress_section, school_panel
from warmeveranderen.vision import queries
from warmeveranderen.vision.content import is_empty
from warmeveranderen.vision.forum_link import has_finished_round
from warmeveranderen.vision.permissions import can_edit_vision, can_endorse_vision, can_read_vision, can_score_amore


# --- from steps.py ------------------------------------------------------------
@next_step
def vision_steps(user, school) -> list[Step]:
    may_edit, may_score = can_edit_vision(user, school), can_score_amore(user, school)
    if not (may_edit or may_score):
        return []
    latest = queries.latest_version_once(school)
    steps = []
    if may_edit and latest is None:
        # Before a first version, the draft says how far the flywheel got.
        vision = queries.get_vision_once(school)
        edit_url = url_for("vision.edit", school_id=school.id)
        if vision is None or is_empty(vision.content):
            steps.append(Step(_("Werk de visie verder uit: beantwoord de vijf vragen van jullie prototype."), edit_url, 1))
        else:
            steps.append(Step(_("Werk de visie verder uit."), edit_url, 2))
            steps.append(Step(_("Publiceer een eerste versie van de visie."), url_for("vision.draft", school_id=school.id), 2))
    if latest is not None and may_score and queries.score_of(latest, user) is None:
        steps.append(
            Step(
                _("Geef je AMORE-score voor versie %(n)s van de visie.", n=latest.number),
                url_for("vision.amore", school_id=school.id, version_number=latest.number),
                2,
            )
        )
    if latest is not None and not latest.endorsements and can_endorse_vision(user, school):
        endorse_url = url_for("vision.endorse", school_id=school.id, version_number=latest.number)
        if has_finished_round(latest):
            steps.append(
                Step(_("Leg de endorsement vast: het forum gaf advies over versie %(n)s.", n=latest.number), endorse_url, 1)
            )
        else:
            steps.append(
                Step(_("Leg de endorsement vast zodra stakeholders versie %(n)s afklopten.", n=latest.number), endorse_url, 3)
            )
    return steps


@school_panel("vision/_panel.html", order=20)
def vision_panel(user, school) -> dict | None:
    if not can_read_vision(user, school):
        return None
    return {"school": school, "current": queries.current_version_once(school)}


# --- from progress.py ------------------------------------------------------------
def _groups(endorsement) -> str:
    return ", ".join(str(STAKEHOLDER_GROUPS.get(g, g)) for g in endorsement.groups)


@progress_section("vision/sections/progress.html", order=20)
def vision_section(user, school) -> dict | None:
    """The current (endorsed) vision, a newer version that is not endorsed yet, and its AMORE check."""
    if not can_read_vision(user, school):
        return None
    latest = queries.latest_version_once(school)
    current = queries.current_version_once(school)
    summary = queries.amore_summary(latest) if latest is not None else None
    endorsement = max(current.endorsements, key=lambda e: e.endorsed_on) if current is not None else None
    return {
        "current": current,
        "endorsement": endorsement,
        "groups": _groups(endorsement) if endorsement else "",
        "latest": latest,
        "scores": summary.counts["all"] if summary else 0,
        "weakest": [AMORE_CRITERIA[k] for k in summary.weakest] if summary else [],
    }


@indicator_fact(1)
def endorsed_vision(school) -> str | None:
    current = queries.current_version(school)
    if current is None:
        return None
    endorsement = max(current.endorsements, key=lambda e: e.endorsed_on)
    return _("Visie versie %(n)s afgeklopt door %(groups)s op %(date)s.",
             n=current.number, groups=_groups(endorsement), date=format_day(endorsement.endorsed_on))
