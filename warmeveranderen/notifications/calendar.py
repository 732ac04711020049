"""Calendar feeds (iCalendar, RFC 5545): a registry of event sources and the .ics documents.

A feature contributes events with a source in its own module (e.g. `<feature>/jobs.py`, handed to
`plugins.register` by the feature's `init_app`):

    from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source

    @calendar_source
    def sprint_events(user, school=None):
        # school None: the person's own feed (every school they belong to);
        # school given: that school's events the person may see (the per-school download).
        for sprint in ...:
            yield CalendarEvent(uid=f"sprint-{sprint.id}@warmeveranderen", summary=...,
                                start=sprint.starts_on, end=sprint.ends_on, url=..., school=sprint.school)

The UID must stay the same for the same thing across edits (`<kind>-<id>@warmeveranderen`), so that
calendar clients update an event instead of adding a copy. `start`/`end` are dates (all-day; end is
inclusive here and written exclusive in the feed) or naive-UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from warmeveranderen.accounts.models import User
from warmeveranderen.markdown import plain_text
from warmeveranderen.plugins import adds, contributes
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    url: str = ""
    description: str = ""
    school: School | None = None


SOURCES: list[Callable[..., Iterable[CalendarEvent]]] = []


def calendar_source(fn: Callable[..., Iterable[CalendarEvent]]):
    """Declare `fn(user, school=None) -> Iterable[CalendarEvent]` as a calendar source."""
    return contributes("calendar_source")(fn)


@adds("calendar_source")
def add_calendar_source(fn: Callable[..., Iterable[CalendarEvent]]) -> None:
    if fn not in SOURCES:
        SOURCES.append(fn)


def events_for(user: User, school: School | None = None) -> list[CalendarEvent]:
    """Every source's events for this person (optionally only one school's), by start."""
    events: list[CalendarEvent] = []
    for source in SOURCES:
        events.extend(source(user, school))
    return sorted(events, key=lambda e: (_as_datetime(e.start), e.uid))


def _as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def to_ics(events: Iterable[CalendarEvent], name: str, base_url: str) -> bytes:
    """An RFC 5545 calendar with one VEVENT per event."""
    cal = Calendar()
    cal.add("prodid", "-//Warm Veranderen//warmeveranderen//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    stamp = utcnow().replace(tzinfo=UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        if isinstance(item.start, datetime):
            event.add("dtstart", item.start.replace(tzinfo=UTC))
            end = item.end or item.start + timedelta(hours=1)
            event.add("dtend", end.replace(tzinfo=UTC))
        else:
            event.add("dtstart", item.start)
            # DTEND of an all-day event is exclusive.
            event.add("dtend", (item.end or item.start) + timedelta(days=1))
        if item.description:
            # Calendar apps show no Markdown: the text as people read it, without asterisks.
            event.add("description", plain_text(item.description))
        if item.url:
            event.add("url", item.url if item.url.startswith("http") else base_url.rstrip("/") + item.url)
        if item.school is not None:
            event.add("location", item.school.name)
        cal.add_component(event)
    return cal.to_ical()
