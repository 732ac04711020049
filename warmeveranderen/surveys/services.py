"""Writes of the surveys: templates and questions, opening and closing a school's survey, links, answers.

Services flush, never commit (the request commits once). Refusals raise SurveyError with a Dutch
message, naming the form field it belongs to when there is one. What an answer stores is decided
here and only here: the values, never who, when or from where.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, update

from warmeveranderen.domain import SHORT_TEXT_MAX, TITLE_MAX, text_problem
from warmeveranderen.extensions import db
from warmeveranderen.mail import send_email
from warmeveranderen.surveys.defaults import TEMPLATES, THEMES
from warmeveranderen.surveys.models import (
    AUDIENCES,
    MAX_CLASS,
    MOMENTS,
    QUESTION_KINDS,
    ClassroomObservation,
    Survey,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from warmeveranderen.timeutil import utcnow
from warmeveranderen.tracking.windows import school_year
from warmeveranderen.uow import ServiceError

# A school adds at most this many questions of its own to a template.
MAX_OWN_QUESTIONS = 5
# At most this many single-use links are sent at once.
MAX_INVITES = 500
MAX_CHOICES = 12


class SurveyError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(text: str, limit: int, field: str, *, single_line: bool = False) -> None:
    problem = text_problem(text, limit, single_line=single_line)
    if problem:
        raise SurveyError(problem, field)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- templates and questions -------------------------------------------------------------------

def ensure_templates() -> dict[str, SurveyTemplate]:
    """The three templates, created with their first questions when the programme has none yet."""
    found = {t.audience: t for t in db.session.scalars(db.select(SurveyTemplate))}
    for audience, (title, intro, questions) in TEMPLATES.items():
        if audience in found:
            continue
        template = SurveyTemplate(audience=audience, title=title, intro=intro)
        db.session.add(template)
        for position, (kind, text, text_en, theme, choices, choices_en) in enumerate(questions, start=1):
            template.questions.append(SurveyQuestion(
                kind=kind, text=text, text_en=text_en, theme=theme, choices=choices, choices_en=choices_en,
                position=position,
            ))
        found[audience] = template
    db.session.flush()
    return found


def update_template(template: SurveyTemplate, title: str, intro: str) -> None:
    title, intro = (title or "").strip(), (intro or "").strip()
    if not title:
        raise SurveyError(_("Geef de bevraging een titel."), "title")
    _check(title, TITLE_MAX, "title", single_line=True)
    _check(intro, SHORT_TEXT_MAX, "intro")
    template.title, template.intro = title, intro
    db.session.flush()


def _clean_choices(kind: str, choices: str, field: str = "choices") -> str:
    lines = [line.strip() for line in (choices or "").splitlines() if line.strip()]
    if kind in ("single", "multiple"):
        if len(lines) < 2:
            raise SurveyError(_("Geef minstens twee keuzes, één per regel."), field)
        if len(lines) > MAX_CHOICES:
            raise SurveyError(_("Geef hoogstens %(n)s keuzes.", n=MAX_CHOICES), field)
        for line in lines:
            _check(line, TITLE_MAX, field, single_line=True)
        return "\n".join(lines)
    return ""


def _question_fields(kind: str, text: str, text_en: str, choices: str, choices_en: str, theme: str) -> dict:
    if kind not in QUESTION_KINDS:
        raise SurveyError(_("Kies een soort vraag."), "kind")
    text, text_en = (text or "").strip(), (text_en or "").strip()
    if not text:
        raise SurveyError(_("Schrijf de vraag."), "text")
    _check(text, 300, "text", single_line=True)
    _check(text_en, 300, "text_en", single_line=True)
    if theme and theme not in THEMES:
        raise SurveyError(_("Kies een thema uit de lijst."), "theme")
    cleaned = _clean_choices(kind, choices)
    cleaned_en = _clean_choices(kind, choices_en, "choices_en") if (choices_en or "").strip() else ""
    return dict(kind=kind, text=text, text_en=text_en, choices=cleaned, choices_en=cleaned_en, theme=theme or "")


def add_question(template: SurveyTemplate, *, school=None, kind: str, text: str, text_en: str = "",
                 choices: str = "", choices_en: str = "", theme: str = "") -> SurveyQuestion:
    """A new question at the end of the template (or a school's own question, at most MAX_OWN_QUESTIONS)."""
    fields = _question_fields(kind, text, text_en, choices, choices_en, theme)
    if school is not None:
        own = db.session.scalar(db.select(db.func.count()).select_from(SurveyQuestion).where(
            SurveyQuestion.template_id == template.id, SurveyQuestion.school_id == school.id,
            SurveyQuestion.archived.is_(False)))
        if own >= MAX_OWN_QUESTIONS:
            raise SurveyError(_("Een school voegt hoogstens %(n)s eigen vragen toe aan een bevraging.",
                                n=MAX_OWN_QUESTIONS))
    last = db.session.scalar(db.select(db.func.max(SurveyQuestion.position)).where(
        SurveyQuestion.template_id == template.id)) or 0
    question = SurveyQuestion(template_id=template.id, school_id=school.id if school else None,
                              position=last + 1, **fields)
    db.session.add(question)
    db.session.flush()
    return question


def has_answers(question: SurveyQuestion) -> bool:
    return db.session.scalar(db.select(SurveyAnswer.id).where(SurveyAnswer.question_id == question.id).limit(1)) \
        is not None


def edit_question(question: SurveyQuestion, *, kind: str, text: str, text_en: str = "", choices: str = "",
                  choices_en: str = "", theme: str = "") -> None:
    """New wording keeps the question's identity (pre and post still compare); once answered, its kind
    and the number of its choices stay (an answer stores the choice's number)."""
    fields = _question_fields(kind, text, text_en, choices, choices_en, theme)
    if has_answers(question):
        if kind != question.kind:
            raise SurveyError(_("Deze vraag is al beantwoord: de soort vraag kan niet meer veranderen. "
                                "Archiveer ze en voeg een nieuwe vraag toe."), "kind")
        if len(fields["choices"].splitlines()) != len(question.choice_list()):
            raise SurveyError(_("Deze vraag is al beantwoord: pas de keuzes aan, maar houd er evenveel."),
                              "choices")
    for name, value in fields.items():
        setattr(question, name, value)
    db.session.flush()


def set_archived(question: SurveyQuestion, archived: bool) -> None:
    """Archived: no longer asked; its earlier answers stay in the results. A school's own question is
    asked again only within the school's maximum."""
    if not archived and question.archived and question.school_id is not None:
        asked = db.session.scalar(db.select(db.func.count()).select_from(SurveyQuestion).where(
            SurveyQuestion.template_id == question.template_id, SurveyQuestion.school_id == question.school_id,
            SurveyQuestion.archived.is_(False)))
        if asked >= MAX_OWN_QUESTIONS:
            raise SurveyError(_("Een school voegt hoogstens %(n)s eigen vragen toe aan een bevraging.",
                                n=MAX_OWN_QUESTIONS))
    question.archived = archived
    db.session.flush()


# --- a school's surveys ------------------------------------------------------------------------

def open_survey(school, user, *, audience: str, school_year: str, moment: str, group_name: str,
                closes_on: date, max_responses: int, shared_link: bool, today: date) -> Survey:
    """A survey of one group at one moment, from the programme's template for its audience."""
    if audience not in AUDIENCES:
        raise SurveyError(_("Kies voor wie de bevraging is."), "audience")
    if moment not in MOMENTS:
        raise SurveyError(_("Kies het meetmoment."), "moment")
    group_name = (group_name or "").strip()
    if not group_name:
        raise SurveyError(_("Geef de groep een naam, bv. Personeel of Ouders 1ste graad."), "group_name")
    _check(group_name, 80, "group_name", single_line=True)
    if closes_on < today:
        raise SurveyError(_("De sluitdatum ligt in het verleden."), "closes_on")
    if closes_on > today + timedelta(days=366):
        raise SurveyError(_("Kies een sluitdatum binnen een jaar."), "closes_on")
    if not 1 <= (max_responses or 0) <= 5000:
        raise SurveyError(_("Kies een aantal tussen 1 en 5000."), "max_responses")
    template = ensure_templates()[audience]
    exists = db.session.scalar(db.select(Survey.id).where(
        Survey.school_id == school.id, Survey.template_id == template.id, Survey.school_year == school_year,
        Survey.moment == moment, Survey.group_name == group_name))
    if exists:
        raise SurveyError(_("Deze groep heeft al een bevraging voor dit meetmoment."), "group_name")
    survey = Survey(school_id=school.id, template_id=template.id, school_year=school_year, moment=moment,
                    group_name=group_name, closes_on=closes_on, max_responses=max_responses,
                    shared_token=secrets.token_urlsafe(24) if shared_link else None, created_by_id=user.id)
    db.session.add(survey)
    db.session.flush()
    return survey


def new_shared_link(survey: Survey) -> None:
    """A new shared link; the old one stops working (e.g. when it went round outside the group)."""
    survey.shared_token = secrets.token_urlsafe(24)
    db.session.flush()


def stop_shared_link(survey: Survey) -> None:
    survey.shared_token = None
    db.session.flush()


def close_survey(survey: Survey) -> None:
    survey.closed = True
    db.session.flush()


def reopen_survey(survey: Survey, closes_on: date, today: date) -> None:
    if closes_on < today:
        raise SurveyError(_("De sluitdatum ligt in het verleden."), "closes_on")
    if closes_on > today + timedelta(days=366):  # as when it was opened: a link does not stay open for years
        raise SurveyError(_("Kies een sluitdatum binnen een jaar."), "closes_on")
    survey.closed, survey.closes_on = False, closes_on
    db.session.flush()


def parse_addresses(text: str) -> list[str]:
    """Email addresses, one per line (or separated by commas or semicolons), without duplicates."""
    found: list[str] = []
    for part in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        address = part.strip()
        if not address:
            continue
        if "@" not in address or " " in address or len(address) > 254 or any(ord(c) < 0x21 for c in address):
            raise SurveyError(_("Dit is geen e-mailadres: %(a)s", a=address[:80]), "addresses")
        if address.lower() not in (a.lower() for a in found):
            found.append(address)
    if not found:
        raise SurveyError(_("Geef minstens één e-mailadres."), "addresses")
    if len(found) > MAX_INVITES:
        raise SurveyError(_("Stuur hoogstens %(n)s links tegelijk.", n=MAX_INVITES), "addresses")
    return found


def send_invites(survey: Survey, addresses: list[str], today: date) -> int:
    """One single-use link per address, sent by email; the addresses are not kept anywhere."""
    if not survey.is_open(today):
        raise SurveyError(_("Deze bevraging is gesloten."))
    mails = []
    for address in addresses:
        token = secrets.token_urlsafe(24)
        db.session.add(SurveyInvite(survey_id=survey.id, token_hash=token_hash(token)))
        mails.append((address, token))
    db.session.flush()
    base = current_app.config["BASE_URL"].rstrip("/")
    for address, token in mails:
        send_email(address, _("Je mening telt: %(title)s", title=survey.template.title), "surveys_invite",
                   survey=survey, link=base + url_for("survey_answers.answer", token=token))
    return len(mails)


# --- answering ---------------------------------------------------------------------------------

def find_link(token: str) -> tuple[Survey | None, SurveyInvite | None]:
    """The survey of a shared link, or of a single-use link with its invite; (None, None) when unknown."""
    if not token or len(token) > 64:
        return None, None
    survey = db.session.scalar(db.select(Survey).where(Survey.shared_token == token))
    if survey is not None:
        return survey, None
    invite = db.session.scalar(db.select(SurveyInvite).where(SurveyInvite.token_hash == token_hash(token)))
    if invite is None:
        return None, None
    return db.session.get(Survey, invite.survey_id), invite


def _claim_place(survey: Survey, shared: bool, now: datetime) -> None:
    """Count the answer on the survey, within its maximum and, for a shared link, its rate limit.

    Conditional updates, so two answers at the same moment can never both take the last place.
    """
    config = current_app.config
    conditions = [Survey.id == survey.id, Survey.closed.is_(False), Survey.closes_on >= now.date(),
                  Survey.response_count < Survey.max_responses]
    values = {"response_count": Survey.response_count + 1}
    if shared:
        window = timedelta(seconds=config["SURVEY_LINK_WINDOW_SECONDS"])
        db.session.execute(
            update(Survey).where(Survey.id == survey.id, or_(Survey.window_started_at.is_(None),
                                                             Survey.window_started_at <= now - window))
            .values(window_started_at=now, window_count=0).execution_options(synchronize_session=False))
        conditions.append(Survey.window_count < config["SURVEY_LINK_MAX_PER_WINDOW"])
        values["window_count"] = Survey.window_count + 1
    claimed = db.session.execute(
        update(Survey).where(*conditions).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if claimed == 1:
        return
    db.session.refresh(survey)
    if survey.closed or survey.closes_on < now.date():
        raise SurveyError(_("Deze bevraging is gesloten. Bedankt om te willen meedoen."))
    if survey.response_count >= survey.max_responses:
        raise SurveyError(_("Deze bevraging heeft al alle antwoorden die ze kan ontvangen."))
    raise SurveyError(_("Er komen nu erg veel antwoorden binnen via deze link. Probeer het over enkele "
                        "minuten opnieuw."))


def _claim_invite(invite: SurveyInvite) -> None:
    used = db.session.execute(
        update(SurveyInvite).where(SurveyInvite.id == invite.id, SurveyInvite.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise SurveyError(_("Deze persoonlijke link is al gebruikt: met elke link kan één keer geantwoord worden."))


def submit(survey: Survey, invite: SurveyInvite | None, questions: list[SurveyQuestion], values: dict) -> None:
    """Store one anonymous response: `values` maps a question id to a point, a choice, choices or a text.

    Only the values are stored; nothing about the person, their device or the time.
    """
    rows: list[SurveyAnswer] = []
    for question in questions:
        value = values.get(question.id)
        if value in (None, "", []):
            continue
        if question.kind == "likert":
            if value not in range(1, 6):
                raise SurveyError(_("Kies een antwoord van 1 tot 5."), f"q{question.id}")
            rows.append(SurveyAnswer(question_id=question.id, value=value))
        elif question.kind in ("single", "multiple"):
            chosen = value if isinstance(value, list) else [value]
            count = len(question.choice_list())
            if question.kind == "single" and len(chosen) != 1 or any(v not in range(1, count + 1) for v in chosen):
                raise SurveyError(_("Kies uit de keuzes bij de vraag."), f"q{question.id}")
            rows.extend(SurveyAnswer(question_id=question.id, value=v) for v in sorted(set(chosen)))
        else:
            text = str(value).strip()
            _check(text, SHORT_TEXT_MAX, f"q{question.id}")
            if text:
                rows.append(SurveyAnswer(question_id=question.id, text=text))
    if not rows:
        raise SurveyError(_("Beantwoord minstens één vraag."))
    if invite is not None:
        _claim_invite(invite)
    _claim_place(survey, shared=invite is None, now=utcnow())
    response = SurveyResponse(survey_id=survey.id)
    for row in rows:
        row.survey_id = survey.id
    response.answers = rows
    db.session.add(response)
    db.session.flush()


# --- classroom observations --------------------------------------------------------------------

def record_observation(school, class_name: str, observed_on: date, counts: list[int], class_climate: int,
                       teaching_style: int, today: date) -> ClassroomObservation:
    """One observed class: counts per involvement level and two ratings; no names, no observer."""
    class_name = " ".join((class_name or "").split())
    if not class_name:
        raise SurveyError(_("Geef de klas een naam."), "class_name")
    _check(class_name, 80, "class_name", single_line=True)
    if observed_on > today:
        raise SurveyError(_("Een observatie ligt niet in de toekomst."), "observed_on")
    if any(c < 0 for c in counts) or not sum(counts):
        raise SurveyError(_("Tel minstens één leerling bij de betrokkenheid."))
    if sum(counts) > MAX_CLASS:
        raise SurveyError(_("Een klas telt hoogstens %(n)s leerlingen.", n=MAX_CLASS))
    if class_climate not in range(1, 6) or teaching_style not in range(1, 6):
        raise SurveyError(_("Kies een score van 1 tot 5."))
    row = ClassroomObservation(school_id=school.id, school_year=school_year(observed_on), observed_on=observed_on,
                               class_name=class_name, class_climate=class_climate, teaching_style=teaching_style,
                               **{f"involvement_{n}": c for n, c in enumerate(counts, start=1)})
    db.session.add(row)
    db.session.flush()
    return row


def delete_observation(row: ClassroomObservation) -> None:
    db.session.delete(row)
    db.session.flush()
