"""Jinja filters and globals: dates in the named formats, vocabularies, permissions, the school switcher."""

from datetime import date, datetime

from flask import g, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from warmeveranderen import domain, formats
from warmeveranderen.permissions import PERMISSIONS

DAY_STYLES = {"medium": formats.format_day, "long": formats.format_day_long}
MOMENT_STYLES = {"medium": formats.format_moment, "long": formats.format_moment_long, "short": formats.format_moment_short}


def date_filter(value: date | datetime | None, style: str = "medium") -> str:
    """A day in one of the named formats (`warmeveranderen.formats`): 21 nov 2026, or 'long': 21 november 2026."""
    return DAY_STYLES[style](value)


def datetime_filter(value: datetime | None, style: str = "medium") -> str:
    """A stored UTC moment in Brussels time, in one of the named formats: 21 nov 2026 14:30."""
    return MOMENT_STYLES[style](value)


def euro_filter(value) -> str:
    """An amount in euro the Flemish way: € 1.200,00."""
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"€ {text}"


def label(vocabulary: dict, code: str | None) -> str:
    """The display label for a code of one of the domain vocabularies.

    Translated once per request, vocabulary, code and language (a list of 50 people names the same
    few roles a hundred times; a mail rendered in its recipient's language inside a request is a
    language of its own). The cache holds the vocabulary itself, so its id cannot be another's."""
    if code is None:
        return ""
    if not has_request_context():
        return str(vocabulary.get(code, code))
    kept = g.setdefault("wv_labels", {})
    key = (id(vocabulary), code, str(get_locale()))
    found = kept.get(key)
    if found is None or found[0] is not vocabulary:
        found = kept[key] = (vocabulary, str(vocabulary.get(code, code)))
    return found[1]


def switchable_schools():
    """Schools the current person belongs to, by name (for the switcher in the header).

    From the memberships the login already loaded with their schools: no query of its own."""
    if not current_user.is_authenticated:
        return []
    schools = {m.school_id: m.school for m in current_user.memberships}
    return sorted(schools.values(), key=lambda s: (s.name.casefold(), s.id))


def active_school_id() -> int | None:
    return session.get("school_id")


_options_rendered: dict[tuple[int, object], tuple[object, Markup]] = {}


def option_tags(choices, selected=None) -> Markup:
    """The <option>s of a filter's (id, name) choices, the chosen one selected: the programme pages
    list up to 500 warm cities and 500 advisers, which a template loop renders six times slower.

    The choices come from the programme's figures cache, the same list until it is refreshed: its
    rendering is kept with it (for the last few lists and choices)."""
    key = (id(choices), selected)
    kept = _options_rendered.get(key)
    if kept is not None and kept[0] is choices:
        return kept[1]
    rendered = Markup("".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(name)}</option>'
        for value, name in choices
    ))
    if len(choices) >= 50:
        if len(_options_rendered) >= 64:
            _options_rendered.clear()
        _options_rendered[key] = (choices, rendered)
    return rendered


def init_app(app) -> None:
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(euro_filter, "euro")
    app.add_template_filter(formats.format_number, "number")
    app.add_template_filter(formats.format_average, "average")
    app.jinja_env.globals.update(PERMISSIONS)
    app.jinja_env.globals.update(
        domain=domain,
        get_locale=get_locale,
        label=label,
        option_tags=option_tags,
        switchable_schools=switchable_schools,
        active_school_id=active_school_id,
        # unread_notifications (the bell in the header) comes from the notifications feature.
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
