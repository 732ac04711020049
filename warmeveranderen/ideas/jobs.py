"""The idea box's reminder: an idea waits `idea_answer_days` for the flywheel's answer — the trekker
is reminded once (the send log keeps it to one per idea and trekker)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import FLYWHEEL
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.ideas.models import Idea
from warmeveranderen.notifications.people import members_by_school
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule

CATEGORY = "sprint"


@reminder_rule("idea_unanswered", CATEGORY, description="Idee uit de ideeënbus wacht op een antwoord")
def idea_unanswered(now):
    """The flywheel's trekker, for every idea submitted `idea_answer_days` ago and still open."""
    days = offset("idea_answer_days")
    ideas = db.session.scalars(
        db.select(Idea).where(
            Idea.state == "open",
            Idea.created_at <= now - timedelta(days=days),
            Idea.created_at > now - timedelta(days=days + lookback()),
        )
    ).all()
    leads = members_by_school({i.school_id for i in ideas}, FLYWHEEL, lead_only=True)
    for idea, user, key, when in not_yet_sent(
        "idea_unanswered", ideas, key=lambda i: f"idea-{i.id}", occurrence=lambda i: f"submitted-{i.created_at.date()}",
        recipients=lambda i: leads.get(i.school_id, []),
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=idea.school,
                title=_("Het idee %(title)s wacht op een antwoord", title=idea.title),
                body=_("Ingestuurd op %(day)s. Geef het vliegwiel een publiek antwoord, met een reden: op de "
                       "backlog, samengevoegd, niet nu of niet voor ons.", day=format_day(idea.created_at)),
                url=url_for("ideas.detail", school_id=idea.school_id, idea_id=idea.id),
            )
