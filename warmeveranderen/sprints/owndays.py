"""A school's own days off (study days, a free day) and the programme's network days, typed or imported.

Adding or removing one changes the school calendar, so the school's future sprints are replanned
(`cadence.replan_future`): past and running sprints keep their dates, the cadence history says why.
Functions change state and flush; the request commits once.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from icalendar import Calendar

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import OwnDay, SprintCalendar
from warmeveranderen.sprints.replan import replan_future
from warmeveranderen.sprints.services import SprintError

NAME_MAX = 120
# An imported event longer than this is not a day off but, say, a whole term: it is skipped.
IMPORT_MAX_DAYS = 21


def _schools_affected(school: School | None) -> list[School]:
    if school is not None:
        return [school]
    return [c.school for c in db.session.scalars(db.select(SprintCalendar).order_by(SprintCalendar.school_id))]


def _replan(school: School | None, reason: str, user: User) -> int:
    """Replan the future sprints of the school (or of every school for a network day); how many moved."""
    return sum(len(replan_future(s, reason, user)) for s in _schools_affected(school))


def add_own_day(school: School | None, day: date | None, name: str, user: User) -> OwnDay:
    """Add a day off for `school`, or for every school when `school` is None (the coordinator's network day)."""
    name = (name or "").strip()
    errors = []
    if day is None:
        errors.append(_("Geef een geldige datum op (dd-mm-jjjj)."))
    elif day.weekday() >= 5:
        errors.append(_("%(d)s valt in het weekend; een vrije dag is een weekdag.", d=format_day(day)))
    if not name:
        errors.append(_("Geef de dag een naam, bijvoorbeeld “Pedagogische studiedag”."))
    elif len(name) > NAME_MAX:
        errors.append(_("De naam is te lang (hoogstens %(n)s tekens).", n=NAME_MAX))
    if errors:
        raise SprintError(" ".join(errors))
    own = OwnDay(school_id=school.id if school else None, day=day, name=name, created_by_id=user.id)
    db.session.add(own)
    db.session.flush()
    _replan(school, _("Vrije dag toegevoegd: %(name)s op %(d)s.", name=name, d=format_day(day)), user)
    return own


def remove_own_day(own: OwnDay, user: User) -> None:
    school = db.session.get(School, own.school_id) if own.school_id else None
    reason = _("Vrije dag geschrapt: %(name)s op %(d)s.", name=own.name, d=format_day(own.day))
    db.session.delete(own)
    db.session.flush()
    _replan(school, reason, user)


def _event_days(component) -> list[date]:
    start = component.decoded("dtstart")
    if not isinstance(start, date) or hasattr(start, "hour"):
        return []  # a timed event (a meeting) is not a day off
    end = component.decoded("dtend") if component.get("dtend") else start + timedelta(days=1)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    return [d for d in days if d.weekday() < 5] if len(days) <= IMPORT_MAX_DAYS else []


def import_ics(school: School, data: bytes, user: User) -> int:
    """Import the all-day events of an .ics file (Smartschool, Outlook) as own days; how many were added.

    Timed events and events longer than three weeks are skipped; a day already known by the same name is not
    added twice.
    """
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise SprintError(_("Dit bestand is geen leesbare iCalendar-agenda (.ics).")) from exc
    known = {(d.day, d.name) for d in db.session.scalars(db.select(OwnDay).where(OwnDay.school_id == school.id))}
    added = []
    for component in calendar.walk("VEVENT"):
        name = str(component.get("summary", "")).strip()[:NAME_MAX] or _("Vrije dag")
        for day in _event_days(component):
            if (day, name) not in known:
                known.add((day, name))
                added.append(OwnDay(school_id=school.id, day=day, name=name, created_by_id=user.id))
    if not added:
        raise SprintError(_("Geen nieuwe vrije dagen gevonden: het bestand bevat geen hele-dag-afspraken op "
                            "weekdagen die nog niet bekend zijn."))
    db.session.add_all(added)
    db.session.flush()
    _replan(school, _("%(n)s vrije dagen ingelezen uit een agenda.", n=len(added)), user)
    return len(added)
