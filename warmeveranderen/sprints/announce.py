"""Telling the school (issue 18): when a sprint starts, its goal and planned initiatives go to the school's
forum and staff (flywheel, directors); when it closes, a short sprint review (what was achieved, what moved,
what the forum decided); and whoever advised on, supported or follows an initiative hears when it is
achieved or dropped.

These are reminder rules (notifications/rules.py), derived from the data: the send log sends each once per
person — a sprint started or closed, an initiative achieved or dropped — whatever happens to it later
(a reopened and closed-again sprint is not announced twice). In the app and by email, following each
person's preferences and daily digest. What other features add comes through parts: the forum's
decisions of the sprint (`@sprint_review_fact`) and the people of an initiative (`@initiative_audience`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.markdown import excerpt
from warmeveranderen.notifications.people import RECIPIENT_COLUMNS, Recipient, members_by_school
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, reminder_rule
from warmeveranderen.parts_between import audiences_of, sprint_review_facts
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.sprints.models import Initiative, InitiativeEvent, Sprint, SprintResult

# The forum and the school's staff hear about sprints.
AUDIENCE = (FORUM, FLYWHEEL, DIRECTOR)
# At most this many initiative titles in one message; the sprint's page has them all.
LISTED = 8


def _titles(titles: list[str]) -> str:
    shown = ", ".join(titles[:LISTED])
    return shown + (" " + _("en %(n)s meer", n=len(titles) - LISTED) if len(titles) > LISTED else "")


def _sprints(column, now, state: str | None = None) -> list[Sprint]:
    query = db.select(Sprint).where(column > now - timedelta(days=lookback()), column <= now)
    if state:
        query = query.where(Sprint.state == state)
    return db.session.scalars(query.order_by(Sprint.id)).all()


def _announce(rule: str, sprints: list[Sprint], occurrence: str, by, render):
    """One Due per sprint and person of its school's audience (not the one who acted), each once."""
    people = members_by_school({s.school_id for s in sprints}, *AUDIENCE)
    schools = {s.id: s for s in db.session.scalars(db.select(School).where(School.id.in_({s.school_id for s in sprints})))}
    unsent = not_yet_sent(rule, sprints, key=lambda s: f"sprint-{s.id}", occurrence=lambda s: occurrence,
                          recipients=lambda s: [p for p in people.get(s.school_id, []) if p.id != by(s)])
    for sprint, user, key, when in unsent:
        with in_locale(user):
            title, body = render(sprint)
            yield Due(recipient=user, object_key=key, occurrence=when, title=title, body=body,
                      url=url_for("sprints.sprint", sprint_id=sprint.id), school=schools[sprint.school_id])


@reminder_rule("sprint_started", "sprint", description="Een sprint is gestart: het doel en de geplande initiatieven")
def sprint_started(now):
    """The school's forum, flywheel and directors, once, when the flywheel starts a sprint."""

    def render(sprint):
        planned = [i.title for i in sprint.initiatives]
        lines = [_("Van %(start)s tot %(end)s.", start=format_day(sprint.start_date), end=format_day(sprint.end_date)),
                 _("Sprintdoel: %(goal)s", goal=excerpt(sprint.goal, 600)),
                 _("Gepland: %(list)s", list=_titles(planned)) if planned else _("Nog geen initiatieven gepland.")]
        return _("Sprint %(n)s is gestart", n=sprint.number), "\n\n".join(lines)

    return _announce("sprint_started", _sprints(Sprint.started_at, now), "started", lambda s: s.started_by_id, render)


def _results(sprints: list[Sprint]) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(
        db.select(SprintResult.sprint_id, SprintResult.result, Initiative.title)
        .join(Initiative, Initiative.id == SprintResult.initiative_id)
        .where(SprintResult.sprint_id.in_([s.id for s in sprints]))
        .order_by(Initiative.position, Initiative.id)
    )
    for sprint_id, result, title in rows:
        found[sprint_id][result].append(title)
    return found


@reminder_rule("sprint_review", "sprint", description="Een sprint is afgesloten: de sprintreview voor de school")
def sprint_review(now):
    """The school's forum, flywheel and directors, once, when a sprint is closed: what was achieved, what
    moved and what the forum decided."""
    sprints = _sprints(Sprint.closed_at, now, "closed")
    results = _results(sprints) if sprints else {}
    rendered: dict[tuple[int, str], tuple[str, str]] = {}

    def render(sprint):
        key = (sprint.id, str(get_locale()))
        if key not in rendered:  # the same review for everyone who reads this language
            done = results.get(sprint.id, {})
            lines = [_("Bereikt: %(list)s", list=_titles(done["achieved"])) if done.get("achieved")
                     else _("Bereikt: nog niets dat helemaal af is.")]
            moved = done.get("partly", []) + done.get("carried_over", [])
            if moved:
                lines.append(_("Mee naar de volgende sprint: %(list)s", list=_titles(moved)))
            if done.get("not_achieved"):
                lines.append(_("Terug naar de backlog: %(list)s", list=_titles(done["not_achieved"])))
            lines.append(_("Wat het forum besliste:") + "\n" + "\n".join(f"- {line}" for line in sprint_review_facts(sprint)))
            if sprint.review_summary.strip():
                lines.append(excerpt(sprint.review_summary, 600))
            rendered[key] = (_("Sprintreview van sprint %(n)s", n=sprint.number), "\n\n".join(lines))
        return rendered[key]

    return _announce("sprint_review", sprints, "closed", lambda s: s.closed_by_id, render)


FINISHED = ("done", "dropped")


@reminder_rule("initiative_finished", "forum", description="Een initiatief is bereikt of geschrapt")
def initiative_finished(now):
    """Whoever advised on, supported or follows an initiative (the features' `@initiative_audience`), once per
    outcome, when it is achieved (done) or dropped; not the person who moved it."""
    events = db.session.scalars(
        db.select(InitiativeEvent)
        .where(InitiativeEvent.to_status.in_(FINISHED), InitiativeEvent.at > now - timedelta(days=lookback()),
               InitiativeEvent.at <= now)
        .order_by(InitiativeEvent.at, InitiativeEvent.id)
    ).all()
    latest = {e.initiative_id: e for e in events}  # one message per initiative and outcome
    initiatives = {i.id: i for i in db.session.scalars(db.select(Initiative).where(Initiative.id.in_(list(latest))))}
    events = [e for e in latest.values() if e.initiative_id in initiatives
              and initiatives[e.initiative_id].status == e.to_status]  # still true now
    audience = audiences_of(e.initiative_id for e in events)
    people = _members_among({i.school_id for i in initiatives.values()}, set().union(*audience.values()) if audience else set())
    unsent = not_yet_sent(
        "initiative_finished", events, key=lambda e: f"initiative-{e.initiative_id}", occurrence=lambda e: e.to_status,
        recipients=lambda e: [people[(initiatives[e.initiative_id].school_id, uid)]
                              for uid in sorted(audience.get(e.initiative_id, ()))
                              if uid != e.user_id and (initiatives[e.initiative_id].school_id, uid) in people])
    for event, user, key, when in unsent:
        initiative = initiatives[event.initiative_id]
        with in_locale(user):
            title = (_("Bereikt: %(title)s", title=initiative.title) if event.to_status == "done"
                     else _("Geschrapt: %(title)s", title=initiative.title))
            body = _("Je gaf advies over dit initiatief, steunde het idee erachter of volgt het. Zo is het "
                     "afgelopen.") + (("\n\n" + excerpt(event.note)) if event.note else "")
            yield Due(recipient=user, object_key=key, occurrence=when, title=title, body=body,
                      url=url_for("sprints.initiative", initiative_id=initiative.id), school=initiative.school)


def _members_among(school_ids: set[int], user_ids: set[int]) -> dict[tuple[int, int], Recipient]:
    """(school id, user id) -> the person, for those who still hold a role in that school and are active."""
    if not school_ids or not user_ids:
        return {}
    rows = db.session.execute(
        db.select(Membership.school_id, *RECIPIENT_COLUMNS)
        .join(User, User.id == Membership.user_id)
        .where(Membership.school_id.in_(school_ids), User.id.in_(user_ids), User.active.is_(True),
               User.has_joined)
    )
    return {(row.school_id, row.id): Recipient.from_row(row) for row in rows}
