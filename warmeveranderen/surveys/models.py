"""Surveys (bevragingen): the programme's templates, a school's surveys per group and moment, anonymous answers.

Anonymity is a property of the schema: a response holds its survey and nothing else (no time, no
address, no browser, no person); an answer holds its response, its question and the value. A
single-use link (SurveyInvite) keeps only a hash of its token and whether it was used, never to
whom it was sent, and no answer points at it.

A question keeps its identity (its id) across moments: the pre- and post-measurement of a school
year answer the same rows, so the results compare per question.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow

# Who a template is for.
AUDIENCES = {
    "staff": _l("Personeel"),
    "parents": _l("Ouders"),
    "pupils": _l("Leerlingen"),
}
QUESTION_KINDS = {
    "likert": _l("Schaal van 1 tot 5"),
    "single": _l("Eén keuze"),
    "multiple": _l("Meerdere keuzes"),
    "open": _l("Open vraag"),
}
# The five points of the Likert scale, 1 first.
LIKERT = {
    1: _l("Helemaal niet akkoord"),
    2: _l("Niet akkoord"),
    3: _l("Neutraal"),
    4: _l("Akkoord"),
    5: _l("Helemaal akkoord"),
}
MOMENTS = {
    "pre": _l("Voormeting"),
    "post": _l("Nameting"),
}


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class SurveyTemplate(db.Model):
    """The programme's survey for one audience; the coordinator edits its introduction and questions."""

    __tablename__ = "survey_templates"
    __table_args__ = (CheckConstraint(_in("audience", AUDIENCES), name="audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(10), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="template", order_by="SurveyQuestion.position, SurveyQuestion.id",
    )


class SurveyQuestion(db.Model):
    """One question of a template (school_id empty) or a school's own question added to a template.

    Editing the wording keeps the question (and its answers); `archived` takes it out of new answers.
    Choices are one per line; an answer stores the choice's number (1 = the first line).
    """

    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
        Index("ix_survey_questions_template_school", "template_id", "school_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(300))
    text_en: Mapped[str] = mapped_column(String(300), default="")
    choices: Mapped[str] = mapped_column(Text, default="")
    choices_en: Mapped[str] = mapped_column(Text, default="")
    # What the question is about (survey THEMES), so a falling question can suggest basket items.
    theme: Mapped[str] = mapped_column(String(30), default="")
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[SurveyTemplate] = relationship(back_populates="questions")

    @property
    def is_own(self) -> bool:
        return self.school_id is not None

    def choice_list(self, locale: str = "nl") -> list[str]:
        dutch = [c.strip() for c in self.choices.splitlines() if c.strip()]
        if locale == "en":
            english = [c.strip() for c in self.choices_en.splitlines() if c.strip()]
            if len(english) == len(dutch):
                return english
        return dutch

    def wording(self, locale: str = "nl") -> str:
        return self.text_en if locale == "en" and self.text_en else self.text


class Survey(db.Model):
    """A school's survey of one group (e.g. "Personeel", "Ouders 1ste graad") at one moment of a school year."""

    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("school_id", "template_id", "school_year", "moment", "group_name"),
        CheckConstraint(_in("moment", MOMENTS), name="moment"),
        CheckConstraint("max_responses > 0", name="max_responses"),
        # The closing reminder reads the surveys closing in a date window over all schools.
        Index("ix_surveys_closes_on", "closes_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id", ondelete="RESTRICT"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    moment: Mapped[str] = mapped_column(String(4))
    group_name: Mapped[str] = mapped_column(String(80))
    closes_on: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The shared link (one per group), or NULL when the school only sends single-use links.
    shared_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    max_responses: Mapped[int] = mapped_column(default=200)
    response_count: Mapped[int] = mapped_column(default=0)
    # The shared link's rate limit: answers in the current window (no address or person is kept).
    window_started_at: Mapped[datetime | None]
    window_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    template: Mapped[SurveyTemplate] = relationship()

    def is_open(self, today: date) -> bool:
        return not self.closed and today <= self.closes_on



class SurveyInvite(db.Model):
    """A single-use link sent by the app: only the token's hash and whether it was used."""

    __tablename__ = "survey_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False, server_default=false())


class SurveyResponse(db.Model):
    """One person's answers to a survey: deliberately nothing but the survey."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    """One answer: a Likert point or a choice's number in `value`, or an open answer in `text`.

    A multiple-choice question has one row per chosen option.
    """

    __tablename__ = "survey_answers"
    # The results count answers per survey, question and value in one grouped query.
    __table_args__ = (Index("ix_survey_answers_survey_question_value", "survey_id", "question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)


# Classroom observations (seed 003): a rating of class climate and teaching style, 1 to 5.
RATINGS = {1: _l("1 – zwak"), 2: "2", 3: _l("3 – wisselend"), 4: "4", 5: _l("5 – sterk")}
MAX_CLASS = 60


class ClassroomObservation(db.Model):
    """One observed class of a sample: involvement counts per level and two ratings; no names, no observer."""

    __tablename__ = "classroom_observations"
    __table_args__ = (
        CheckConstraint(" AND ".join(f"involvement_{n} >= 0" for n in range(1, 6)), name="counts"),
        CheckConstraint("class_climate BETWEEN 1 AND 5 AND teaching_style BETWEEN 1 AND 5", name="ratings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    observed_on: Mapped[date]
    class_name: Mapped[str] = mapped_column(String(80))
    involvement_1: Mapped[int] = mapped_column(default=0)
    involvement_2: Mapped[int] = mapped_column(default=0)
    involvement_3: Mapped[int] = mapped_column(default=0)
    involvement_4: Mapped[int] = mapped_column(default=0)
    involvement_5: Mapped[int] = mapped_column(default=0)
    class_climate: Mapped[int]
    teaching_style: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def counts(self) -> list[int]:
        return [getattr(self, f"involvement_{n}") for n in range(1, 6)]


class SurveySettings(db.Model):
    """The programme's survey settings, kept by the coordinator (one row; until it exists the defaults of
    the configuration apply): the minimum group size and when screening or a survey stands out."""

    __tablename__ = "survey_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    min_responses: Mapped[int]
    notable_low_share: Mapped[int]  # percent of a group at levels 1-2
    clear_fall: Mapped[Decimal] = mapped_column(Numeric(3, 1))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
