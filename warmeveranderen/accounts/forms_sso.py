"""Forms of single sign-on: confirming the first link, and a coordinator's provider."""

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from warmeveranderen.forms_common import MultiCheckboxField, SingleLine, max_length


class LinkForm(FlaskForm):
    submit = SubmitField(_l("Koppelen en aanmelden"))


class UnlinkForm(FlaskForm):
    submit = SubmitField(_l("Ontkoppelen"))


class IssuerUrl:
    """An https URL without query or fragment; plain http only for this machine (127.0.0.1, localhost)
    when SSO_ALLOW_HTTP_LOOPBACK is on (tests and local trials)."""

    def __call__(self, form, field):
        parts = urlsplit(field.data or "")
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        http_ok = parts.scheme == "http" and loopback and current_app.config["SSO_ALLOW_HTTP_LOOPBACK"]
        if not parts.netloc or parts.query or parts.fragment or not (parts.scheme == "https" or http_ok):
            raise ValidationError(_l("Vul de issuer-URL in zoals je aanmeldservice ze geeft, beginnend met https://."))


class ProviderForm(FlaskForm):
    name = StringField(_l("Naam op de knop"), validators=[DataRequired(_l("Vul een naam in.")), max_length(80),
                                                          SingleLine()],
                       description=_l("Bijvoorbeeld Microsoft, Google of Smartschool: 'Aanmelden met …'."))
    issuer = StringField(_l("Issuer-URL"), validators=[DataRequired(_l("Vul de issuer-URL in.")), max_length(300),
                                                       IssuerUrl()],
                         description=_l("Microsoft Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0; "
                                        "Google: https://accounts.google.com."))
    client_id = StringField(_l("Client-ID"), validators=[DataRequired(_l("Vul de client-ID in.")), max_length(300),
                                                         SingleLine()])
    client_secret = PasswordField(_l("Client secret"), validators=[Length(max=500), SingleLine()],
                                  description=_l("Wordt versleuteld bewaard en nooit meer getoond. Laat leeg om het "
                                                 "bewaarde secret te houden."))
    email_domains = StringField(_l("E-maildomeinen"), validators=[max_length(1000)],
                                description=_l("Gescheiden door spaties, bijvoorbeeld: school.be scholengroep.be"))
    schools = MultiCheckboxField(_l("Scholen"), coerce=int, validate_choice=False)
    required = BooleanField(_l("Verplicht: wie deze dienst bedient, kan niet meer met een wachtwoord aanmelden"))
    enabled = BooleanField(_l("Actief (de knop staat op de aanmeldpagina)"), default=True)
    submit = SubmitField(_l("Bewaren"))

    def validate_email_domains(self, field):
        for domain in (field.data or "").replace(",", " ").split():
            domain = domain.lstrip("@")
            if "." not in domain or any(ch in domain for ch in "/:@ "):
                raise ValidationError(_l("'%(domain)s' is geen e-maildomein.", domain=domain))


class TokenForm(FlaskForm):
    name = StringField(_l("Naam van de sleutel"), validators=[DataRequired(_l("Geef de sleutel een naam.")),
                                                               max_length(80), SingleLine()],
                       description=_l("Waarvoor je hem gebruikt, bijvoorbeeld 'Dashboard scholengroep'."))
    scope = SelectField(_l("Wat mag de sleutel?"), choices=[("read", _l("lezen")), ("write", _l("lezen en schrijven"))],
                        default="read")
    submit = SubmitField(_l("Sleutel maken"))


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("Intrekken"))
