"""The programme view of the surveys: per school year, audience and city/network, pre -> post per
programme question, over every survey in scope that reached the minimum group size.

The minimum holds twice: a survey below it adds nothing (as on its school's page), and a question
answered by fewer people in the whole scope shows no mean. The schools' own questions are not
compared programme-wide (each school asks its own).

The figures are read through the programme's short-lived cache (`programme.filters.programme_totals`),
one entry per scope (the schools' condition as SQL), school year and audience.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func

from warmeveranderen.extensions import db
from warmeveranderen.programme.filters import condition_key, programme_totals
from warmeveranderen.programme.models import School
from warmeveranderen.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyTemplate
from warmeveranderen.surveys.queries import min_group

# Up to this many schools in view are passed to the database as a list of ids.
IDS_AS_LIST = 1000


@dataclass(frozen=True)
class QuestionText:
    """A programme question's wording, kept apart from the session (the figures are cached)."""

    id: int
    text: str
    text_en: str | None

    def wording(self, locale: str = "nl") -> str:
        return self.text_en if locale == "en" and self.text_en else self.text


@dataclass
class ProgrammeRow:
    question: QuestionText
    pre_n: int
    pre_mean: float | None
    post_n: int
    post_mean: float | None

    @property
    def delta(self) -> float | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean


def school_years() -> list[str]:
    """The school years with surveys, newest first: a programme-wide figure (a scan of every school's
    surveys), read through the same short-lived cache (a new survey clears it in this process)."""
    return list(programme_totals("surveys:school-years", lambda: tuple(db.session.scalars(
        db.select(Survey.school_year).distinct().order_by(Survey.school_year.desc())))))


def results(school_condition, year: str, audience: str) -> dict:
    """Counts per moment and the comparison per Likert question of the audience's template."""
    if not year:
        return {"moments": {}, "rows": [], "minimum": min_group()}
    return programme_totals(f"surveys:{audience}:{year}:{condition_key(school_condition)}",
                            lambda: _results(school_condition, year, audience))


def _results(school_condition, year: str, audience: str) -> dict:
    minimum = min_group()
    template_id = db.session.scalar(db.select(SurveyTemplate.id).where(SurveyTemplate.audience == audience))
    empty = {"moments": {}, "rows": [], "minimum": minimum}
    if template_id is None:
        return empty
    # The schools in view first, as a list: the database then knows how few they are (an adviser's ten
    # of 5,000) and reads only their surveys' answers.
    school_ids = list(db.session.scalars(db.select(School.id).where(school_condition)))
    in_view = Survey.school_id.in_(school_ids if len(school_ids) <= IDS_AS_LIST
                                   else db.select(School.id).where(school_condition))
    counted = db.and_(Survey.template_id == template_id, Survey.school_year == year,
                      Survey.response_count >= minimum, in_view)
    moments = {
        moment: {"surveys": n, "schools": schools, "responses": int(responses or 0)}
        for moment, n, schools, responses in db.session.execute(
            db.select(Survey.moment, func.count(Survey.id), func.count(func.distinct(Survey.school_id)),
                      func.sum(Survey.response_count)).where(counted).group_by(Survey.moment))
    }
    # A question a survey's group answered fewer times than the minimum is hidden on that school's page
    # (queries.results); it adds nothing here either, or two scopes' totals could be subtracted to
    # reveal it. Counted as there: the respondents per (survey, question).
    shown_pairs = (
        db.select(SurveyAnswer.survey_id, SurveyAnswer.question_id)
        .where(SurveyAnswer.survey_id.in_(db.select(Survey.id).where(counted)))
        .group_by(SurveyAnswer.survey_id, SurveyAnswer.question_id)
        .having(func.count(func.distinct(SurveyAnswer.response_id)) >= minimum)
        .subquery()
    )
    sums: dict[tuple[str, int], tuple[int, int]] = {}
    for moment, question_id, n, total in db.session.execute(
        db.select(Survey.moment, SurveyAnswer.question_id, func.count(), func.sum(SurveyAnswer.value))
        .join(Survey, Survey.id == SurveyAnswer.survey_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(shown_pairs, db.and_(shown_pairs.c.survey_id == SurveyAnswer.survey_id,
                                   shown_pairs.c.question_id == SurveyAnswer.question_id))
        .where(counted, SurveyQuestion.school_id.is_(None), SurveyQuestion.kind == "likert",
               SurveyAnswer.value.is_not(None))
        .group_by(Survey.moment, SurveyAnswer.question_id)
    ):
        sums[(moment, question_id)] = (n, int(total or 0))
    questions = [QuestionText(*row) for row in db.session.execute(
        db.select(SurveyQuestion.id, SurveyQuestion.text, SurveyQuestion.text_en).where(
            SurveyQuestion.template_id == template_id, SurveyQuestion.school_id.is_(None),
            SurveyQuestion.kind == "likert").order_by(SurveyQuestion.position, SurveyQuestion.id))]
    rows = []
    for q in questions:
        pre_n, pre_sum = sums.get(("pre", q.id), (0, 0))
        post_n, post_sum = sums.get(("post", q.id), (0, 0))
        if not pre_n and not post_n:
            continue
        rows.append(ProgrammeRow(q, pre_n, pre_sum / pre_n if pre_n >= minimum else None,
                                 post_n, post_sum / post_n if post_n >= minimum else None))
    return {"moments": moments, "rows": rows, "minimum": minimum}
