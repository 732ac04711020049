"""Forms of the forum. Rules (deadlines, who may advise, objections answered) live in the services;
the forms only carry what people typed, so it can always be shown back to them."""

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from warmeveranderen.domain import (
    ADVICE_STANCES,
    BUILDING_BLOCKS,
    DECISION_OUTCOMES,
    OBJECTION_KIND_HELP,
    STAKEHOLDER_GROUPS,
    choices,
)
from warmeveranderen.formats import format_day, format_moment
from warmeveranderen.forms_common import LONG_TEXT, SHORT_TEXT, RichTextAreaField, SingleLine
from warmeveranderen.forum.subjects import SUBJECT_KINDS


class SessionForm(FlaskForm):
    sprint_id = SelectField(_l("Sprint"), coerce=int, validators=[Optional()])
    day = DateField(_l("Datum"), validators=[DataRequired(_l("Kies de datum van de bijeenkomst."))])
    at = TimeField(_l("Uur"), default=time(19, 0), validators=[DataRequired(_l("Kies het uur."))])
    location = StringField(_l("Locatie"), validators=[Length(max=200), SingleLine()])
    online_url = StringField(_l("Link voor online deelname"), validators=[Length(max=500)])
    notes = RichTextAreaField(_l("Praktische info"), validators=[*SHORT_TEXT], render_kw={"rows": 3})
    submit = SubmitField(_l("Bijeenkomst opslaan"))

    def fill_sprints(self, sprints) -> None:
        self.sprint_id.choices = [(0, _l("Geen sprint (extra bijeenkomst)"))] + [
            (s.id, _l("Sprint %(n)s (eindigt %(end)s)", n=s.number, end=format_day(s.end_date)))
            for s in sprints
        ]


# The subject choice for a free question (forum/questions.py): its title is typed in the form.
NEW_QUESTION = "question:new"


class RoundForm(FlaskForm):
    subject = SelectField(_l("Onderwerp"), validators=[DataRequired(_l("Kies waarover je advies vraagt."))])
    title = StringField(_l("Titel van je vraag"), validators=[Length(max=255), SingleLine()])
    question = TextAreaField(
        _l("Adviesvraag"), validators=[DataRequired(_l("Formuleer de adviesvraag: waarover wil je advies?")),
                                   *SHORT_TEXT],
        render_kw={"rows": 3},
    )
    background = RichTextAreaField(_l("Toelichting"), validators=[*LONG_TEXT], render_kw={"rows": 5})
    deadline_day = DateField(_l("Advies geven kan tot en met"),
                             validators=[DataRequired(_l("Kies een uiterste datum voor het advies."))])
    deadline_time = TimeField(_l("Uur"), default=time(23, 59), validators=[DataRequired(_l("Kies het uur."))])
    session_id = SelectField(_l("Op de agenda van"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Voorleggen aan het forum"))

    def fill(self, options: dict, sessions) -> None:
        """The subjects ({"kind:id": (kind, id, title)}) and a free question; the upcoming sessions."""
        self.subject.choices = [("", "—")] + [
            (key, f"{SUBJECT_KINDS[kind].label}: {title}") for key, (kind, _id, title) in options.items()
        ] + [(NEW_QUESTION, _l("Een andere vraag van het vliegwiel (titel hieronder)"))]
        self.session_id.choices = [(0, _l("Geen bijeenkomst: advies tussendoor"))] + [
            (s.id, _l("Forum van %(when)s", when=format_moment(s.starts_at))) for s in sessions
        ]


class AdviceForm(FlaskForm):
    # The stance is checked by the service, with a message in Dutch (no generic "Not a valid choice").
    stance = RadioField(_l("Je standpunt"), choices=choices(ADVICE_STANCES), validate_choice=False)
    # Only for an objection (the page shows it when "Bezwaar" is chosen; without JavaScript it is always there
    # and ignored for other stances). Each choice reads as its one-line explanation.
    objection_kind = RadioField(_l("Wat voor bezwaar?"), choices=choices(OBJECTION_KIND_HELP), validate_choice=False)
    reasoning = RichTextAreaField(_l("Je advies en je argumenten"), validators=[*LONG_TEXT], render_kw={"rows": 6})
    submit = SubmitField(_l("Advies geven"))


class CommentForm(FlaskForm):
    body = RichTextAreaField(_l("Opmerking"), validators=[*SHORT_TEXT], render_kw={"rows": 3})
    submit = SubmitField(_l("Opmerking plaatsen"))


class ResponseForm(FlaskForm):
    body = TextAreaField(_l("Wat doen we met dit advies?"),
                         validators=[*SHORT_TEXT], render_kw={"rows": 3})
    submit = SubmitField(_l("Antwoord opslaan"))


class DecisionForm(FlaskForm):
    outcome = RadioField(_l("Besluit"), choices=choices(DECISION_OUTCOMES), validate_choice=False)
    reasons = RichTextAreaField(_l("Motivering"), validators=[*LONG_TEXT], render_kw={"rows": 5})
    corrects_id = HiddenField()
    submit = SubmitField(_l("Besluit vastleggen"))


class MinutesForm(FlaskForm):
    summary = RichTextAreaField(_l("Samenvatting"), validators=[*LONG_TEXT], render_kw={"rows": 8})
    submit = SubmitField(_l("Verslag opslaan"))


class MemberInviteForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=120), SingleLine()])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254),
                    Email(_l("Dit is geen geldig e-mailadres."))],
    )
    stakeholder_group = SelectField(
        _l("Stakeholdergroep"), choices=choices(STAKEHOLDER_GROUPS, blank="—"),
        validators=[DataRequired(_l("Kies voor welke groep deze persoon spreekt."))],
    )
    submit = SubmitField(_l("Uitnodigen voor het forum"))


class ArchiveFilterForm(FlaskForm):
    """The archive's search: a GET form, so a search is a link that can be shared."""

    class Meta:
        csrf = False

    q = StringField(_l("Zoeken"), validators=[Optional(), Length(max=100)])
    sprint = SelectField(_l("Sprint"), coerce=int, validators=[Optional()])
    block = SelectField(_l("Bouwsteen"), choices=choices(BUILDING_BLOCKS, blank=_l("Alle")), validators=[Optional()])
    group = SelectField(_l("Advies van"), choices=choices(STAKEHOLDER_GROUPS, blank=_l("Alle groepen")),
                        validators=[Optional()])
    outcome = SelectField(_l("Besluit"), choices=choices(DECISION_OUTCOMES, blank=_l("Alle")),
                          validators=[Optional()])

    def fill_sprints(self, sprints) -> None:
        self.sprint.choices = [(0, _l("Alle sprints"))] + [
            (s.id, _l("Sprint %(n)s", n=s.number)) for s in sprints
        ]
