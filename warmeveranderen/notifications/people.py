"""Helpers for reminder rules and calendar sources: who is concerned, in one query per rule.

Rules find their objects in a narrow date window first and then ask for the people of those
schools here, batched, so a sweep's cost follows the number of due reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import ReminderLog
from warmeveranderen.permissions import can_view_school
from warmeveranderen.programme.models import AdviserAssignment, Membership, School
from warmeveranderen.timeutil import to_local


def local_day(now: datetime) -> date:
    """The Brussels calendar date of a naive-UTC sweep time."""
    return to_local(now).date()


def _active(query):
    return query.where(User.active.is_(True), User.has_joined)


@dataclass(frozen=True)
class Recipient:
    """What a reminder needs of a person: read as plain columns, because a rule's window can hold
    thousands of people and loading each as a full User costs ten times as much."""

    id: int
    email: str
    name: str
    locale: str

    @classmethod
    def from_row(cls, row) -> Recipient:
        """From a row that selected RECIPIENT_COLUMNS."""
        return cls(id=row.id, email=row.email, name=row.name, locale=row.locale)


# Select these (with whatever else the rule needs) and build each person with Recipient.from_row.
RECIPIENT_COLUMNS = (User.id, User.email, User.name, User.locale)


def members_by_school(school_ids: Iterable[int], *roles: str, lead_only: bool = False) -> dict[int, list[Recipient]]:
    """school id -> the active people holding one of `roles` there (flywheel leads only if asked)."""
    ids = sorted(set(school_ids))
    found: dict[int, list[Recipient]] = defaultdict(list)
    if not ids:
        return found
    query = (
        db.select(Membership.school_id, *RECIPIENT_COLUMNS)
        .join(User, User.id == Membership.user_id)
        .where(Membership.school_id.in_(ids), Membership.role.in_(roles))
        .order_by(User.name, User.id)
    )
    if lead_only:
        query = query.where(Membership.is_lead.is_(True))
    seen: set[tuple[int, int]] = set()
    for row in db.session.execute(_active(query)):
        if (row.school_id, row.id) not in seen:
            seen.add((row.school_id, row.id))
            found[row.school_id].append(Recipient.from_row(row))
    return found


def advisers_by_school(schools: Iterable[School]) -> dict[int, list[Recipient]]:
    """school id -> the active advisers assigned to the school or to its learning network."""
    schools = {s.id: s for s in schools}
    found: dict[int, list[Recipient]] = defaultdict(list)
    if not schools:
        return found
    networks = {s.network_id for s in schools.values() if s.network_id is not None}
    rows = db.session.execute(
        _active(
            db.select(AdviserAssignment.school_id.label("assigned_school"), AdviserAssignment.network_id,
                      *RECIPIENT_COLUMNS)
            .join(User, User.id == AdviserAssignment.adviser_id)
            .where(or_(AdviserAssignment.school_id.in_(list(schools)), AdviserAssignment.network_id.in_(list(networks))))
            .order_by(User.name, User.id)
        )
    ).all()
    by_school: dict[int, list[Recipient]] = defaultdict(list)
    by_network: dict[int, list[Recipient]] = defaultdict(list)
    for row in rows:
        user = Recipient.from_row(row)
        if row.assigned_school is not None:
            by_school[row.assigned_school].append(user)
        if row.network_id is not None:
            by_network[row.network_id].append(user)
    for school_id, school in schools.items():
        seen = set()
        for user in by_school.get(school_id, []) + by_network.get(school.network_id, []):
            if user.id not in seen:
                seen.add(user.id)
                found[school_id].append(user)
    return found


def sent_keys(rule: str, object_keys: Iterable[str]) -> set[tuple[str, int, str]]:
    """(object_key, recipient_id, occurrence) already in the send log for these objects.

    Rules whose window holds many objects that were reminded earlier skip those before rendering
    texts; the sweep's own send-log check stays the guarantee of "exactly once".
    """
    keys = sorted(set(object_keys))
    found: set[tuple[str, int, str]] = set()
    for start in range(0, len(keys), 500):
        found.update(
            tuple(row)
            for row in db.session.execute(
                db.select(ReminderLog.object_key, ReminderLog.recipient_id, ReminderLog.occurrence).where(
                    ReminderLog.rule == rule, ReminderLog.object_key.in_(keys[start:start + 500])
                )
            )
        )
    return found


def schools_seen_by(user: User, school: School | None = None, may_see=None) -> list[School]:
    """The schools whose events go into a feed: the given school if `may_see(user, school)` (the
    per-school download), else every school the person belongs to or advises (the personal feed)."""
    if school is not None:
        may_see = may_see or can_view_school
        return [school] if may_see(user, school) else []
    schools = {m.school for m in user.memberships}
    for a in user.adviser_assignments:
        if a.school is not None:
            schools.add(a.school)
        elif a.network is not None:
            schools.update(a.network.schools)
    return sorted(schools, key=lambda s: s.id)


def roles_in(user: User, school: School) -> set[str]:
    """The person's roles in one school ('lead' added for the flywheel's trekker)."""
    roles = set()
    for m in user.memberships:
        if m.school_id == school.id:
            roles.add(m.role)
            if m.is_lead:
                roles.add("lead")
    return roles
