"""Forms of the advisers' follow-up."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from warmeveranderen.domain import MEASUREMENT_MOMENTS, MILESTONES, SCREENED_POPULATIONS, choices
from warmeveranderen.forms_common import SingleLine


def _label() -> list:
    return [DataRequired(_l("Vul een label in.")), Length(max=60), SingleLine()]


class IndicatorDefinitionForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef de indicator een titel.")), Length(max=300), SingleLine()])
    guidance = TextAreaField(_l("Toelichting voor de adviseurs"), validators=[Length(max=4000)])
    label_realised = StringField(_l("Niveau 1 (hoogste)"), validators=_label())
    label_in_progress = StringField(_l("Niveau 2"), validators=_label())
    label_started = StringField(_l("Niveau 3"), validators=_label())
    label_not_started = StringField(_l("Niveau 4 (laagste)"), validators=_label())
    submit = SubmitField(_l("Opslaan"))


class RatingEntryForm(Form):
    """One indicator inside the rating form (no CSRF of its own)."""

    level = RadioField(_l("Niveau"), choices=[], validators=[Optional()], validate_choice=False)
    remark = TextAreaField(_l("Opmerking"), validators=[Length(max=4000)])
    evidence = TextAreaField(_l("Bewijs (links)"), validators=[Length(max=4000)])


class RatingForm(FlaskForm):
    measured_on = DateField(_l("Meetmoment"), validators=[InputRequired(_l("Kies de datum van het meetmoment."))])
    # Nine sub-forms are added in make_rating_form (one per indicator).
    submit = SubmitField(_l("Scores opslaan"))


def make_rating_form(definitions, **kwargs) -> RatingForm:
    """A rating form with one entry per indicator definition (field name i<number>)."""

    class _Form(RatingForm):
        pass

    for definition in definitions:
        setattr(_Form, f"i{definition.number}", FormField(RatingEntryForm, label=definition.title))
    form = _Form(**kwargs)
    for definition in definitions:
        entry = getattr(form, f"i{definition.number}")
        entry.level.choices = [("", _l("Niet scoren"))] + definition.levels
        if entry.level.data is None:
            entry.level.data = ""
    return form


class SessionForm(FlaskForm):
    held_on = DateField(_l("Datum"), validators=[InputRequired(_l("Kies de datum."))])
    duration_minutes = IntegerField(
        _l("Duur (minuten)"),
        validators=[Optional(), NumberRange(min=1, max=600, message=_l("Geef een duur tussen 1 en 600 minuten."))],
    )
    advisers = SelectMultipleField(_l("Adviseur(s)"), coerce=int,
                                   validators=[DataRequired(_l("Kies minstens één adviseur."))])
    participants = StringField(
        _l("Deelnemers"), validators=[Length(max=300)],
    )
    summary = TextAreaField(_l("Korte samenvatting voor de school"), validators=[Length(max=2000)])
    notes = TextAreaField(_l("Notities (enkel voor adviseurs en coördinator)"), validators=[Length(max=20000)])
    cancelled = BooleanField(_l("Geannuleerd"))
    allow_duplicate = BooleanField(_l("Toch opslaan: het is een tweede sessie op die dag"))
    submit = SubmitField(_l("Sessie opslaan"))


class MilestoneForm(FlaskForm):
    kind = SelectField(_l("Mijlpaal"), choices=choices(MILESTONES, blank="—"),
                       validators=[DataRequired(_l("Kies een mijlpaal."))])
    happened_on = DateField(_l("Datum"), validators=[InputRequired(_l("Kies de datum."))])
    note = StringField(_l("Opmerking"), validators=[Length(max=300)])
    submit = SubmitField(_l("Mijlpaal opslaan"))


class MeasurementForm(FlaskForm):
    school_year = SelectField(_l("Schooljaar"), validators=[DataRequired(_l("Kies het schooljaar."))])
    moment = SelectField(_l("Meetmoment"), choices=choices(MEASUREMENT_MOMENTS),
                         validators=[DataRequired(_l("Kies het meetmoment."))])
    population = SelectField(_l("Wie werd gescreend?"), choices=choices(SCREENED_POPULATIONS), default="pupils",
                             validators=[Optional()])
    group_name = StringField(_l("Groep (klas of leergemeenschap)"),
                             validators=[DataRequired(_l("Geef de groep een naam.")), Length(max=80), SingleLine()])
    submit = SubmitField(_l("Meting opslaan"))


COUNT_VALIDATORS = [Optional(), NumberRange(min=0, max=250, message=_l("Een aantal tussen 0 en 250."))]
for _n in range(1, 6):
    setattr(MeasurementForm, f"wellbeing_{_n}",
            IntegerField(_l("Welbevinden, niveau %(n)s", n=_n), validators=COUNT_VALIDATORS, default=0))
    setattr(MeasurementForm, f"involvement_{_n}",
            IntegerField(_l("Betrokkenheid, niveau %(n)s", n=_n), validators=COUNT_VALIDATORS, default=0))
    setattr(MeasurementForm, f"emotional_{_n}",
            IntegerField(_l("Gezond emotioneel functioneren, niveau %(n)s", n=_n), validators=COUNT_VALIDATORS,
                         default=0))


class UploadForm(FlaskForm):
    file = FileField(_l("CSV-bestand"), validators=[FileRequired(_l("Kies een CSV-bestand."))])
    submit = SubmitField(_l("Importeren"))

