"""Forms of the vision: the draft (one field per part), comments, publishing, AMORE and endorsement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from warmeveranderen.domain import AMORE_CRITERIA, STAKEHOLDER_GROUPS, choices
from warmeveranderen.formats import format_day
from warmeveranderen.forms_common import AtLeastOne, MultiCheckboxField, SingleLine
from warmeveranderen.vision.content import PARTS, TEXT, VALUES

MAX_TEXT = 20000
# Empty rows offered under a list of values; "Meer rijen" adds this many again.
EXTRA_ROWS = 2


class ValueRowForm(Form):
    """One value: a short name and what it means. A row left empty is simply dropped."""

    name = StringField(_l("Naam"), validators=[Length(max=80, message=_l("Houd de naam kort (max. 80 tekens).")), SingleLine()])
    meaning = TextAreaField(_l("Betekenis"), validators=[Optional(), Length(max=2000)])
    remove = BooleanField(_l("Verwijderen"))

    def validate_name(self, field):
        if not self.remove.data and (self.meaning.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Geef deze waarde een korte naam."))


class VisionDraftForm(FlaskForm):
    revision = HiddenField()
    save = SubmitField(_l("Opslaan"))
    preview = SubmitField(_l("Voorbeeld"))

    def content(self) -> dict:
        """The draft's content as typed (rows marked for removal or left empty are dropped)."""
        result = {}
        for part in PARTS:
            field = self[part.key]
            if part.kind == VALUES:
                result[part.key] = [
                    {"name": (row.form.name.data or "").strip(), "meaning": (row.form.meaning.data or "").strip()}
                    for row in field
                    if not row.form.remove.data
                ]
            else:
                result[part.key] = field.data or ""
        return result

    def pad_rows(self, extra: int = EXTRA_ROWS, only: str | None = None) -> None:
        """Offer empty rows under each list of values so people can add values without JavaScript."""
        for part in PARTS:
            if part.kind != VALUES or (only is not None and part.key != only):
                continue
            field = self[part.key]
            filled = sum(1 for row in field if (row.form.name.data or row.form.meaning.data))
            target = max(len(field), filled + extra) if only is None else len(field) + extra
            while len(field) < target:
                field.append_entry()


for _part in PARTS:
    if _part.kind == TEXT:
        setattr(
            VisionDraftForm,
            _part.key,
            TextAreaField(
                _part.title,
                validators=[Optional(), Length(max=MAX_TEXT, message=_l("Deze tekst is te lang (max. 20.000 tekens)."))],
                render_kw={"rows": 6},
            ),
        )
    else:
        setattr(VisionDraftForm, _part.key, FieldList(FormField(ValueRowForm), label=_part.title, min_entries=0))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Je opmerking"),
        validators=[DataRequired(_l("Schrijf eerst je opmerking.")), Length(max=4000)],
    )
    submit = SubmitField(_l("Opmerking plaatsen"))


class PublishForm(FlaskForm):
    revision = HiddenField()
    change_note = TextAreaField(
        _l("Wat is er nieuw in deze versie?"),
        validators=[DataRequired(_l("Beschrijf kort wat er in deze versie nieuw of anders is.")), Length(max=2000)],
    )
    submit = SubmitField(_l("Publiceer als nieuwe versie"))


class ShareForm(FlaskForm):
    shared = BooleanField(_l("Deel onze huidige visie met de scholen van ons lerend netwerk"))
    submit = SubmitField(_l("Bewaar keuze"))


def _score_field(label):
    return RadioField(
        label,
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired(_l("Kies een score van 1 tot 5."))],
    )


class AmoreForm(FlaskForm):
    remark = TextAreaField(_l("Opmerking (niet verplicht)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Bewaar mijn AMORE-score"))

    def scores(self) -> dict[str, int]:
        return {key: int(self[key].data) for key in AMORE_CRITERIA}


for _key, _label in AMORE_CRITERIA.items():
    setattr(AmoreForm, _key, _score_field(_label))


class EndorsementForm(FlaskForm):
    groups = MultiCheckboxField(
        _l("Welke stakeholdergroepen klopten deze versie af?"),
        choices=choices(STAKEHOLDER_GROUPS),
        validators=[AtLeastOne(_l("Duid minstens één stakeholdergroep aan."))],
    )
    endorsed_on = DateField(_l("Datum van de endorsement"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    changes = TextAreaField(
        _l("Wat hebben jullie aangepast na de feedback van de stakeholders?"),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )
    advice_round_id = SelectField(_l("Adviesronde van het forum over deze versie"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Leg de endorsement vast"))

    def fill_rounds(self, rounds) -> None:
        self.advice_round_id.choices = [(0, _l("Geen adviesronde"))] + [
            (r.id, _l("Adviesronde van %(date)s: %(question)s", date=format_day(r.opened_at), question=r.question[:80]))
            for r in rounds
        ]
