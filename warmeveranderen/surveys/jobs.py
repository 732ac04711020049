"""The surveys' reminder: `survey_close_days` before a survey closes, the school's director and the
flywheel's trekker hear how many answers it has (once per survey and closing date)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from warmeveranderen.domain import DIRECTOR, FLYWHEEL
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.notifications.people import members_by_school
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
from warmeveranderen.surveys.models import Survey

CATEGORY = "measurement"


@reminder_rule("survey_closing", CATEGORY, description="Bevraging sluit binnenkort")
def survey_closing(now):
    """Open surveys closing within `survey_close_days` (and not closed more than `lookback` days ago)."""
    day = now.date()
    surveys = db.session.scalars(
        db.select(Survey).where(
            Survey.closed.is_(False),
            Survey.closes_on <= day + timedelta(days=offset("survey_close_days")),
            Survey.closes_on >= day,
            Survey.closes_on > day - timedelta(days=lookback()),
        )
    ).all()
    ids = {s.school_id for s in surveys}
    directors = members_by_school(ids, DIRECTOR)
    leads = members_by_school(ids, FLYWHEEL, lead_only=True)

    def recipients(survey):
        seen, people = set(), []
        for person in [*directors.get(survey.school_id, []), *leads.get(survey.school_id, [])]:
            if person.id not in seen:
                seen.add(person.id)
                people.append(person)
        return people

    for survey, user, key, when in not_yet_sent(
        "survey_closing", surveys, key=lambda s: f"survey-{s.id}", occurrence=lambda s: f"closes-{s.closes_on}",
        recipients=recipients,
    ):
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=survey.school,
                title=_("De bevraging %(group)s sluit op %(day)s", group=survey.group_name,
                        day=format_day(survey.closes_on)),
                body=ngettext("Ze heeft nu %(num)s antwoord. Herinner de groep er nog eens aan.",
                              "Ze heeft nu %(num)s antwoorden. Herinner de groep er nog eens aan.",
                              survey.response_count),
                url=url_for("surveys.detail", school_id=survey.school_id, survey_id=survey.id),
            )
