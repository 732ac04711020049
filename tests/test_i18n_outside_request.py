"""Services run without a request too (CLI, scheduler): the language then falls back to Dutch."""

from tests.factories import MembershipFactory
from warmeveranderen.i18n import user_language
from warmeveranderen.programme import people


def test_language_outside_a_request_is_dutch(app):
    assert user_language() == "nl"


def test_invite_works_without_a_request(app, outbox):
    director = MembershipFactory(role="director")
    invitation = people.invite(email="nieuw@example.org", name="Nieuw", role="forum", invited_by=director.user,
                               school=director.school, stakeholder_group="parent")
    assert invitation.id is not None
    [message] = outbox()
    assert message["Subject"] == "Uitnodiging voor Warm Veranderen"


def test_templates_follow_force_locale_with_the_kept_catalogue(app):
    """The templates' faster gettext keeps the catalogue per locale: switching and back still works."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"):
        assert render_template_string('{{ _("Meldingen") }}') == "Meldingen"
        with force_locale("en_GB"):
            assert render_template_string('{{ _("Meldingen") }}') == "Notifications"
            assert render_template_string('{{ ngettext("%(num)s advies", "%(num)s adviezen", 2) }}') == "2 pieces of advice"
        assert render_template_string('{{ _("Meldingen") }}') == "Meldingen"


def test_a_vocabulary_label_is_kept_per_request_and_language(app):
    """`label` translates once per request, code and language: a mail in its recipient's language
    inside a Dutch request still gets its own words, and a vocabulary made on the spot is never
    confused with another that had the same id."""
    from flask_babel import force_locale

    from warmeveranderen import domain
    from warmeveranderen.templating import label

    with app.test_request_context("/"):
        with force_locale("nl"):
            assert label(domain.SCHOOL_ROLES, "director") == "Directie"
        with force_locale("en"):
            assert label(domain.SCHOOL_ROLES, "director") == "Director"
        with force_locale("nl"):
            assert label(domain.SCHOOL_ROLES, "director") == "Directie"
        for word in ("een", "twee", "drie"):
            assert label({"x": word}, "x") == word
        assert label(domain.SCHOOL_ROLES, None) == "" and label(domain.SCHOOL_ROLES, "onbekend") == "onbekend"


def test_numbers_are_kept_per_value_pattern_and_language(app):
    """formats.decimal keeps Babel's output per value, pattern and language: a Dutch and an English
    reader of the same figures each get their own, and the percent filter follows."""
    from flask import render_template_string
    from flask_babel import force_locale

    from warmeveranderen import formats

    with app.test_request_context("/"):
        with force_locale("nl"):
            assert formats.format_average(3.46) == "3,5" and formats.format_number(1234.5) == "1.234,5"
            assert render_template_string("{{ 45.8|percent }}") == "45,8\u00a0%"
        with force_locale("en"):
            assert formats.format_average(3.46) == "3.5" and formats.format_number(1234.5) == "1,234.5"
            assert render_template_string("{{ 45.8|percent }}") == "45.8\u00a0%"
        with force_locale("nl"):
            assert formats.format_number(10) == "10" and formats.format_number(10, places=0) == "10"
            assert formats.format_average(5) == "5,0"
