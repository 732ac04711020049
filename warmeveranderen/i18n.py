"""Language and time zone: Dutch (nl-BE) by default, English when a person chooses it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import has_request_context, session
from flask.globals import _cv_app
from flask_babel import force_locale, get_locale, get_translations
from flask_login import current_user

from warmeveranderen.extensions import babel

if TYPE_CHECKING:
    from warmeveranderen.accounts.models import User

# Babel locales used for formatting; translations for "nl" are the msgids themselves.
BABEL_LOCALES = {"nl": "nl_BE", "en": "en_GB"}


def user_language() -> str:
    """The interface language code (nl or en) for this request.

    The product is Dutch first: the browser's Accept-Language is deliberately ignored, so a visitor
    sees Dutch until they choose English (the switch in the footer, or their profile).
    """
    if has_request_context():
        if current_user and current_user.is_authenticated and current_user.locale in BABEL_LOCALES:
            return current_user.locale
        if session.get("lang") in BABEL_LOCALES:
            return session["lang"]
    return "nl"


def select_locale() -> str:
    return BABEL_LOCALES[user_language()]


def select_timezone() -> str:
    return "Europe/Brussels"


@contextmanager
def in_locale(who: User | str | None) -> Iterator[None]:
    """Render texts (gettext, url_for, dates) in this person's language (a User, or "nl"/"en").

    The one locale switch (emails, reminders, notifications for someone else than the reader).
    Switching makes Flask-Babel reload its catalogues, so it only switches when the language
    differs from the current one (a sweep renders thousands of texts).
    """
    code = who if isinstance(who, str) or who is None else who.locale
    wanted = BABEL_LOCALES.get(code or "nl", "nl_BE")
    current = get_locale()
    if current is not None and str(current) == wanted:
        yield
        return
    with force_locale(wanted):
        yield


def current_translations():
    """Flask-Babel's get_translations(), with the answer kept for the current locale.

    A page calls gettext a hundred times or more; each call through Flask-Babel walks several
    context proxies to find the same catalogue (about 10 % of a simple page's time). The catalogue
    is kept on Flask-Babel's own per-context state next to the locale it belongs to, so
    in_locale() (emails in the recipient's language) still switches it.
    """
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return get_translations()
    state = getattr(app_ctx.g, "_flask_babel", None)
    if state is not None:
        locale, kept = getattr(state, "babel_locale", None), getattr(state, "wv_translations", None)
        if locale is not None and kept is not None and kept[0] is locale:
            return kept[1]
    translations = get_translations()  # sets Flask-Babel's state and locale for this context
    state = getattr(app_ctx.g, "_flask_babel", None)
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.wv_translations = (locale, translations)
    return translations


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )
    # The templates' _() and ngettext() through the faster lookup (same catalogues, same results).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
