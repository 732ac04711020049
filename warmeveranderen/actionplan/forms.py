"""Forms of the action plan: a task (the full form and the quick one on the initiative's page), a
checklist item, ticking off, moving, and the link to the vision."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from warmeveranderen.domain import TITLE_MAX
from warmeveranderen.forms_common import (
    SHORT_TEXT,
    DutchDateField,
    MultiCheckboxField,
    RichTextAreaField,
    SingleLine,
)

_TITLE = [DataRequired(_l("Geef de taak een titel.")), Length(max=TITLE_MAX), SingleLine()]


class TaskForm(FlaskForm):
    title = StringField(_l("Taak"), validators=_TITLE, render_kw={"autocomplete": "off"})
    due_date = DutchDateField(_l("Tegen wanneer (mag je leeg laten)"), validators=[Optional()])
    assignees = MultiCheckboxField(_l("Wie neemt dit op?"), coerce=int, validators=[Optional()])
    notes = RichTextAreaField(_l("Uitleg (mag je leeg laten)"), validators=[Optional(), *SHORT_TEXT],
                              render_kw={"rows": 4})
    submit = SubmitField(_l("Taak bewaren"))

    def fill(self, people) -> None:
        self.assignees.choices = [(p.id, p.name) for p in people]


class QuickTaskForm(FlaskForm):
    """The short form under the plan: a title, optionally a date and one person (more on the full form)."""

    title = StringField(_l("Nieuwe taak"), validators=_TITLE, render_kw={"autocomplete": "off"})
    due_date = DutchDateField(_l("Tegen wanneer"), validators=[Optional()])
    assignee = SelectField(_l("Wie"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Taak toevoegen"))

    def fill(self, people) -> None:
        self.assignee.choices = [(0, _l("Nog niemand"))] + [(p.id, p.name) for p in people]


class ChecklistForm(FlaskForm):
    text = StringField(_l("Nieuw punt op de checklist"),
                       validators=[DataRequired(_l("Schrijf wat er op de checklist moet.")), Length(max=TITLE_MAX),
                                   SingleLine()],
                       render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Punt toevoegen"))


class DoneForm(FlaskForm):
    """Tick off (done=1) or open again (done=0): one button."""

    done = HiddenField(validators=[AnyOf(["0", "1"])])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))


class VisionLinkForm(FlaskForm):
    targets = MultiCheckboxField(_l("Dit initiatief werkt aan"), validators=[Optional()])
    submit = SubmitField(_l("Koppeling bewaren"))
