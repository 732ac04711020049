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
    # Checked by the service against the current vision's parts (a Dutch message, the typed text kept).
    vision_part = SelectField(_l("Welk deel van onze visie helpt het waarmaken? (mag je leeg laten)"),
                              validators=[Optional()], validate_choice=False)
    submit = SubmitField(_l("Idee insturen"))

    def __init__(self, *args, anchors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.building_block.choices = choices(BUILDING_BLOCKS, blank=_l("Weet ik niet"))
        self.vision_part.choices = [("", _l("Weet ik niet"))] + list(anchors)


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
    # "idea:<id>" or "initiative:<id>" (a bare number is an idea); checked by the service.
    merged_into_id = SelectField(_l("Samengevoegd met (bij 'samengevoegd')"), validators=[Optional()],
                                 validate_choice=False)
    submit = SubmitField(_l("Antwoord geven"))

    def fill(self, idea, others, initiatives=()) -> None:
        self.building_block.choices = choices(BUILDING_BLOCKS, blank=_l("Kies een bouwsteen"))
        self.merged_into_id.choices = [("", _l("Kies een idee of een initiatief"))] + [
            (f"initiative:{i.id}", _l("Initiatief: %(title)s", title=i.title)) for i in initiatives
        ] + [(f"idea:{o.id}", _l("Idee: %(title)s", title=o.title)) for o in others]
        if not self.building_block.data:
            self.building_block.data = idea.building_block or ""

    def merge_target(self) -> tuple[int | None, int | None]:
        """(idea id, initiative id) chosen for "samengevoegd"; (None, None) when nothing usable was chosen."""
        kind, _sep, number = (self.merged_into_id.data or "").rpartition(":")
        if not number.isdigit() or len(number) > 9:
            return None, None
        return (None, int(number)) if kind == "initiative" else (int(number), None) if kind in ("", "idea") else (None, None)


class FollowForm(FlaskForm):
    submit = SubmitField(_l("Volgen"))
