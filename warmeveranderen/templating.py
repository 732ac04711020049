"""Jinja filters and globals: dates in nl-BE, vocabularies, permissions, the school switcher."""

from datetime import date, datetime

from flask import session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from warmeveranderen import domain
from warmeveranderen.permissions import PERMISSIONS


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date as Flemish readers write it (21 nov. 2026, or 'long': 21 november 2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM y" if fmt == "medium" else fmt)
    return format_date(value, fmt)


def datetime_filter(value: datetime | None, fmt: str = "d MMM y HH:mm") -> str:
    """A stored UTC datetime shown in Brussels time."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def euro_filter(value) -> str:
    """An amount in euro the Flemish way: € 1.200,00."""
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"€ {text}"


def label(vocabulary: dict, code: str | None) -> str:
    """The display label for a code of one of the domain vocabularies."""
    if code is None:
        return ""
    return str(vocabulary.get(code, code))


def switchable_schools():
    """Schools the current person belongs to, by name (for the switcher in the header).

    From the memberships the login already loaded with their schools: no query of its own."""
    if not current_user.is_authenticated:
        return []
    schools = {m.school_id: m.school for m in current_user.memberships}
    return sorted(schools.values(), key=lambda s: (s.name.casefold(), s.id))


def unread_notifications() -> int:
    """The count on the bell in the header (one query per page)."""
    if not current_user.is_authenticated:
        return 0
    from warmeveranderen.notifications.services import unread_count

    return unread_count(current_user)


def active_school_id() -> int | None:
    return session.get("school_id")


def init_app(app) -> None:
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(euro_filter, "euro")
    app.jinja_env.globals.update(PERMISSIONS)
    app.jinja_env.globals.update(
        domain=domain,
        get_locale=get_locale,
        label=label,
        switchable_schools=switchable_schools,
        active_school_id=active_school_id,
        unread_notifications=unread_notifications,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
