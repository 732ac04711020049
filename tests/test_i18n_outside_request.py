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
