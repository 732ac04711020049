"""The results as a spreadsheet: one row per question and answer option, counts and shares only.

Never a response and never an open answer; a question below the minimum group size has one row
that says so, without figures (`queries.results` already left them out).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from warmeveranderen.surveys.models import AUDIENCES, LIKERT, MOMENTS, QUESTION_KINDS
from warmeveranderen.tracking.tabular import Column

COLUMNS = [
    Column("school_year", _l("Schooljaar")), Column("moment", _l("Meetmoment")), Column("audience", _l("Voor wie")),
    Column("group", _l("Groep")), Column("responses", _l("Antwoorden")), Column("question_id", _l("Vraagnummer")),
    Column("question", _l("Vraag")), Column("kind", _l("Soort")), Column("respondents", _l("Beantwoord door")),
    Column("option", _l("Antwoord")), Column("count", _l("Aantal")), Column("percent", _l("Procent")),
    Column("mean", _l("Gemiddelde")),
]


def rows(result) -> list[list]:
    survey = result.survey
    head = [survey.school_year, str(MOMENTS[survey.moment]), str(AUDIENCES[survey.template.audience]),
            survey.group_name, result.responses]
    found = []
    for r in result.questions:
        q = r.question
        start = [*head, q.id, q.text, str(QUESTION_KINDS[q.kind])]
        if not r.shown:
            found.append([*start, "", str(_l("te weinig antwoorden")), "", "", ""])
            continue
        if q.kind == "open":
            found.append([*start, r.respondents, "", "", "", ""])
            continue
        options = [str(LIKERT[p]) for p in range(1, 6)] if q.kind == "likert" else q.choice_list()
        mean = round(r.mean, 2) if r.mean is not None else ""
        for option, count, percent in zip(options, r.counts, r.percents, strict=True):
            found.append([*start, r.respondents, option, count, percent, mean])
    return found
