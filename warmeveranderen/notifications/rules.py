"""The reminder-rule registry: reminders are derived from the data, never scheduled one by one.

Adding a reminder is a local change in the feature that owns the data, in `<feature>/jobs.py`,
which the feature's `init_app` hands to `plugins.register(jobs)`:

    from flask_babel import gettext as _
    from warmeveranderen.notifications.rules import Due, in_locale, offset, reminder_rule

    @reminder_rule("sprint_start_no_goal", "sprint", description="Sprint begint zonder doel")
    def sprint_start_no_goal(now):
        start_by = (now + timedelta(days=offset("sprint_start_days"))).date()
        rows = db.session.execute(...)   # a narrow, indexed date window: sprints starting by
                                         # start_by and not yet started, without a goal
        for sprint, user in rows:
            with in_locale(user):
                yield Due(recipient=user, object_key=f"sprint-{sprint.id}",
                          occurrence=f"start-{sprint.starts_on}",
                          title=_("Sprint %(n)s start over een week", n=sprint.number),
                          url=url_for("sprints.detail", sprint_id=sprint.id), school=sprint.school)

A rule is `fn(now) -> Iterable[Due]`: `now` is the sweep's time as naive UTC. It returns what is due
*now and still relevant*: the sweep sends each Due at most once per (rule, object_key, recipient,
occurrence), so a rule may keep returning the same Due while it stays relevant; the send log
filters it out. Rules must:

- query a narrow date window with indexed columns (cost grows with what is due, not with history);
- look back at most `lookback()` days (default 14), so reminders that fell due while the scheduler
  was down are sent once when it comes back, but stale ones (the sprint already started, the
  deadline passed) are not;
- put the date the reminder is about into `occurrence` so that moving a date yields a new reminder;
- leave out what the send log already holds before loading or rendering anything: best in the
  query itself with `unsent(rule, object_key, recipient_id, occurrence)` from
  notifications/unsent.py (recipients joined in SQL; see sprints/jobs.py), so a routine sweep's
  cost follows what is new rather than what the window holds; else with `not_yet_sent(...)`;
- render title and body in the recipient's language (`with in_locale(user):`);
- give `url` as a local path (url_for works: the sweep runs in a request context on BASE_URL).

Offsets ("7 days before a sprint starts") are programme settings: read them with `offset(key)`;
the coordinator edits them on the scheduler page. Add a new key to OFFSETS below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale as in_locale  # re-exported: part of the rule author's toolkit
from warmeveranderen.notifications.models import ReminderSetting
from warmeveranderen.notifications.people import sent_keys
from warmeveranderen.plugins import adds, contributes
from warmeveranderen.programme.models import School

T = TypeVar("T")

# key -> (default days, Dutch label). Programme settings; the coordinator may change the days.
OFFSETS: dict[str, tuple[int, object]] = {
    "sprint_start_days": (7, _l("Dagen vóór de start van een sprint (doel en startafstemming)")),
    "flywheel_idle_days": (14, _l("Dagen zonder vliegwielbijeenkomst tijdens een sprint")),
    "forum_session_days": (14, _l("Dagen vóór een forumbijeenkomst (afstemmen en agenda)")),
    "advice_deadline_days": (2, _l("Dagen vóór de adviesdeadline")),
    "advice_closed_owner_days": (7, _l("Dagen na een afgesloten adviesronde zonder antwoord (eigenaar)")),
    "advice_closed_adviser_days": (14, _l("Dagen na een afgesloten adviesronde zonder antwoord (adviseur)")),
    "sprint_closed_days": (3, _l("Dagen na het einde van een sprint zonder review en retrospectieve")),
    "sprint_closed_adviser_days": (
        7, _l("Dagen na het einde van een sprint zonder review en retrospectieve (adviseur)")
    ),
    "pre_forum_alignment_days": (3, _l("Schooldagen vóór een forumbijeenkomst voor de afstemming in de agenda")),
    "signature_wait_days": (7, _l("Dagen dat een intakeovereenkomst op een handtekening wacht")),
    "evaluation_days": (14, _l("Dagen vóór een evaluatiemoment")),
    "idea_answer_days": (14, _l("Dagen dat een idee uit de ideeënbus op een antwoord van het vliegwiel wacht")),
    "task_due_soon_days": (2, _l("Dagen vóór de einddatum van een taak uit een actieplan")),
    "task_overdue_days": (1, _l("Dagen na de einddatum van een taak die nog open staat")),
    "body_agenda_days": (5, _l("Dagen vóór een vergadering van een programma-overleg zonder verstuurde agenda")),
    "body_minutes_days": (3, _l("Dagen na een vergadering van een programma-overleg zonder verslag")),
    "survey_close_days": (3, _l("Dagen vóór de sluitdatum van een bevraging")),
    "lookback_days": (14, _l("Hoeveel dagen een gemiste herinnering nog wordt verstuurd")),
}


@dataclass(frozen=True)
class Due:
    """One reminder that is due now for one person."""

    recipient: User  # or a notifications.people.Recipient: anything with id, email, name and locale
    object_key: str  # what it is about, e.g. "sprint-12"
    occurrence: str  # which occurrence, e.g. "start-2026-09-01" (a new date means a new reminder)
    title: str
    url: str
    body: str = ""
    school: School | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    fn: Callable[..., Iterable[Due]]
    description: str = ""


RULES: dict[str, Rule] = {}


def reminder_rule(code: str, category: str, *, description: str = ""):
    """Declare `fn(now) -> Iterable[Due]` as the reminder rule `code` in a notification category."""
    return contributes("reminder_rule", code=code, category=category, description=description)


@adds("reminder_rule")
def add_rule(fn, code: str, category: str, description: str = "") -> None:
    """Add a rule to the sweep (adding the same function again changes nothing)."""
    if code in RULES and RULES[code].fn is not fn:
        raise ValueError(f"reminder rule {code!r} is registered twice")
    RULES[code] = Rule(code=code, category=category, fn=fn, description=description or (fn.__doc__ or "").strip())


def unregister(code: str) -> None:
    """Remove a rule (tests register rules of their own)."""
    RULES.pop(code, None)


def load_rules() -> dict[str, Rule]:
    """Every rule of the features plugged into this app."""
    return RULES


def offsets() -> dict[str, int]:
    """All reminder offsets in days: the coordinator's settings over the defaults (cached per context)."""
    cached = getattr(g, "_reminder_offsets", None) if has_app_context() else None
    if cached is not None:
        return cached
    values = {key: default for key, (default, _label) in OFFSETS.items()}
    for row in db.session.scalars(db.select(ReminderSetting)):
        if row.key in values:
            values[row.key] = row.days
    if has_app_context():
        g._reminder_offsets = values
    return values


def offset(key: str) -> int:
    """One reminder offset in days."""
    return offsets()[key]


def lookback() -> int:
    """How many days back a rule looks for reminders missed while the scheduler was down."""
    return offset("lookback_days")


def not_yet_sent(
    rule: str,
    items: Iterable[T],
    *,
    key: Callable[[T], str],
    occurrence: Callable[[T], str],
    recipients: Callable[[T], Iterable],
) -> Iterator[tuple[T, object, str, str]]:
    """(item, person, object_key, occurrence) for each reminder of `rule` the send log does not hold yet.

    The step every rule shares: ask the send log once for all the window's objects, then skip
    what was sent before rendering any text. The sweep's own check stays the guarantee of
    "exactly once"; this keeps a window full of old reminders cheap.
    """
    items = list(items)
    done = sent_keys(rule, {key(item) for item in items})
    for item in items:
        object_key, when = key(item), occurrence(item)
        for person in recipients(item):
            if (object_key, person.id, when) not in done:
                yield item, person, object_key, when
