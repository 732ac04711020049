"""The vision on the school's home: a panel with the current vision, and what to do next."""

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.core.registry import Step, next_step, school_panel
from warmeveranderen.vision import services
from warmeveranderen.vision.content import is_empty
from warmeveranderen.vision.forum_link import has_finished_round
from warmeveranderen.vision.permissions import can_edit_vision, can_endorse_vision, can_read_vision, can_score_amore


@next_step
def vision_steps(user, school) -> list[Step]:
    may_edit, may_score = can_edit_vision(user, school), can_score_amore(user, school)
    if not (may_edit or may_score):
        return []
    status = services.status_for(school)
    vision, latest = status["vision"], status["latest"]
    steps = []
    if may_edit and latest is None:
        edit_url = url_for("vision.edit", school_id=school.id)
        if vision is None or is_empty(vision.content):
            steps.append(Step(_("Werk de visie verder uit: beantwoord de vijf vragen van jullie prototype."), edit_url, 1))
        else:
            steps.append(Step(_("Werk de visie verder uit."), edit_url, 2))
            steps.append(Step(_("Publiceer een eerste versie van de visie."), url_for("vision.draft", school_id=school.id), 2))
    if latest is not None and may_score and services.score_of(latest, user) is None:
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
    return {"school": school, "current": services.current_version(school)}
