"""Forms of the bodies and their meetings (Dutch messages; every text field has a maximum)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from warmeveranderen.domain import TITLE_MAX
from warmeveranderen.forms_common import (
    LONG_TEXT,
    SHORT_TEXT,
    DutchDateField,
    DutchIntegerField,
    MultiCheckboxField,
    RichTextAreaField,
    SingleLine,
)
from warmeveranderen.governance.models import BODY_KINDS, CADENCE_UNITS

TIME = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Geef een uur als 14:00."))


class BodyForm(FlaskForm):
    kind = SelectField(_l("Soort overleg"), choices=[(k, v[0]) for k, v in BODY_KINDS.items()],
                       validators=[DataRequired(_l("Kies een soort overleg."))])
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    city_id = SelectField(_l("Warme stad (alleen voor een lokale stuurgroep)"), coerce=int, validators=[Optional()])
    purpose = RichTextAreaField(_l("Opdracht van dit overleg"), validators=[Optional(), *LONG_TEXT],
                                render_kw={"rows": 3})
    cadence_every = DutchIntegerField(_l("Om de hoeveel"), validators=[
        InputRequired(_l("Geef de cadans.")), NumberRange(min=1, max=52, message=_l("Tussen 1 en 52."))])
    cadence_unit = SelectField(_l("Eenheid"), choices=list(CADENCE_UNITS.items()))
    first_meeting_on = DutchDateField(_l("Eerste vergadering"), validators=[
        InputRequired(_l("Geef de datum van de eerste vergadering."))])
    meeting_time = StringField(_l("Uur"), default="14:00", validators=[DataRequired(_l("Geef een uur.")), Length(max=5), TIME])
    duration_minutes = DutchIntegerField(_l("Duur in minuten"), default=120, validators=[
        InputRequired(_l("Geef de duur.")), NumberRange(min=15, max=600, message=_l("Tussen 15 en 600 minuten."))])
    location = StringField(_l("Plaats of link"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    avoid_holidays = BooleanField(_l("Niet in schoolvakanties of op vrije dagen (dan de eerstvolgende schooldag)"),
                                  default=True)
    standard_items = TextAreaField(_l("Vaste agendapunten (één per regel)"), validators=[Optional(), *SHORT_TEXT],
                                   render_kw={"rows": 4})
    members = TextAreaField(_l("Leden: e-mailadres; rol; wie ze vertegenwoordigen (één per regel)"),
                            validators=[Optional(), *LONG_TEXT], render_kw={"rows": 6})
    submit = SubmitField(_l("Bewaren en vergaderingen plannen"))


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Agendapunt"), validators=[DataRequired(_l("Geef je agendapunt een titel.")),
                                                      Length(max=TITLE_MAX), SingleLine()])
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), *SHORT_TEXT], render_kw={"rows": 2})
    submit = SubmitField(_l("Op de agenda zetten"))


class ButtonForm(FlaskForm):
    submit = SubmitField(_l("Agenda versturen"))


class ActionRow(Form):
    title = StringField(_l("Actie"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    owner_id = SelectField(_l("Wie"), coerce=int, validators=[Optional()])
    due_on = DutchDateField(_l("Tegen"), validators=[Optional()])


class MinutesForm(FlaskForm):
    present = MultiCheckboxField(_l("Aanwezig"), coerce=int)
    excused = MultiCheckboxField(_l("Verontschuldigd"), coerce=int)
    summary = RichTextAreaField(_l("Verslag"), validators=[Optional(), *LONG_TEXT], render_kw={"rows": 6})
    decisions = TextAreaField(_l("Nieuwe besluiten (één per regel)"), validators=[Optional(), *SHORT_TEXT],
                              render_kw={"rows": 3})
    actions = FieldList(FormField(ActionRow), min_entries=3, max_entries=10)
    done = MultiCheckboxField(_l("Afgeronde acties"), coerce=int)
    shared = BooleanField(_l("Verslag delen met de scholen"))
    submit = SubmitField(_l("Verslag bewaren"))

    def fill(self, meeting, open_actions) -> None:
        members = [(m.user_id, m.user.name) for m in meeting.body.members]
        self.present.choices = members
        self.excused.choices = members
        self.done.choices = [(a.id, a.title) for a in open_actions]
        for row in self.actions:
            row.form.owner_id.choices = [(0, _l("Kies wie"))] + members

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for row in self.actions:
            data = row.form
            if data.title.data and (not data.owner_id.data or not data.due_on.data):
                data.title.errors = [*data.title.errors, _l("Een actie heeft iemand die ze doet en een datum.")]
                ok = False
        if set(self.present.data or []) & set(self.excused.data or []):
            self.excused.errors = [*self.excused.errors, _l("Iemand is aanwezig of verontschuldigd, niet beide.")]
            ok = False
        return ok


class CompleteActionForm(FlaskForm):
    note = StringField(_l("Wat is er gedaan?"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    submit = SubmitField(_l("Afgerond"))


class MoveMeetingForm(FlaskForm):
    day = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Geef een datum."))])
    time = StringField(_l("Uur"), validators=[DataRequired(_l("Geef een uur.")), Length(max=5), TIME])
    location = StringField(_l("Plaats of link"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    cancelled = BooleanField(_l("Deze vergadering gaat niet door"))
    submit = SubmitField(_l("Bewaren"))
