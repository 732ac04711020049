"""Retention: what the app stops keeping after a while (settings `RETENTION_*`, README "Privacy").

A daily upkeep step (run by the sweep): invitations nobody took up within `RETENTION_INVITATION_DAYS`
end, and so do the accounts that existed only for them (never used, nothing signed); revoked
invitations go after the same time; read notifications go after `RETENTION_NOTIFICATION_DAYS`,
unread ones after twice that. Each run is one unit of work and cheap when there is nothing to do.
"""

from __future__ import annotations

from datetime import date, timedelta

import flask
from sqlalchemy import and_, or_

from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import Notification
from warmeveranderen.notifications.upkeep import upkeep
from warmeveranderen.privacy.records import sources
from warmeveranderen.timeutil import utcnow


def _unused_accounts(cutoff):
    """Accounts never taken up, created before the cutoff, that nothing keeps (no signature slot)."""
    query = db.select(User.id).where(~User.has_joined, User.created_at < cutoff, User.is_coordinator.is_(False),
                                     User.is_adviser.is_(False))
    fresh = db.select(Invitation.email).where(Invitation.created_at >= cutoff, Invitation.accepted_at.is_(None),
                                              Invitation.revoked_at.is_(None))
    query = query.where(User.email.not_in(fresh))
    for source in sources():
        column = source.table.c[source.column]
        if any(fk.ondelete == "RESTRICT" for fk in column.foreign_keys):
            query = query.where(User.id.not_in(db.select(column).where(column.is_not(None))))
    return query


@upkeep
def apply_retention(day: date) -> None:
    now = utcnow()
    invitation_cutoff = now - timedelta(days=flask.current_app.config["RETENTION_INVITATION_DAYS"])
    notification_cutoff = now - timedelta(days=flask.current_app.config["RETENTION_NOTIFICATION_DAYS"])
    unused = [row for row in db.session.scalars(_unused_accounts(invitation_cutoff).limit(1000))]
    if unused:
        emails = db.select(User.email).where(User.id.in_(unused))
        db.session.execute(db.delete(Invitation).where(Invitation.email.in_(emails)))
        db.session.execute(db.delete(User).where(User.id.in_(unused)))
    db.session.execute(db.delete(Invitation).where(
        Invitation.created_at < invitation_cutoff,
        or_(Invitation.revoked_at.is_not(None), Invitation.accepted_at.is_(None))))
    db.session.execute(db.delete(Notification).where(or_(
        and_(Notification.read_at.is_not(None), Notification.created_at < notification_cutoff),
        Notification.created_at < notification_cutoff - (now - notification_cutoff))))
    db.session.flush()
