"""Forms of the intake: the programme terms, the draft, signing, ending and sharing."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, HiddenField, PasswordField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from warmeveranderen.domain import INTAKE_COMMITMENTS, SPRINT_WEEKS, choices
from warmeveranderen.forms_common import DutchDateField, DutchDecimalField, DutchIntegerField, EuroField, MultiCheckboxField

EVALUATION_SLOTS = 6


def _whole(label, low, high, message):
    return DutchIntegerField(
        label,
        validators=[InputRequired(_l("Vul dit in.")), NumberRange(min=low, max=high, message=message)],
    )


class TermsForm(FlaskForm):
    price_per_year = EuroField(_l("Prijs per schooljaar (euro, excl. btw)"), validators=[InputRequired(_l("Vul de prijs in."))])
    school_years = _whole(_l("Aantal schooljaren"), 1, 6, _l("Kies 1 tot 6 schooljaren."))
    support_package = TextAreaField(
        _l("Ondersteuningspakket"),
        validators=[DataRequired(_l("Beschrijf het ondersteuningspakket.")), Length(max=10000)],
        render_kw={"rows": 9},
    )
    matching_ratio = DutchDecimalField(
        _l("Verdubbelingsregel: euro vanuit het programma per geïnvesteerde euro"),
        validators=[InputRequired(_l("Vul de verhouding in."))],
    )
    matching_cap = EuroField(_l("Plafond van de investeringsenveloppe (euro, optioneel)"), validators=[Optional()])
    evaluation_count = _whole(_l("Aantal evaluatiemomenten"), 1, 6, _l("Kies 1 tot 6 evaluatiemomenten."))
    evaluation_first_after_months = _whole(
        _l("Eerste evaluatiemoment, maanden na de start"), 1, 72, _l("Kies 1 tot 72 maanden.")
    )
    evaluation_spacing_months = _whole(_l("Maanden tussen twee evaluatiemomenten"), 1, 36, _l("Kies 1 tot 36 maanden."))
    sprint_weeks = _whole(SPRINT_WEEKS.label, SPRINT_WEEKS.min, SPRINT_WEEKS.max, SPRINT_WEEKS.message)
    submit = SubmitField(_l("Voorwaarden opslaan"))

    def validate_matching_ratio(self, field):
        if field.data is not None and field.data > 10:
            raise ValueError(_l("Kies een verhouding tussen 0 en 10."))


class DraftForm(FlaskForm):
    strategic_intention = TextAreaField(
        _l("Strategische intentie"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 10},
    )
    commitments = MultiCheckboxField(_l("Engagementen"), choices=choices(INTAKE_COMMITMENTS), validators=[Optional()])
    commitments_note = TextAreaField(_l("Verdere afspraken"), validators=[Optional(), Length(max=10000)], render_kw={"rows": 4})
    own_investment = EuroField(_l("Eigen investering van de school (euro)"), validators=[Optional()])
    start_date = DutchDateField(_l("Startdatum"), validators=[Optional()])
    duration_years = DutchIntegerField(
        _l("Looptijd (schooljaren)"),
        validators=[Optional(), NumberRange(min=1, max=6, message=_l("Kies een looptijd van 1 tot 6 schooljaren."))],
    )
    evaluation_moments = FieldList(
        DutchDateField(_l("Evaluatiemoment"), validators=[Optional()]),
        label=_l("Evaluatiemomenten"),
        min_entries=EVALUATION_SLOTS,
        max_entries=EVALUATION_SLOTS,
    )
    signatories = MultiCheckboxField(_l("Ondertekenaars van de school"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Concept bewaren"))

    def fill(self, version, signatory_choices) -> None:
        """Fill the choices, and on a first display the version's content."""
        self.signatories.choices = signatory_choices
        if self.is_submitted():
            return
        self.strategic_intention.data = version.strategic_intention
        self.commitments.data = list(version.commitments or [])
        self.commitments_note.data = version.commitments_note
        self.own_investment.data = version.own_investment
        self.start_date.data = version.start_date
        self.duration_years.data = version.duration_years
        dates = [m.on_date for m in version.evaluation_moments]
        for entry, value in zip(self.evaluation_moments.entries, dates + [None] * EVALUATION_SLOTS, strict=False):
            entry.data = value
        self.signatories.data = [f"{s.role}:{s.user_id}" for s in version.signatories if s.user_id is not None]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # One flat list of messages for the evaluation moments (the error summary lists them).
        flat = [e for sub in self.evaluation_moments.errors for e in (sub if isinstance(sub, list | tuple) else [sub])]
        self.evaluation_moments.errors = list(dict.fromkeys(flat))
        return valid

    def content(self) -> dict:
        return {
            "strategic_intention": self.strategic_intention.data,
            "commitments": self.commitments.data or [],
            "commitments_note": self.commitments_note.data,
            "own_investment": self.own_investment.data,
            "start_date": self.start_date.data,
            "duration_years": self.duration_years.data,
            "evaluation_moments": [e.data for e in self.evaluation_moments.entries if e.data],
            "signatories": self.signatories.data or [],
        }


class SignForm(FlaskForm):
    # The fingerprint of the text the signer read; if the text changed since, signing is refused.
    fingerprint = HiddenField()
    password = PasswordField(
        _l("Je wachtwoord"), validators=[DataRequired(_l("Typ je wachtwoord om te ondertekenen."))],
        render_kw={"autocomplete": "current-password"},
    )
    agree = BooleanField(
        _l("Ik heb de tekst gelezen en onderteken hem namens mijn rol."),
        validators=[DataRequired(_l("Bevestig dat je de tekst gelezen hebt."))],
    )
    submit = SubmitField(_l("Onderteken"))


class EndForm(FlaskForm):
    ended_on = DutchDateField(
        _l("Datum van beëindiging"),
        validators=[InputRequired(_l("Vul de datum van de beëindiging in."))],
    )
    reason = TextAreaField(
        _l("Reden"), validators=[DataRequired(_l("Geef de reden van de beëindiging.")), Length(max=5000)],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Beëindig de overeenkomst"))


class ShareForm(FlaskForm):
    shared = BooleanField(_l("Deel de volledige overeenkomst (met de bedragen) met het vliegwiel en het forum"))
    submit = SubmitField(_l("Opslaan"))
