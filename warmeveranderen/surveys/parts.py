"""What the surveys add to other pages: a section on the school's progress page and a next step while a
survey is open."""

from __future__ import annotations

from flask import url_for
from flask_babel import ngettext

from warmeveranderen.parts import Step, next_step, progress_section, report_section
from warmeveranderen.sprints.forms import AddFromBasketForm
from warmeveranderen.surveys import programme, queries, suggestions
from warmeveranderen.surveys.models import AUDIENCES
from warmeveranderen.surveys.permissions import can_manage_surveys, can_view_survey_results
from warmeveranderen.timeutil import today


@progress_section("surveys/_progress.html", order=65)
def surveys_section(user, school) -> dict | None:
    if not can_view_survey_results(user, school):
        return None
    surveys = queries.surveys_of_once(school)
    return {"surveys": surveys[:8], "count": len(surveys), "today": today(), "minimum": queries.min_group(),
            "may_manage": can_manage_surveys(user, school)}


@progress_section("surveys/_actions.html", order=66)
def actions_section(user, school) -> dict | None:
    """From screening to action: what stands out, and the basket items that address it."""
    if not can_view_survey_results(user, school):
        return None
    signals, matches = suggestions.suggestions(school)
    if not signals:
        return None
    form = AddFromBasketForm(prefix=f"s{school.id}", formdata=None)
    return {"signals": signals, "matches": matches, "backlog_form": form}


@next_step
def survey_steps(user, school) -> list[Step]:
    """Director and flywheel: surveys that are open now (share the link, follow the answers)."""
    if not can_manage_surveys(user, school):
        return []
    now = today()
    running = [s for s in queries.open_surveys(school) if s.is_open(now)]
    if not running:
        return []
    return [Step(ngettext("%(num)s bevraging staat open: deel de link en volg de antwoorden",
                          "%(num)s bevragingen staan open: deel de links en volg de antwoorden", len(running)),
                 url_for("surveys.index", school_id=school.id), 3)]


@report_section("surveys/_report_section.html", order=60)
def report_surveys(user, schools, school_year: str) -> dict | None:
    """The report's survey part: the chosen school year (else the latest with surveys), every audience
    with results, with the same minimum group size as every other survey page."""
    years = programme.school_years()
    year = school_year if school_year in years else (years[0] if years else "")
    if not year:
        return None
    audiences = []
    for code, label in AUDIENCES.items():
        found = programme.results(schools, year, code)
        if found["rows"]:
            audiences.append((str(label), found))
    return {"year": year, "audiences": audiences, "minimum": queries.min_group()}
