"""Form fields that several features share: amounts as Flemish users type them, checkbox lists."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from warmeveranderen.domain import LONG_TEXT_MAX, SHORT_TEXT_MAX

# "1.200,50" / "12.500" (points group thousands, a comma marks the decimals: how Flemish users type)
_DUTCH = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
# "1,200.50" (commas group thousands, a point marks the decimals)
_ENGLISH = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_COMMA = re.compile(r"^\d+,\d+$")
_PLAIN_POINT = re.compile(r"^\d+(\.\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """Read a number as people type it in Flanders: "1.200,50", "1200,50", "1200.50", "1.200", "€ 1200".

    A single point followed by exactly three digits groups thousands ("1.200" is twelve hundred);
    any other single point or comma marks the decimals. Raises ValueError on anything else.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f€]|EUR|eur", "", text or "")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    if _DUTCH.match(cleaned):
        normal = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN_COMMA.match(cleaned):
        # A lone comma is a decimal comma, even "1,200" (Flemish users write decimals that way).
        normal = cleaned.replace(",", ".")
    elif _ENGLISH.match(cleaned):
        normal = cleaned.replace(",", "")
    elif _PLAIN_POINT.match(cleaned):
        normal = cleaned
    else:
        raise ValueError(text)
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    return -value if negative else value


def format_decimal(value: Decimal | None, places: int = 2) -> str:
    """A number the Flemish way, for a form field: 1.200,50 (no currency sign)."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


class DutchDecimalField(Field):
    """A decimal number typed with a comma or a point; what the person typed is kept on errors."""

    widget = TextInput()
    default_message = _l("Geef een getal, bv. 1,5.")
    negative_message = _l("Geef een getal dat niet negatief is.")

    def __init__(self, label=None, validators=None, places: int = 2, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.allow_negative = allow_negative

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        places = self.places if self.data != self.data.to_integral_value() else 0
        return format_decimal(self.data, places)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            value = parse_decimal(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.default_message) from None
        if value.as_tuple().exponent < -self.places:
            self.data = None
            raise ValueError(self.default_message)
        if value < 0 and not self.allow_negative:
            self.data = None
            raise ValueError(self.negative_message)
        self.data = value


class EuroField(DutchDecimalField):
    """An amount in euro, never negative, at most two decimals: "1.200,50", "1200.50" and "1200" all work."""

    default_message = _l("Geef een bedrag in euro, bv. 1.200,50 of 1200.50 (hoogstens twee cijfers na de komma).")
    negative_message = _l("Een bedrag kan niet negatief zijn.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("places", None)
        kwargs.pop("allow_negative", None)
        super().__init__(label, validators, places=2, allow_negative=False, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (the forms macro renders it as a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """At least one box of a MultiCheckboxField ticked.

    Unlike DataRequired it sets no `required` flag: WTForms hands a field's flags to every option,
    so the browser would demand every single box. The macro marks the legend instead.
    """

    field_flags = {"at_least_one": True}

    def __init__(self, message=None):
        self.message = message or _l("Duid minstens één keuze aan.")

    def __call__(self, form, field):
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


class DutchDateField(DateField):
    """A date (the browser's date picker sends ISO; typed by hand 21/11/2026 also works), Dutch message."""

    def __init__(self, label=None, validators=None, format=("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"), **kwargs):
        super().__init__(label, validators, format=list(format), **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Geef een geldige datum, bv. 01/09/2026.")) from None


class DutchIntegerField(IntegerField):
    """A whole number, with a Dutch message when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Geef een geheel getal.")) from None


# Named maxima for free text (issue 15): every StringField/TextAreaField has one of these or its own.
# The services check the same numbers (warmeveranderen.domain.TEXT_MAXIMA), so a post that bypasses
# the form is refused too. A title or name is one line; a short text a paragraph or two; a long text
# a whole document (Markdown renders in bounded time for this size).

def max_length(limit: int) -> Length:
    """A maximum length with a Dutch message that says the limit and how long the text is now."""
    return _Max(limit)


class _Max(Length):
    def __init__(self, limit: int) -> None:
        super().__init__(max=limit)

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(
                _l("Deze tekst is te lang: %(n)s tekens, hoogstens %(max)s.", n=f"{length:,}".replace(",", "."),
                   max=f"{self.max:,}".replace(",", "."))
            )


# C0 control characters (including CR, LF, TAB and NUL) and DEL: never in a one-line field.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUL = re.compile(r"\x00")


class SingleLine:
    """Refuses control characters (line breaks, tabs, NUL, ...) in a one-line field: names, titles, subjects.

    A line break in a name ends up in an email header and stops the mail; it is refused on the form.
    """

    def __init__(self, message=None) -> None:
        self.message = message

    def __call__(self, form, field):
        if isinstance(field.data, str) and _CONTROL.search(field.data):
            raise ValidationError(self.message or _l("Gebruik één regel zonder tabs of regeleinden."))


class NoNulBytes:
    """Refuses NUL bytes in a multi-line text (PostgreSQL cannot store them)."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and _NUL.search(field.data):
            raise ValidationError(_l("Deze tekst bevat een ongeldig teken (NUL)."))


# The usual validators of a free text, to splat into a field's list: [Optional(), *SHORT_TEXT].
SHORT_TEXT = (max_length(SHORT_TEXT_MAX), NoNulBytes())
LONG_TEXT = (max_length(LONG_TEXT_MAX), NoNulBytes())
class RichTextAreaField(TextAreaField):
    """A text area whose text is shown with formatting (Markdown): the form macro adds the short help
    on what people can do (bold, lists, links), so no label needs to say "Markdown"."""


def field_error(form, exc) -> None:
    """Put a service's refusal next to its field (`exc.field`), or at the top of the form."""
    field = getattr(form, exc.field, None) if getattr(exc, "field", None) else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
