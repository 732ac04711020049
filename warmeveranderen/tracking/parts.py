"""What the follow-up contributes to other pages: next steps, the school panel, progress and network
sections, the stall check and indicator facts (registered by feature.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import FLYWHEEL, MILESTONES
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.memo import loaded_for
from warmeveranderen.parts import (
    Step,
    Todo,
    adviser_todo,
    indicator_fact,
    network_section,
    next_step,
    progress_section,
    school_panel,
    stall_check,
)
from warmeveranderen.permissions import advises_school, is_coordinator
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import dashboards, queries
from warmeveranderen.tracking.defaults import INDICATORS
from warmeveranderen.tracking.models import IndicatorRating, Milestone
from warmeveranderen.tracking.permissions import (
    can_enter_wellbeing,
    can_log_network_session,
    can_view_indicator_history,
    can_view_progress,
)
from warmeveranderen.tracking.windows import last_closed_rating_window, measurement_windows, moment_for, school_year

# --- next steps ------------------------------------------------------------------------------------------


@next_step
def tracking_steps(user, school) -> list[Step]:
    steps = []
    day = today()
    if advises_school(user, school) and not queries.rated_this_year(school, day):
        urgency = 1 if any(w.kind == "indicators" for w in measurement_windows(day)) else 2
        steps.append(Step(_("Scoor de indicatoren voor %(school)s", school=school.name),
                          url_for("tracking.rate", school_id=school.id), urgency))
    moment = moment_for(day)
    if moment and can_enter_wellbeing(user, school) and not is_coordinator(user) \
            and not queries.has_measurement(school, school_year(day), moment):
        text = (_("Voer de voormeting welbevinden en betrokkenheid in") if moment == "pre"
                else _("Voer de nameting welbevinden en betrokkenheid in"))
        steps.append(Step(text, url_for("tracking.wellbeing", school_id=school.id), 1))
    return steps


@adviser_todo
def unrated_schools(user, schools) -> list[Todo]:
    """The adviser's schools without an indicator rating this school year (one query)."""
    rated = set(db.session.scalars(
        db.select(IndicatorRating.school_id).where(
            IndicatorRating.school_id.in_([s.id for s in schools]), IndicatorRating.school_year == school_year(today())
        ).distinct()
    ))
    kind = _("Indicatoren nog niet gescoord dit schooljaar")
    return [Todo(kind, s, url_for("tracking.rate", school_id=s.id)) for s in schools if s.id not in rated]


# --- the school's home ------------------------------------------------------------------------------------


@school_panel("tracking/_panel.html", order=60)
def tracking_panel(user, school) -> dict | None:
    if not can_view_progress(user, school):
        return None
    # The count came with the person on the school's home (queries.rated_indicators_column, registered
    # in feature.py); indicators() always gives the nine (saved or default): their number needs no query.
    rated = loaded_for("rated_indicators", school_id=school.id)
    return {"rated": queries.rated_indicator_count(school) if rated is None else rated, "indicators": len(INDICATORS)}


# --- the school's progress page ---------------------------------------------------------------------------


@progress_section("tracking/sections/indicators.html", order=50)
def indicators_section(user, school) -> dict | None:
    return {
        "definitions": queries.indicators(),
        "current": queries.current_ratings(school),
        "details": can_view_indicator_history(user, school),
    }


@progress_section("tracking/sections/wellbeing.html", order=60)
def wellbeing_section(user, school) -> dict | None:
    return {"totals": dashboards.wellbeing_totals(school_id=school.id)}


@progress_section("tracking/sections/sessions.html", order=70)
def sessions_section(user, school) -> dict | None:
    sessions, count = queries.school_sessions(school, limit=10)
    return {"sessions": sessions, "count": count}


@progress_section("tracking/sections/milestones.html", order=80)
def milestones_section(user, school) -> dict | None:
    return {"milestones": queries.milestones(school)}


# --- a learning network's page -------------------------------------------------------------------------------


@network_section("tracking/sections/network.html", order=50)
def network_follow_up(user, network) -> dict | None:
    sessions = queries.network_sessions(network)
    adviser_view = can_log_network_session(user, network)
    context = {"sessions": sessions, "adviser_view": adviser_view}
    if adviser_view:
        schools, levels = dashboards.network_matrix(network)
        context.update(definitions=queries.indicators(), schools=schools, levels=levels)
    return context


# --- stalling --------------------------------------------------------------------------------------------------


@stall_check
def no_rating_this_year(schools) -> dict[int, list[str]]:
    """Late by the programme's calendar: no rating in the school year whose rating window has closed.

    Ratings happen at the end of the school year (windows.py), so in November a school without a rating
    this year is not late; one that was in the programme when last year's window closed and has no
    rating of that year is. A school that joined after that window is not flagged.
    """
    window = last_closed_rating_window(today())
    rated = set(db.session.scalars(
        db.select(IndicatorRating.school_id).where(
            IndicatorRating.school_id.in_([s.id for s in schools]), IndicatorRating.school_year == window.school_year
        ).distinct()
    ))
    reason = _("Geen score in schooljaar %(year)s (het scoorvenster sloot op %(date)s)",
               year=window.school_year, date=format_day(window.end))
    return {s.id: [reason] for s in schools
            if s.id not in rated and (s.created_at is None or s.created_at.date() <= window.end)}


# --- facts next to the rating form -------------------------------------------------------------------------------


def _milestone(school, kind: str) -> Milestone | None:
    return db.session.scalar(
        db.select(Milestone).where(Milestone.school_id == school.id, Milestone.kind == kind)
        .order_by(Milestone.happened_on.desc()).limit(1)
    )


@indicator_fact(1)
def prototype_presented(school) -> str | None:
    milestone = _milestone(school, "prototype_presented")
    if milestone is None:
        return None
    return _("%(milestone)s op %(date)s.", milestone=MILESTONES["prototype_presented"], date=format_day(milestone.happened_on))


@indicator_fact(9)
def flywheel_composition(school) -> str | None:
    members = [m for m in school.memberships if m.role == FLYWHEEL]
    if not members:
        return _("Er zijn nog geen vliegwielleden in de app.")
    leads = [m.user.name for m in members if m.is_lead]
    text = _("Het vliegwiel telt %(n)s leden", n=len(members))
    if leads:
        text += _(", met %(lead)s als trekker", lead=", ".join(leads))
    else:
        text += _(", nog zonder trekker")
    milestone = _milestone(school, "flywheel_composed")
    if milestone is not None:
            text += _("; samengesteld op %(date)s", date=format_day(milestone.happened_on))
    return text + "."
