"""Tracking's calendar events: coaching sessions (see notifications/calendar.py).

The measurement-window reminders live in programme/jobs.py and take their dates from
tracking/windows.py. A coaching session is in the feed of its advisers and, for an individual
session, of the school's director(s); the per-school download shows the school's individual
sessions and its network's collective ones to whoever may see them (the summary only, never notes).
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.rules import in_locale
from warmeveranderen.permissions import can_view_school
from warmeveranderen.programme.models import Membership
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.models import CoachingSession, session_advisers


def _summary(session: CoachingSession) -> str:
    if session.is_collective:
        return _("Collectieve begeleidingssessie (%(network)s)", network=session.network.name)
    return _("Individuele begeleidingssessie (%(school)s)", school=session.school.name)


@calendar_source
def coaching_session_events(user: User, school=None):
    """Coaching sessions: the person's as adviser, and the individual sessions of schools they direct."""
    since = today() - timedelta(days=366)
    query = db.select(CoachingSession).where(CoachingSession.held_on >= since)
    if school is not None:
        if not can_view_school(user, school):
            return
        condition = CoachingSession.school_id == school.id
        if school.network_id is not None:
            condition = or_(condition, (CoachingSession.kind == "collective")
                            & (CoachingSession.network_id == school.network_id))
        query = query.where(condition)
    else:
        as_adviser = db.select(session_advisers.c.session_id).where(session_advisers.c.user_id == user.id)
        directed = db.select(Membership.school_id).where(Membership.user_id == user.id, Membership.role == DIRECTOR)
        query = query.where(or_(
            CoachingSession.id.in_(as_adviser),
            (CoachingSession.kind == "individual") & CoachingSession.school_id.in_(directed),
        ))
    sessions = db.session.scalars(
        query.options(selectinload(CoachingSession.school), selectinload(CoachingSession.network))
        .order_by(CoachingSession.held_on, CoachingSession.id)
    ).all()
    with in_locale(user):
        for session in sessions:
            yield CalendarEvent(
                uid=f"coaching-session-{session.id}@warmeveranderen",
                summary=_summary(session),
                start=session.held_on,
                description=session.summary,
                url=url_for("tracking.session_detail", session_id=session.id),
                school=session.school or school,
            )
