"""Forms of the idea box: short, plain words (pupils use them too), easy on a phone."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from warmeveranderen.domain import BUILDING_BLOCKS, IDEA_ANSWERS, TITLE_MAX, choices
from warmeveranderen.forms_common import LONG_TEXT, SHORT_TEXT, SingleLine


class IdeaForm(FlaskForm):
    title = StringField(_l("Je idee in een paar woorden"),
                        validators=[DataRequired(_l("Schrijf in een paar woorden wat je idee is.")),
                                    Length(max=TITLE_MAX), SingleLine()],
                        render_kw={"autocomplete": "off"})
    body = TextAreaField(_l("Wat wil je veranderen, en waarom?"),
                         validators=[DataRequired(_l("Vertel kort wat je wilt veranderen en waarom.")), *LONG_TEXT],
                         render_kw={"rows": 5})
    building_block = SelectField(_l("Bouwsteen (mag je leeg laten)"), validators=[Optional()])
    submit = SubmitField(_l("Idee insturen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.building_block.choices = choices(BUILDING_BLOCKS, blank=_l("Weet ik niet"))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Je reactie"), validators=[DataRequired(_l("Schrijf eerst je reactie.")), *SHORT_TEXT],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Reageren"))


class SupportForm(FlaskForm):
    submit = SubmitField(_l("Ik steun dit"))


class AnswerForm(FlaskForm):
    state = RadioField(_l("Antwoord"), choices=list(IDEA_ANSWERS.items()),
                       validators=[DataRequired(_l("Kies een antwoord."))])
    reason = TextAreaField(_l("Waarom? (iedereen van de school leest dit)"),
                           validators=[DataRequired(_l("Geef altijd een reden bij je antwoord.")), *SHORT_TEXT],
                           render_kw={"rows": 4})
    building_block = SelectField(_l("Bouwsteen van het initiatief (bij 'op de backlog')"), validators=[Optional()])
    merged_into_id = SelectField(_l("Samengevoegd met (bij 'samengevoegd')"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Antwoord geven"))

    def fill(self, idea, others) -> None:
        self.building_block.choices = choices(BUILDING_BLOCKS, blank=_l("Kies een bouwsteen"))
        self.merged_into_id.choices = [(0, _l("Kies een idee"))] + [(o.id, o.title) for o in others]
        if not self.building_block.data:
            self.building_block.data = idea.building_block or ""
