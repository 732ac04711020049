"""The shared form fields: amounts as Flemish users type them."""

from decimal import Decimal

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from warmeveranderen.forms_common import EuroField, format_decimal, parse_decimal


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.200,50", "1200.50"), ("1200.50", "1200.50"), ("1200", "1200"), ("1200,50", "1200.50"),
        ("1.200", "1200"), ("12.500.000", "12500000"), ("1,5", "1.5"), ("1,200", "1.200"),
        ("1,200.50", "1200.50"), ("€ 1.200,50", "1200.50"), ("1 200", "1200"), ("1200 EUR", "1200"), ("-3", "-3"),
    ],
)
def test_parse_decimal(typed, value):
    assert parse_decimal(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "1,2,3", "1.20,0.5", "12..5", "1e5"])
def test_parse_decimal_refuses(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_format_decimal_is_flemish():
    assert format_decimal(Decimal("1200.5")) == "1.200,50"
    assert format_decimal(None) == ""


class AmountForm(FlaskForm):
    class Meta:
        csrf = False

    amount = EuroField("Bedrag")


@pytest.mark.parametrize(
    ("typed", "error"),
    [("-1", "Een bedrag kan niet negatief zijn."), ("1,234", "Geef een bedrag in euro"), ("x", "Geef een bedrag in euro")],
)
def test_euro_field_keeps_the_typed_text_with_a_dutch_message(app, typed, error):
    with app.test_request_context(method="POST"):
        form = AmountForm(formdata=MultiDict({"amount": typed}))
        assert not form.validate()
        assert error in str(form.amount.errors[0])
        assert form.amount._value() == typed


def test_euro_field_accepts_and_shows_amounts(app):
    with app.test_request_context(method="POST"):
        form = AmountForm(formdata=MultiDict({"amount": "1.200,50"}))
        assert form.validate() and form.amount.data == Decimal("1200.50")
        shown = AmountForm(formdata=None, data={"amount": Decimal("1200.50")})
        assert shown.amount._value() == "1.200,50"
        assert AmountForm(formdata=None, data={"amount": Decimal("1200")}).amount._value() == "1.200"
