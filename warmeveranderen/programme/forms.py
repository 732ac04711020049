"""Forms for the programme's structure and its people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from warmeveranderen.domain import PROGRAMME_ROLES, SCHOOL_LEVELS, SCHOOL_ROLES, STAKEHOLDER_GROUPS, UMBRELLAS, choices
from warmeveranderen.forms_common import SingleLine
from warmeveranderen.programme.services import find_school


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Uitnodiging aanvaarden"))


class NameForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120), SingleLine()])
    submit = SubmitField(_l("Opslaan"))


class SchoolForm(FlaskForm):
    name = StringField(_l("Naam van de school"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=160), SingleLine()])
    city_id = SelectField(_l("Warme stad"), coerce=int, validators=[DataRequired(_l("Kies een warme stad."))])
    network_id = SelectField(_l("Lerend netwerk"), coerce=int, validators=[Optional()])
    level = SelectField(_l("Onderwijsniveau"), choices=choices(SCHOOL_LEVELS, blank="—"), validators=[Optional()])
    umbrella = SelectField(_l("Net / koepel"), choices=choices(UMBRELLAS, blank="—"), validators=[Optional()])
    submit = SubmitField(_l("School opslaan"))

    def fill_choices(self, cities, networks) -> None:
        self.city_id.choices = [(0, "—")] + [(c.id, c.name) for c in cities]
        self.network_id.choices = [(0, _l("Geen netwerk"))] + [(n.id, n.name) for n in networks]


class InviteForm(FlaskForm):
    """Invite a person to a school in a role (or, for coordinators, to a programme role)."""

    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=120), SingleLine()])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    # A typed school name (or number), not a list of every school: the programme has thousands.
    school_id = StringField(_l("School"), validators=[Optional(), Length(max=160)],
                            render_kw={"list": "school-suggestions", "autocomplete": "off"},
                            filters=[lambda v: v.strip() if isinstance(v, str) else v])
    role = SelectField(_l("Rol"), validators=[DataRequired(_l("Kies een rol."))])
    stakeholder_group = SelectField(
        _l("Stakeholdergroep (voor forumleden)"), choices=choices(STAKEHOLDER_GROUPS, blank="—"), validators=[Optional()]
    )
    is_lead = BooleanField(_l("Trekker van het vliegwiel"))
    submit = SubmitField(_l("Uitnodiging versturen"))

    # The school the typed name or number points at (set by validate_school_id; None = no school).
    school = None

    def fill_choices(self, roles: list[str], with_school: bool = False) -> None:
        labels = {**SCHOOL_ROLES, **PROGRAMME_ROLES}
        self.role.choices = [("", "—")] + [(r, labels[r]) for r in roles]
        if not with_school:
            del self.school_id

    def validate(self, extra_validators=None) -> bool:
        # Checked here, not in validate_stakeholder_group: Optional() stops a field's own
        # validators when it is empty, which is exactly the case to catch.
        valid = super().validate(extra_validators)
        if self.role.data == "forum" and not self.stakeholder_group.data:
            self.stakeholder_group.errors = [*self.stakeholder_group.errors, _l("Kies voor een forumlid de stakeholdergroep.")]
            valid = False
        return valid

    def validate_school_id(self, field):
        typed = field.data or ""
        if typed in ("", "0"):
            self.school = None
        else:
            self.school = find_school(typed)
            if self.school is None:
                raise ValidationError(_l("Geen school gevonden met deze naam of dit nummer; typ de volledige naam."))
        if self.role.data in SCHOOL_ROLES and self.school is None:
            raise ValidationError(_l("Kies de school voor deze rol."))


class AssignmentForm(FlaskForm):
    school_id = SelectField(_l("School"), coerce=int, validators=[Optional()])
    network_id = SelectField(_l("of: lerend netwerk"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Toewijzen"))

    def fill_choices(self, schools, networks) -> None:
        self.school_id.choices = [(0, "—")] + [(s.id, s.name) for s in schools]
        self.network_id.choices = [(0, "—")] + [(n.id, n.name) for n in networks]

    def validate_network_id(self, field):
        if bool(field.data) == bool(self.school_id.data):
            raise ValidationError(_l("Kies een school óf een lerend netwerk."))


class MergeForm(FlaskForm):
    """Merge a city, network or school into another: first choose, then confirm (`confirmed`)."""

    target = SelectField(_l("Samenvoegen met"), coerce=int, validators=[DataRequired(_l("Kies met welke je samenvoegt."))])
    confirmed = HiddenField(default="")
    submit = SubmitField(_l("Verder"))

    def fill_choices(self, things, exclude_id: int) -> None:
        self.target.choices = [(0, "—")] + [(t.id, t.name) for t in things if t.id != exclude_id]


class SchoolMergeForm(FlaskForm):
    """A school is typed (name or number): the programme has thousands, a list would not do."""

    target = StringField(_l("Samenvoegen met (naam of nummer van de school)"),
                         validators=[DataRequired(_l("Typ de naam van de school waarmee je samenvoegt.")), Length(max=160)],
                         filters=[lambda v: v.strip() if isinstance(v, str) else v])
    confirmed = HiddenField(default="")
    submit = SubmitField(_l("Verder"))
    school = None

    def validate_target(self, field):
        self.school = find_school(field.data or "")
        if self.school is None:
            raise ValidationError(_l("Geen school gevonden met deze naam of dit nummer; typ de volledige naam."))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Ja, verwijderen"))
