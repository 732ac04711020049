"""Forms of the platform: questions and answers, library items, self-scans and partners."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from warmeveranderen.domain import (
    BUILDING_BLOCKS,
    CORE_MISSIONS,
    HEALTH_LEVELS,
    HEALTH_STRATEGIES,
    TITLE_MAX,
    choices,
)
from warmeveranderen.forms_common import LONG_TEXT, SHORT_TEXT, AtLeastOne, MultiCheckboxField, RichTextAreaField, SingleLine
from warmeveranderen.networks.vocabulary import LIBRARY_KINDS

PROGRAMME_SCOPE = "programme"


def scope_choices(networks) -> list[tuple[str, str]]:
    """Where to share: one of the person's learning networks, or the whole programme."""
    return [(str(n.id), n.name) for n in networks] + [(PROGRAMME_SCOPE, str(_l("Het hele programma (alle scholen)")))]


def health_cell_choices() -> list[tuple[str, str]]:
    return [(f"{lc}:{sc}", f"{ll} × {sl}") for lc, ll in HEALTH_LEVELS.items() for sc, sl in HEALTH_STRATEGIES.items()]


class QuestionForm(FlaskForm):
    title = StringField(_l("Je vraag in één zin"),
                        validators=[DataRequired(_l("Vat je vraag samen in één zin.")), Length(max=TITLE_MAX), SingleLine()])
    body = RichTextAreaField(_l("Toelichting"), validators=[Optional(), *LONG_TEXT], render_kw={"rows": 6})
    building_block = SelectField(_l("Bouwsteen (mag leeg)"), validators=[Optional()],
                                 choices=choices(BUILDING_BLOCKS, blank=_l("Geen bepaalde bouwsteen")))
    scope = SelectField(_l("Aan wie stel je de vraag?"), validators=[DataRequired(_l("Kies aan wie je de vraag stelt."))])
    submit = SubmitField(_l("Vraag stellen"))


class AnswerForm(FlaskForm):
    body = RichTextAreaField(_l("Je antwoord"), validators=[DataRequired(_l("Schrijf eerst je antwoord.")), *LONG_TEXT],
                             render_kw={"rows": 5})
    submit = SubmitField(_l("Antwoorden"))


class HelpfulForm(FlaskForm):
    submit = SubmitField(_l("Dit hielp het meest"))


class LibraryItemForm(FlaskForm):
    kind = RadioField(_l("Wat deel je?"), choices=list(LIBRARY_KINDS.items()),
                      validators=[DataRequired(_l("Kies wat je deelt: een document, een instrument of een praktijk."))])
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef het een titel.")), Length(max=TITLE_MAX), SingleLine()])
    summary = RichTextAreaField(_l("Samenvatting: wat is het, hoe gebruik je het, wat leverde het op?"),
                                validators=[DataRequired(_l("Vat samen wat het is en hoe je het gebruikt.")), *LONG_TEXT],
                                render_kw={"rows": 6})
    building_blocks = MultiCheckboxField(_l("Bouwstenen"), choices=choices(BUILDING_BLOCKS),
                                         validators=[AtLeastOne(_l("Kies minstens één bouwsteen."))])
    core_missions = MultiCheckboxField(_l("Kernopdrachten"), choices=choices(CORE_MISSIONS), validators=[Optional()])
    health_level = SelectField(_l("Gezondheidsmatrix: niveau"), choices=choices(HEALTH_LEVELS, blank="—"),
                               validators=[Optional()])
    health_strategy = SelectField(_l("Gezondheidsmatrix: strategie"), choices=choices(HEALTH_STRATEGIES, blank="—"),
                                  validators=[Optional()])
    links = TextAreaField(_l("Links (één per regel, https://…)"), validators=[Optional(), *SHORT_TEXT], render_kw={"rows": 3})
    scope = SelectField(_l("Delen met"), validators=[DataRequired(_l("Kies met wie je het deelt."))])
    submit = SubmitField(_l("Delen"))


class AdoptForm(FlaskForm):
    submit = SubmitField(_l("Op onze backlog zetten"))


class ScanStartForm(FlaskForm):
    kind = RadioField(_l("Welke zelfscan?"), validators=[DataRequired(_l("Kies een zelfscan."))])
    submit = SubmitField(_l("Zelfscan starten"))


class GapForm(FlaskForm):
    question = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Op de backlog zetten"))


class PartnerForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Geef de partner een naam.")), Length(max=160), SingleLine()])
    offer = RichTextAreaField(_l("Wat bieden ze aan?"),
                              validators=[DataRequired(_l("Beschrijf wat de partner aanbiedt.")), *LONG_TEXT],
                              render_kw={"rows": 5})
    commitments = RichTextAreaField(_l("Engagementen in het programma"), validators=[Optional(), *SHORT_TEXT],
                                    render_kw={"rows": 3})
    contact = StringField(_l("Contact (naam, e-mail of telefoon)"), validators=[Optional(), Length(max=255), SingleLine()])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=255), SingleLine()])
    building_blocks = MultiCheckboxField(_l("Helpt bij de bouwstenen"), choices=choices(BUILDING_BLOCKS),
                                         validators=[Optional()])
    health_cells = MultiCheckboxField(_l("Helpt in deze cellen van de gezondheidsmatrix"), validators=[Optional()])
    everywhere = BooleanField(_l("Werkt in alle warme steden"))
    cities = MultiCheckboxField(_l("Warme steden"), coerce=int, validators=[Optional()])
    basket_items = MultiCheckboxField(_l("Items van de aanbodkorf die deze partner aanbiedt"), coerce=int,
                                      validators=[Optional()])
    active = BooleanField(_l("Zichtbaar in het expertisenetwerk"), default=True)
    submit = SubmitField(_l("Partner opslaan"))

    def fill(self, cities, basket_items) -> None:
        self.health_cells.choices = health_cell_choices()
        self.cities.choices = [(c.id, c.name) for c in cities]
        self.basket_items.choices = [(b.id, b.title) for b in basket_items]


SCAN_NOTE = (Optional(), *SHORT_TEXT)


class ScanAnswersForm(FlaskForm):
    """The scan's fields are built per question in the template; this form carries the CSRF token."""


class StarCaseForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef de stercasus een titel.")), Length(max=TITLE_MAX),
                                                 SingleLine()])
    result = RichTextAreaField(_l("Het resultaat: wat is er veranderd, voor wie?"), validators=[Optional(), *LONG_TEXT],
                               render_kw={"rows": 6})
    # Not named 'process': that is a method of every WTForms form.
    journey = RichTextAreaField(_l("Het proces: hoe zijn jullie eraan begonnen, wat liep goed, wat zouden jullie anders doen?"),
                                validators=[Optional(), *LONG_TEXT], render_kw={"rows": 8})
    videos = TextAreaField(_l("Filmpjes (één link per regel, https://…)"), validators=[Optional(), *SHORT_TEXT],
                           render_kw={"rows": 2})
    moments = MultiCheckboxField(_l("Tijdlijn: kies momenten uit jullie eigen traject"), validators=[Optional()])
    submit = SubmitField(_l("Opslaan"))


class CaseActionForm(FlaskForm):
    submit = SubmitField(_l("Stercasus: actie bevestigen"))
