"""What governance adds to other pages: on a school's progress page its evaluation moments, support
delivered against the package and envelope (for those who may read them), and a next step for the
director and the adviser when an evaluation moment comes near."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.formats import format_day
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance.models_funds import DECISIONS
from warmeveranderen.governance.permissions import can_prepare_evaluation, can_view_evaluations
from warmeveranderen.parts import Step, next_step, progress_section
from warmeveranderen.timeutil import today

SOON_DAYS = 30


@progress_section("governance/_progress.html", order=17)
def evaluation_section(user, school) -> dict | None:
    if not can_view_evaluations(user, school):
        return None
    if figures.effective_version(school) is None:
        return None
    day = today()
    lines, envelope = figures.support_and_envelope(school, day)  # one statement, the moments another
    return {"school": school, "moments": figures.moments(school), "envelope": envelope,
            "gaps": [line for line in lines if line.gap >= 1], "decisions": DECISIONS, "today": day,
            "labels": figures.support_labels()}


@next_step
def evaluation_steps(user, school) -> list[Step]:
    """The director and the adviser: an evaluation moment within 30 days that has no decision yet."""
    if not can_prepare_evaluation(user, school) or user.is_coordinator:
        return []
    day = today()
    for moment, evaluation in figures.moments(school):
        if day <= moment <= day + timedelta(days=SOON_DAYS) and (evaluation is None or evaluation.state == "draft"):
            return [Step(_("Bereid het evaluatiemoment van %(d)s voor", d=format_day(moment)),
                         url_for("governance_funds.school", school_id=school.id), 2)]
    return []
