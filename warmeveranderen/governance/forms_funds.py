"""Forms of the evaluation moments, partner days and envelopes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from warmeveranderen.domain import TITLE_MAX
from warmeveranderen.forms_common import LONG_TEXT, SHORT_TEXT, DutchDateField, RichTextAreaField, SingleLine
from warmeveranderen.governance.models_funds import DECISIONS, PARTNER_DAY_KINDS, PARTNERS

PASSWORD = PasswordField(_l("Je wachtwoord (om te ondertekenen)"),
                         validators=[DataRequired(_l("Typ je wachtwoord om te ondertekenen.")), Length(max=200)],
                         render_kw={"autocomplete": "current-password"})


class OpenEvaluationForm(FlaskForm):
    moment_on = DutchDateField(_l("Evaluatiemoment"), validators=[InputRequired(_l("Kies een evaluatiemoment."))])
    submit = SubmitField(_l("Evaluatie voorbereiden"))


class PreparationForm(FlaskForm):
    ambitions_review = RichTextAreaField(_l("De ambities van de visie, overlopen"), validators=[Optional(), *LONG_TEXT],
                                         render_kw={"rows": 5})
    support_review = RichTextAreaField(_l("De ondersteuning en de enveloppe, besproken"),
                                       validators=[Optional(), *LONG_TEXT], render_kw={"rows": 4})
    indicators_review = RichTextAreaField(_l("De beweging op de indicatoren, besproken"),
                                          validators=[Optional(), *LONG_TEXT], render_kw={"rows": 4})
    submit = SubmitField(_l("Voorbereiding bewaren"))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Beslissing"), choices=list(DECISIONS.items()),
                          validators=[DataRequired(_l("Kies: verderzetten, bijsturen of stoppen."))])
    adjustment = TextAreaField(_l("Wat wordt er bijgestuurd? (bij bijsturen)"), validators=[Optional(), *SHORT_TEXT],
                               render_kw={"rows": 3})
    next_on = DutchDateField(_l("Volgende evaluatiemoment"), validators=[Optional()])
    password = PASSWORD
    submit = SubmitField(_l("Beslissing vastleggen en ondertekenen"))


class SignForm(FlaskForm):
    fingerprint = StringField(_l("Vingerafdruk"), validators=[DataRequired(), Length(max=64)])
    password = PASSWORD
    submit = SubmitField(_l("Ondertekenen"))


class PartnerDayForm(FlaskForm):
    partner = SelectField(_l("Partner"), choices=list(PARTNERS.items()))
    kind = SelectField(_l("Soort"), choices=list(PARTNER_DAY_KINDS.items()))
    held_on = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Geef een datum."))])
    days = StringField(_l("Aantal dagen"), default="1", validators=[DataRequired(_l("Geef het aantal dagen.")),
                                                                     Length(max=10)])
    note = StringField(_l("Opmerking"), validators=[Optional(), Length(max=TITLE_MAX), SingleLine()])
    submit = SubmitField(_l("Partnerdag toevoegen"))


class SpendForm(FlaskForm):
    spent_on = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Geef een datum."))])
    description = StringField(_l("Waaraan?"), validators=[DataRequired(_l("Beschrijf waaraan het geld ging.")),
                                                          Length(max=TITLE_MAX), SingleLine()])
    own_amount = StringField(_l("Eigen deel (€)"), default="0", validators=[DataRequired(_l("Geef een bedrag.")),
                                                                             Length(max=20)])
    matched_amount = StringField(_l("Gematcht deel (€)"), default="0",
                                 validators=[DataRequired(_l("Geef een bedrag.")), Length(max=20)])
    submit = SubmitField(_l("Uitgave toevoegen"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Schrappen"))


class ReallocationForm(FlaskForm):
    from_school_id = SelectField(_l("Vrijgekomen bij"), coerce=int)
    to_school_id = SelectField(_l("Toewijzen aan"), coerce=int)
    amount = StringField(_l("Bedrag (€)"), validators=[DataRequired(_l("Geef een bedrag.")), Length(max=20)])
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(_l("Geef de reden van deze toewijzing.")),
                                                    *SHORT_TEXT], render_kw={"rows": 3})
    submit = SubmitField(_l("Middelen toewijzen"))
