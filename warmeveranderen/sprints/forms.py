"""Forms for the cadence, sprints, initiatives, checkpoints, meetings, closing and the offer basket."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from warmeveranderen.domain import (
    ADDRESSED_THEMES,
    BUILDING_BLOCKS,
    CORE_MISSIONS,
    HEALTH_LEVELS,
    HEALTH_STRATEGIES,
    LABEL_COLOURS,
    LABEL_NAME_MAX,
    SPRINT_WEEKS,
    choices,
)
from warmeveranderen.forms_common import LONG_TEXT, SHORT_TEXT, MultiCheckboxField, SingleLine

DATE_MESSAGE = _l("Geef een geldige datum op (dd-mm-jjjj).")


class CalendarForm(FlaskForm):
    start_date = DateField(_l("Eerste dag van sprint 1"),
                           validators=[InputRequired(DATE_MESSAGE)])
    submit = SubmitField(_l("Sprintkalender instellen"))


class WeeksForm(FlaskForm):
    weeks = IntegerField(_l("Sprintlengte voor deze school (weken)"),
                         validators=[Optional(), NumberRange(SPRINT_WEEKS.min, SPRINT_WEEKS.max, SPRINT_WEEKS.message)])
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(_l("Geef een reden op.")), *SHORT_TEXT])
    submit = SubmitField(_l("Sprintlengte opslaan"))


class OwnDayForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(DATE_MESSAGE)])
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Geef de dag een naam.")), Length(max=120)],
                       description=_l("Bijvoorbeeld “Pedagogische studiedag” of “Facultatieve vrije dag”."))
    everyone = BooleanField(_l("Voor alle scholen van het programma (netwerkdag)"))
    submit = SubmitField(_l("Vrije dag toevoegen"))


class OwnDaysImportForm(FlaskForm):
    file = FileField(_l("Agenda-bestand (.ics)"), validators=[FileRequired(_l("Kies een .ics-bestand."))],
                     description=_l("Bijvoorbeeld de schoolagenda uit Smartschool of Outlook; alleen hele-dag-afspraken "
                                    "worden vrije dagen."))
    submit = SubmitField(_l("Vrije dagen inlezen"))


class MoveSprintForm(FlaskForm):
    new_start = DateField(_l("Nieuwe startdatum"), validators=[InputRequired(DATE_MESSAGE)])
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(_l("Geef een reden op.")), *SHORT_TEXT])
    submit = SubmitField(_l("Sprint verschuiven"))


class GoalForm(FlaskForm):
    goal = TextAreaField(_l("Sprintdoel"), validators=[
        DataRequired(_l("Vul een sprintdoel in: wat wil het vliegwiel deze sprint bereiken?")),
        Length(max=2000)])
    submit = SubmitField(_l("Doel opslaan"))


class InitiativeForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef het initiatief een titel.")),
                                                 Length(max=200), SingleLine()])
    description = TextAreaField(_l("Beschrijving"), validators=[Optional(), *LONG_TEXT])
    building_block = SelectField(_l("Bouwsteen"), choices=choices(BUILDING_BLOCKS, blank="—"),
                                 validators=[DataRequired(_l("Kies een bouwsteen."))])
    secondary_block = SelectField(_l("Tweede bouwsteen (optioneel)"),
                                  choices=choices(BUILDING_BLOCKS, blank=_l("Geen")), validators=[Optional()])
    core_missions = MultiCheckboxField(_l("Kernopdrachten die het dient"), choices=choices(CORE_MISSIONS),
                                       validators=[Optional()])
    health_level = SelectField(_l("Gezondheidsmatrix: niveau"), choices=choices(HEALTH_LEVELS, blank="—"),
                               validators=[Optional()])
    health_strategy = SelectField(_l("Gezondheidsmatrix: strategie"),
                                  choices=choices(HEALTH_STRATEGIES, blank="—"), validators=[Optional()])
    owner_id = SelectField(_l("Eigenaar (vliegwiel of directie)"), validators=[Optional()])
    needs_advice = BooleanField(_l("Dit initiatief verandert de school: het forum geeft eerst advies"), default=True)
    labels = MultiCheckboxField(_l("Labels"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Initiatief opslaan"))

    def fill_owners(self, people) -> None:
        self.owner_id.choices = [("", _l("Nog niemand"))] + [(str(u.id), u.name) for u in people]

    def fill_labels(self, labels) -> None:
        self.labels.choices = [(label.id, label.name) for label in labels]


class LabelForm(FlaskForm):
    name = StringField(_l("Naam van het label"), validators=[DataRequired(_l("Geef het label een naam.")),
                                                             Length(max=LABEL_NAME_MAX), SingleLine()])
    colour = SelectField(_l("Kleur"), choices=choices(LABEL_COLOURS), default="blue")
    submit = SubmitField(_l("Label toevoegen"))


class CheckpointForm(FlaskForm):
    held_on = DateField(_l("Datum"), validators=[InputRequired(DATE_MESSAGE)])
    who = StringField(_l("Wie nam deel"), validators=[DataRequired(_l("Noteer wie deelnam.")), Length(max=500)])
    note = TextAreaField(_l("Korte notitie"), validators=[Optional(), *SHORT_TEXT])
    submit = SubmitField(_l("Afstemming vastleggen"))


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Datum van het overleg"), validators=[InputRequired(DATE_MESSAGE)])
    attendees = MultiCheckboxField(_l("Aanwezig"), coerce=int, validators=[Optional()])
    notes = TextAreaField(_l("Notities en beslissingen"), validators=[Optional(), *LONG_TEXT])
    submit = SubmitField(_l("Overleg vastleggen"))


class CloseForm(FlaskForm):
    review_summary = TextAreaField(_l("Review: wat heeft de sprint opgeleverd?"), validators=[Optional(), *LONG_TEXT])
    retro_went_well = TextAreaField(_l("Wat ging goed?"), validators=[DataRequired(_l("Vul in wat goed ging.")), *LONG_TEXT])
    retro_to_improve = TextAreaField(_l("Wat kan beter?"), validators=[DataRequired(_l("Vul in wat beter kan.")), *LONG_TEXT])
    retro_actions = TextAreaField(_l("Acties voor de volgende sprint"), validators=[Optional(), *LONG_TEXT])
    confirm_early = BooleanField(_l("Ja, ik sluit deze sprint af vóór zijn laatste dag"))
    submit = SubmitField(_l("Sprint afsluiten"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Waarom heropen je deze sprint?"), validators=[
        DataRequired(_l("Geef een reden op: het heropenen wordt bijgehouden in de geschiedenis van de cadans.")),
        *LONG_TEXT])
    submit = SubmitField(_l("Sprint heropenen"))


class BasketItemForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef het item een titel.")), Length(max=160), SingleLine()])
    what = TextAreaField(_l("Wat is het?"), validators=[DataRequired(_l("Beschrijf wat het aanbod inhoudt.")), *LONG_TEXT])
    audience = TextAreaField(_l("Voor wie?"), validators=[Optional(), *SHORT_TEXT])
    building_block = SelectField(_l("Bouwsteen"), choices=choices(BUILDING_BLOCKS, blank="—"),
                                 validators=[DataRequired(_l("Kies een bouwsteen."))])
    core_missions = MultiCheckboxField(_l("Kernopdrachten"), choices=choices(CORE_MISSIONS), validators=[Optional()])
    addresses = MultiCheckboxField(_l("Werkt aan (schalen en thema's van metingen en bevragingen)"),
                                   choices=choices(ADDRESSED_THEMES), validators=[Optional()])
    health_level = SelectField(_l("Gezondheidsmatrix: niveau"), choices=choices(HEALTH_LEVELS, blank="—"),
                               validators=[Optional()])
    health_strategy = SelectField(_l("Gezondheidsmatrix: strategie"),
                                  choices=choices(HEALTH_STRATEGIES, blank="—"), validators=[Optional()])
    provider = StringField(_l("Aanbieder (expertisenetwerk)"), validators=[Optional(), Length(max=160)])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=255)])
    links = TextAreaField(_l("Links (één per regel)"), validators=[Optional(), *SHORT_TEXT])
    active = BooleanField(_l("Zichtbaar in de aanbodkorf"), default=True)
    submit = SubmitField(_l("Item opslaan"))


class AddFromBasketForm(FlaskForm):
    owner_id = SelectField(_l("Eigenaar (vliegwiel of directie)"), validators=[Optional()])
    submit = SubmitField(_l("Op de backlog zetten"))
