"""Builders for surveys: a survey of a school with answers given through the real service (as a link would)."""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.extensions import db
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys.models import Survey
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.windows import school_year


def open_survey(school, *, audience="staff", moment="pre", group="Personeel", shared=True, year=None,
                max_responses=200, creator=None) -> Survey:
    creator = creator or _someone()
    survey = services.open_survey(
        school, creator, audience=audience, school_year=year or school_year(today()), moment=moment,
        group_name=group, closes_on=today() + timedelta(days=14), max_responses=max_responses,
        shared_link=shared, today=today())
    db.session.commit()
    return survey


def answer(survey: Survey, values_in_order: list, invite=None) -> None:
    """One response: the values for the survey's questions in their order (None skips one)."""
    questions = queries.questions_to_answer(survey)
    values = {q.id: v for q, v in zip(questions, values_in_order, strict=False)}
    services.submit(survey, invite, questions, values)
    db.session.commit()


def answered_survey(school, *, moment="pre", answers: list[list], audience="staff", group="Personeel") -> Survey:
    survey = open_survey(school, audience=audience, moment=moment, group=group)
    for values in answers:
        answer(survey, values)
    db.session.refresh(survey)
    return survey


def own_question(school, audience="parents", text="De speelplaats is fijn."):
    template = services.ensure_templates()[audience]
    question = services.add_question(template, school=school, kind="likert", text=text)
    db.session.commit()
    return question


def _someone():
    from tests.factories import UserFactory

    return UserFactory()


def observe(school, class_name="4B", counts=(0, 2, 6, 8, 4), climate=4, style=3):
    row = services.record_observation(school, class_name, today() - timedelta(days=3), list(counts), climate, style,
                                      today())
    db.session.commit()
    return row
