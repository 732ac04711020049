"""The comment form: Markdown text, people to mention (a choice that works without JavaScript) and an optional file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, SubmitField
from wtforms.validators import DataRequired

from warmeveranderen.forms_common import SHORT_TEXT, RichTextAreaField


class CommentForm(FlaskForm):
    body = RichTextAreaField(_l("Reactie"), validators=[DataRequired(_l("Schrijf een reactie.")), *SHORT_TEXT])
    mentions = SelectMultipleField(_l("Iemand vermelden (krijgt een melding)"), coerce=int, validate_choice=True)
    file = FileField(_l("Bijlage (optioneel)"))
    submit = SubmitField(_l("Reageren"))

    def fill(self, people) -> CommentForm:
        self.mentions.choices = [(p.id, p.name) for p in people]
        return self


class EditCommentForm(FlaskForm):
    body = RichTextAreaField(_l("Reactie"), validators=[DataRequired(_l("Schrijf een reactie.")), *SHORT_TEXT])
    submit = SubmitField(_l("Wijziging bewaren"))


class SimpleForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))
