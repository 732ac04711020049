"""Reads of the surveys, and the one place that decides what a result may show.

`min_group()` (the programme setting SURVEY_MIN_RESPONSES, 5 by default) is applied here: a survey
with fewer responses shows no result at all, and within a survey a question answered by fewer
people shows no distribution. Pages, charts and exports all read their figures through `results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, null, or_, union_all
from sqlalchemy.orm import joinedload

from warmeveranderen.extensions import db
from warmeveranderen.memo import per_request
from warmeveranderen.surveys.defaults import TEMPLATES
from warmeveranderen.surveys.models import (
    AUDIENCES,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveySettings,
    SurveyTemplate,
)


def settings() -> dict:
    """The programme's survey settings: the coordinator's (SurveySettings) or, until saved, the configuration's."""
    row = _settings_row()
    if row is not None:
        return {"min_responses": row.min_responses, "notable_low_share": row.notable_low_share,
                "clear_fall": float(row.clear_fall)}
    config = current_app.config
    return {"min_responses": int(config.get("SURVEY_MIN_RESPONSES", 5)),
            "notable_low_share": int(config.get("SCREENING_NOTABLE_LOW_SHARE", 25)),
            "clear_fall": float(config.get("SURVEY_CLEAR_FALL", 0.5))}


@per_request
def _settings_row():
    return db.session.scalar(db.select(SurveySettings).order_by(SurveySettings.id).limit(1))


def min_group() -> int:
    """No group with fewer answers is ever shown (a programme setting, 5 by default)."""
    return settings()["min_responses"]


def templates() -> list[SurveyTemplate]:
    """The three templates, stored or (before the first change) as they start, unsaved."""
    stored = {t.audience: t for t in db.session.scalars(db.select(SurveyTemplate))}
    found = []
    for audience in AUDIENCES:
        if audience in stored:
            found.append(stored[audience])
            continue
        title, intro, questions = TEMPLATES[audience]
        template = SurveyTemplate(audience=audience, title=title, intro=intro)
        template.questions = [SurveyQuestion(kind=k, text=t, text_en=te, theme=th, choices=c, choices_en=ce,
                                             position=i, archived=False)
                              for i, (k, t, te, th, c, ce) in enumerate(questions, start=1)]
        found.append(template)
    return found


def template_of(audience: str) -> SurveyTemplate | None:
    return next((t for t in templates() if t.audience == audience), None)


def programme_questions(template: SurveyTemplate) -> list[SurveyQuestion]:
    return [q for q in template.questions if q.school_id is None]


def own_questions(school, template_id: int | None = None) -> list[SurveyQuestion]:
    query = db.select(SurveyQuestion).where(SurveyQuestion.school_id == school.id)
    if template_id is not None:
        query = query.where(SurveyQuestion.template_id == template_id)
    return db.session.scalars(query.order_by(SurveyQuestion.template_id, SurveyQuestion.position)).all()


def questions_to_answer(survey: Survey) -> list[SurveyQuestion]:
    """The template's questions and the school's own, not archived, in order."""
    return _asked([survey])[survey.id]


def _asked(surveys: list[Survey]) -> dict[int, list[SurveyQuestion]]:
    """questions_to_answer for several surveys in one statement: survey id -> its questions, in order."""
    rows = db.session.scalars(
        db.select(SurveyQuestion).where(
            SurveyQuestion.template_id.in_(sorted({s.template_id for s in surveys})),
            SurveyQuestion.archived.is_(False),
            or_(SurveyQuestion.school_id.is_(None), SurveyQuestion.school_id.in_(sorted({s.school_id for s in surveys}))),
        ).order_by(SurveyQuestion.school_id.is_not(None), SurveyQuestion.position, SurveyQuestion.id)
    ).all()
    return {s.id: [q for q in rows if q.template_id == s.template_id and q.school_id in (None, s.school_id)]
            for s in surveys}


def surveys_of(school) -> list[Survey]:
    """The school's surveys, newest first, with their templates (the list shows each one's audience)."""
    return db.session.scalars(
        db.select(Survey).options(joinedload(Survey.template)).where(Survey.school_id == school.id)
        .order_by(Survey.school_year.desc(), Survey.moment.desc(), Survey.group_name, Survey.id)
    ).all()


# The progress page's two survey sections (the list, and from screening to action) read them once.
surveys_of_once = per_request(surveys_of)


def _is_counterpart(survey: Survey, other: Survey) -> bool:
    return (other.school_id == survey.school_id and other.template_id == survey.template_id
            and other.school_year == survey.school_year and other.group_name == survey.group_name
            and other.moment == ("post" if survey.moment == "pre" else "pre"))


def counterpart(survey: Survey, among: list[Survey] | None = None) -> Survey | None:
    """The same group's survey at the other moment of the school year (pre <-> post); with `among`
    (the school's surveys, already read), found there instead of read."""
    if among is not None:
        return next((other for other in among if _is_counterpart(survey, other)), None)
    return db.session.scalar(db.select(Survey).where(
        Survey.school_id == survey.school_id, Survey.template_id == survey.template_id,
        Survey.school_year == survey.school_year, Survey.group_name == survey.group_name,
        Survey.moment == ("post" if survey.moment == "pre" else "pre"),
    ))


@dataclass
class QuestionResult:
    question: SurveyQuestion
    respondents: int  # how many responses answered it
    counts: list[int] = field(default_factory=list)  # per point (Likert) or choice, 1 first
    mean: float | None = None
    shown: bool = True  # False: fewer respondents than the minimum, nothing of it is shown

    @property
    def percents(self) -> list[int]:
        total = self.respondents or 1
        return [round(100 * n / total) for n in self.counts]


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    minimum: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.responses >= self.minimum

    @property
    def likert(self) -> list[QuestionResult]:
        return [r for r in self.questions if r.shown and r.question.kind == "likert"]


def _questions_in(surveys: list[Survey], respondents: dict[int, dict[int, int]]) -> dict[int, list[SurveyQuestion]]:
    """Per survey: the questions asked now plus the archived ones it holds answers to."""
    asked = _asked(surveys)
    missing = {s.id: set(respondents.get(s.id, ())) - {q.id for q in asked[s.id]} for s in surveys}
    if any(missing.values()):
        archived = db.session.scalars(db.select(SurveyQuestion).where(SurveyQuestion.id.in_(
            sorted(set().union(*missing.values())))).order_by(SurveyQuestion.id)).all()
        for survey_id, ids in missing.items():
            asked[survey_id] += [q for q in archived if q.id in ids]
    return asked


def _answer_counts(surveys: list[Survey]) -> tuple[dict[tuple[int, int, int], int], dict[int, dict[int, int]]]:
    """In one statement: answers per (survey, question, value), and per survey the respondents per question.
    The second part's rows carry no value (NULL); the first part leaves answers without a value out."""
    ids = [s.id for s in surveys]
    per_value = (db.select(SurveyAnswer.survey_id, SurveyAnswer.question_id, SurveyAnswer.value, func.count())
                 .where(SurveyAnswer.survey_id.in_(ids), SurveyAnswer.value.is_not(None))
                 .group_by(SurveyAnswer.survey_id, SurveyAnswer.question_id, SurveyAnswer.value))
    per_question = (db.select(SurveyAnswer.survey_id, SurveyAnswer.question_id, null(),
                              func.count(func.distinct(SurveyAnswer.response_id)))
                    .where(SurveyAnswer.survey_id.in_(ids))
                    .group_by(SurveyAnswer.survey_id, SurveyAnswer.question_id))
    counts: dict[tuple[int, int, int], int] = {}
    respondents: dict[int, dict[int, int]] = {}
    for survey_id, question_id, value, n in db.session.execute(union_all(per_value, per_question)):
        if value is None:
            respondents.setdefault(survey_id, {})[question_id] = n
        else:
            counts[(survey_id, question_id, value)] = n
    return counts, respondents


def results(survey: Survey) -> SurveyResults:
    """Distributions and means per question; empty unless the survey reached the minimum group size."""
    return results_of([survey])[survey.id]


def results_of(surveys: list[Survey]) -> dict[int, SurveyResults]:
    """`results` of several surveys (survey id -> results), their answers read in one statement."""
    minimum = min_group()
    found = {s.id: SurveyResults(s, s.response_count, minimum, []) for s in surveys}
    shown = [result.survey for result in found.values() if result.shown]
    if not shown:
        return found
    counts, respondents = _answer_counts(shown)
    questions = _questions_in(shown, respondents)
    for survey in shown:
        answered = respondents.get(survey.id, {})
        for question in questions[survey.id]:
            n = answered.get(question.id, 0)
            result = QuestionResult(question, n, shown=n >= minimum)
            if result.shown and question.kind == "likert":
                result.counts = [counts.get((survey.id, question.id, point), 0) for point in range(1, 6)]
                result.mean = sum(p * c for p, c in zip(range(1, 6), result.counts, strict=True)) / n
            elif result.shown and question.kind in ("single", "multiple"):
                result.counts = [counts.get((survey.id, question.id, i), 0)
                                 for i in range(1, len(question.choice_list()) + 1)]
            found[survey.id].questions.append(result)
    return found


def open_answers(survey: Survey) -> dict[int, list[str]]:
    """question id -> the open answers, only when the survey and the question reached the minimum."""
    minimum = min_group()
    if survey.response_count < minimum:
        return {}
    found: dict[int, list[str]] = {}
    for question_id, text in db.session.execute(
        db.select(SurveyAnswer.question_id, SurveyAnswer.text)
        .where(SurveyAnswer.survey_id == survey.id, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.question_id, func.lower(SurveyAnswer.text))
    ):
        found.setdefault(question_id, []).append(text)
    return {q: texts for q, texts in found.items() if len(texts) >= minimum}


@dataclass
class Change:
    question: SurveyQuestion
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def comparison(pre: SurveyResults, post: SurveyResults) -> list[Change]:
    """Pre -> post per Likert question both moments show (the same question: the same id)."""
    if not (pre.shown and post.shown):
        return []
    before = {r.question.id: r for r in pre.likert}
    return [Change(r.question, before[r.question.id].mean, r.mean) for r in post.likert
            if r.question.id in before]


def pre_and_post(survey: Survey, among: list[Survey] | None = None) -> tuple[SurveyResults, SurveyResults] | None:
    """The results of the survey and its counterpart, pre first (`among`: as for `counterpart`)."""
    pair = pairs([survey], among)
    return pair[0] if pair else None


def pairs(surveys: list[Survey], among: list[Survey] | None = None) -> list[tuple[SurveyResults, SurveyResults]]:
    """pre_and_post of each survey that has a counterpart, the answers of all of them read at once."""
    found = []
    for survey in surveys:
        other = counterpart(survey, among)
        if other is not None:
            found.append((other, survey) if survey.moment == "post" else (survey, other))
    if not found:
        return []
    read = results_of([s for pair in found for s in pair])
    return [(read[pre.id], read[post.id]) for pre, post in found]


def response_total(survey_id: int) -> int:
    """Counted from the rows (the tests compare it with the survey's counter)."""
    return db.session.scalar(db.select(func.count()).select_from(SurveyResponse)
                             .where(SurveyResponse.survey_id == survey_id))


def open_surveys(school) -> list[Survey]:
    return db.session.scalars(db.select(Survey).where(Survey.school_id == school.id, Survey.closed.is_(False))
                              .order_by(Survey.closes_on)).all()
