"""Forms: a person's notification preferences and the programme's reminder offsets."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from warmeveranderen.domain import DELIVERY_MODES, NOTIFICATION_CATEGORIES, choices
from warmeveranderen.notifications.rules import OFFSETS


def preferences_form_class():
    """One choice per category plus the digest hour."""

    class PreferencesForm(FlaskForm):
        digest_hour = SelectField(
            _l("Uur van het dagelijks overzicht"),
            choices=[(h, f"{h:02d}:00") for h in range(24)],
            coerce=int,
            validators=[InputRequired(_l("Kies een uur."))],
        )
        holidays = BooleanField(_l("Schoolvakanties en vrije dagen in mijn agenda"))
        submit = SubmitField(_l("Voorkeuren bewaren"))

        def category_fields(self):
            return [getattr(self, f"mode_{c}") for c in NOTIFICATION_CATEGORIES]

        def modes(self) -> dict[str, str]:
            return {c: getattr(self, f"mode_{c}").data for c in NOTIFICATION_CATEGORIES}

    for code, label in NOTIFICATION_CATEGORIES.items():
        setattr(
            PreferencesForm,
            f"mode_{code}",
            SelectField(label, choices=choices(DELIVERY_MODES), validators=[InputRequired(_l("Kies hoe je dit wil krijgen."))]),
        )
    return PreferencesForm


def offsets_form_class():
    """One number of days per reminder offset."""

    class OffsetsForm(FlaskForm):
        submit = SubmitField(_l("Termijnen bewaren"))

        def offset_fields(self):
            return [getattr(self, key) for key in OFFSETS]

        def values(self) -> dict[str, int]:
            return {key: getattr(self, key).data for key in OFFSETS}

    for key, (_default, label) in OFFSETS.items():
        setattr(
            OffsetsForm,
            key,
            IntegerField(
                label,
                validators=[
                    InputRequired(_l("Vul een aantal dagen in.")),
                    NumberRange(min=0, max=365, message=_l("Kies tussen 0 en 365 dagen.")),
                ],
            ),
        )
    return OffsetsForm


class RotateTokenForm(FlaskForm):
    submit = SubmitField(_l("Nieuwe agenda-link maken"))
