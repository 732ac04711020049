"""Forms of the accounts feature."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from warmeveranderen.accounts.passwords import TOO_EASY, is_too_easy
from warmeveranderen.domain import LOCALES
from warmeveranderen.forms_common import SingleLine


class MinPasswordLength:
    """A password at least PASSWORD_MIN_LENGTH long (read from the config at validation time)."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(_l("Kies een wachtwoord van minstens %(n)s tekens.", n=minimum))


class NotGuessable:
    """Not a common or trivially guessable password. The view may set `form.person = (email, name)`
    so that the person's own email address and name count as guessable too."""

    def __call__(self, form, field):
        email, name = getattr(form, "person", (None, None))
        if form.data.get("name"):
            name = form.data["name"]
        too_short = len(field.data or "") < current_app.config["PASSWORD_MIN_LENGTH"]  # said already
        if field.data and not too_short and is_too_easy(field.data, email=email, name=name):
            raise ValidationError(TOO_EASY)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))])
    remember = BooleanField(_l("Aangemeld blijven op dit toestel"))
    next = HiddenField()
    submit = SubmitField(_l("Inloggen"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul je e-mailadres in.")), Length(max=254), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    submit = SubmitField(_l("Stuur me een link"))


class NewPasswordMixin:
    password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(_l("Kies een wachtwoord.")), MinPasswordLength(),
                                    NotGuessable()]
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk."))],
    )


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Wachtwoord opslaan"))


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(
        _l("Je naam"), validators=[DataRequired(_l("Vul je naam in.")), Length(max=120), SingleLine()]
    )
    password = PasswordField(
        _l("Kies een wachtwoord"), validators=[DataRequired(_l("Kies een wachtwoord.")), MinPasswordLength(),
                                    NotGuessable()]
    )
    submit = SubmitField(_l("Account activeren"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul je naam in.")), Length(max=120), SingleLine()])
    locale = SelectField(_l("Taal"), choices=list(LOCALES.items()))
    submit = SubmitField(_l("Profiel opslaan"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(_l("Vul je huidige wachtwoord in."))])
    submit = SubmitField(_l("Wachtwoord wijzigen"))
