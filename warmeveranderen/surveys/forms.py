"""Forms of the surveys: the coordinator's templates, opening a survey, links, and the answer form.

The answer form is built per survey from its questions: one column, big touch targets, every
question optional (a person may skip one), on a phone in a few minutes.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from warmeveranderen.domain import TITLE_MAX
from warmeveranderen.domain import choices as vocabulary_choices
from warmeveranderen.forms_common import (
    SHORT_TEXT,
    DutchDateField,
    DutchDecimalField,
    DutchIntegerField,
    MultiCheckboxField,
    SingleLine,
    max_length,
)
from warmeveranderen.surveys.defaults import THEMES
from warmeveranderen.surveys.models import AUDIENCES, LIKERT, MAX_CLASS, MOMENTS, QUESTION_KINDS, RATINGS


class TemplateForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef de bevraging een titel.")),
                                                  max_length(TITLE_MAX), SingleLine()])
    intro = TextAreaField(_l("Inleiding (wat de invuller eerst leest)"), validators=[*SHORT_TEXT],
                          render_kw={"rows": 3})
    submit = SubmitField(_l("Opslaan"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Soort vraag"), choices=list(QUESTION_KINDS.items()),
                       validators=[DataRequired(_l("Kies een soort vraag."))])
    text = StringField(_l("Vraag (Nederlands)"), validators=[DataRequired(_l("Schrijf de vraag.")),
                                                            max_length(300), SingleLine()])
    text_en = StringField(_l("Vraag (Engels, mag leeg)"), validators=[Optional(), max_length(300), SingleLine()])
    choices = TextAreaField(_l("Keuzes, één per regel (bij één of meerdere keuzes)"), validators=[*SHORT_TEXT],
                            render_kw={"rows": 4})
    choices_en = TextAreaField(_l("Keuzes in het Engels, één per regel (mag leeg)"), validators=[*SHORT_TEXT],
                               render_kw={"rows": 4})
    theme = SelectField(_l("Thema"), choices=vocabulary_choices(THEMES, blank=_l("Geen thema")), validators=[Optional()])
    submit = SubmitField(_l("Vraag opslaan"))


class OwnQuestionForm(QuestionForm):
    audience = SelectField(_l("In de bevraging van"), choices=list(AUDIENCES.items()),
                           validators=[DataRequired(_l("Kies een bevraging."))])
    submit = SubmitField(_l("Vraag toevoegen"))


class ArchiveForm(FlaskForm):
    submit = SubmitField(_l("Archiveren"))


class OpenSurveyForm(FlaskForm):
    audience = RadioField(_l("Voor wie?"), choices=list(AUDIENCES.items()),
                          validators=[DataRequired(_l("Kies voor wie de bevraging is."))])
    group_name = StringField(_l("Groep"), validators=[DataRequired(_l("Geef de groep een naam.")), max_length(80),
                                                      SingleLine()])
    school_year = SelectField(_l("Schooljaar"), validators=[DataRequired()])
    moment = RadioField(_l("Meetmoment"), choices=list(MOMENTS.items()),
                        validators=[DataRequired(_l("Kies het meetmoment."))])
    closes_on = DutchDateField(_l("Sluit na"), validators=[DataRequired(_l("Geef een sluitdatum."))])
    max_responses = DutchIntegerField(_l("Hoogstens zoveel antwoorden"), default=200,
                                      validators=[InputRequired(_l("Geef een aantal.")),
                                                  NumberRange(1, 5000, _l("Kies een aantal tussen 1 en 5000."))])
    shared_link = BooleanField(_l("Eén gedeelde link voor de hele groep maken"), default=True)
    submit = SubmitField(_l("Bevraging openen"))


class InviteForm(FlaskForm):
    addresses = TextAreaField(_l("E-mailadressen, één per regel"),
                              validators=[DataRequired(_l("Geef minstens één e-mailadres.")), max_length(40_000)],
                              render_kw={"rows": 6, "autocomplete": "off"})
    submit = SubmitField(_l("Persoonlijke links versturen"))


class SurveyActionForm(FlaskForm):
    submit = SubmitField()


class ReopenForm(FlaskForm):
    closes_on = DutchDateField(_l("Nieuwe sluitdatum"), validators=[DataRequired(_l("Geef een sluitdatum."))])
    submit = SubmitField(_l("Opnieuw openen"))


def answer_form(questions, formdata=None):
    """A form with one field per question, named q<id>."""
    locale = str(get_locale() or "nl")

    class AnswerForm(FlaskForm):
        submit = SubmitField(_l("Antwoorden versturen"))

    for q in questions:
        label = q.wording(locale)
        name = f"q{q.id}"
        if q.kind == "likert":
            fld = RadioField(label, choices=list(LIKERT.items()), coerce=int, validators=[Optional()])
        elif q.kind == "single":
            fld = RadioField(label, choices=list(enumerate(q.choice_list(locale), start=1)), coerce=int,
                             validators=[Optional()])
        elif q.kind == "multiple":
            fld = MultiCheckboxField(label, choices=list(enumerate(q.choice_list(locale), start=1)), coerce=int,
                                     validators=[Optional()])
        else:
            fld = TextAreaField(label, validators=[Optional(), *SHORT_TEXT], render_kw={"rows": 3})
        setattr(AnswerForm, name, fld)
    return AnswerForm(formdata=formdata) if formdata is not None else AnswerForm()


class ObservationForm(FlaskForm):
    class_name = StringField(_l("Geobserveerde klas"), validators=[DataRequired(_l("Geef de klas een naam.")),
                                                                   max_length(80), SingleLine()])
    observed_on = DutchDateField(_l("Datum van de observatie"), validators=[DataRequired(_l("Geef de datum."))])
    class_climate = RadioField(_l("Klasklimaat"), choices=list(RATINGS.items()), coerce=int,
                               validators=[DataRequired(_l("Kies een score voor het klasklimaat."))])
    teaching_style = RadioField(_l("Leerkrachtstijl"), choices=list(RATINGS.items()), coerce=int,
                                validators=[DataRequired(_l("Kies een score voor de leerkrachtstijl."))])
    submit = SubmitField(_l("Observatie opslaan"))


for _n in range(1, 6):
    setattr(ObservationForm, f"involvement_{_n}", DutchIntegerField(
        _l("Betrokkenheid niveau %(n)s (aantal leerlingen)", n=_n), default=0,
        validators=[Optional(), NumberRange(0, MAX_CLASS, _l("Een aantal tussen 0 en %(n)s.", n=MAX_CLASS))]))


class SettingsForm(FlaskForm):
    min_responses = DutchIntegerField(
        _l("Minimale groepsgrootte"), validators=[InputRequired(_l("Vul een aantal in.")),
                                                  NumberRange(5, 50, _l("Kies een aantal tussen 5 en 50."))],
        description=_l("Een bevraging, een vraag of een selectie met minder antwoorden toont niets, ook niet in "
                       "grafieken en exports. Nooit minder dan 5."))
    notable_low_share = DutchIntegerField(
        _l("Opvallend aandeel op niveau 1–2 (%)"), validators=[InputRequired(_l("Vul een percentage in.")),
                                                               NumberRange(5, 100, _l("Kies tussen 5 en 100."))],
        description=_l("Vanaf dit aandeel van een groep op niveau 1 of 2 stelt de voortgangspagina aanbod voor."))
    clear_fall = DutchDecimalField(
        _l("Duidelijke daling van een vraag (punten op 5)"), places=1,
        validators=[InputRequired(_l("Vul een daling in."))],
        description=_l("Zakt het gemiddelde van een vraag van voor- naar nameting minstens zoveel, dan stelt de "
                       "voortgangspagina aanbod voor."))
    submit = SubmitField(_l("Instellingen bewaren"))
