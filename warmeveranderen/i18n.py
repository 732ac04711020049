"""Language and time zone: Dutch (nl-BE) by default, English when a person chooses it."""

from flask import has_request_context, request, session
from flask_login import current_user

from warmeveranderen.extensions import babel

# Babel locales used for formatting; translations for "nl" are the msgids themselves.
BABEL_LOCALES = {"nl": "nl_BE", "en": "en_GB"}


def user_language() -> str:
    """The interface language code (nl or en) for this request; Dutch outside a request (CLI, scheduler)."""
    if not has_request_context():
        return "nl"
    if current_user and current_user.is_authenticated and current_user.locale in BABEL_LOCALES:
        return current_user.locale
    if session.get("lang") in BABEL_LOCALES:
        return session["lang"]
    if request.accept_languages.best_match(["nl", "en"]) == "en":
        return "en"
    return "nl"


def select_locale() -> str:
    return BABEL_LOCALES[user_language()]


def select_timezone() -> str:
    return "Europe/Brussels"


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )
