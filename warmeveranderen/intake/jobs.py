"""The intake's reminders and calendar events (see notifications/rules.py and calendar.py).

Reminders: a version of the agreement has waited `signature_wait_days` for a signature (each
signatory who has not signed; the coordinator slot reaches every coordinator); an evaluation moment
of the agreement in force is `evaluation_days` away (director, board member, adviser).
Calendar: the evaluation moments of the agreement in force, for the directors, board members and
advisers of the school (the per-school download: whoever may read the agreement).
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BOARD, DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day_long
from warmeveranderen.intake.models import ACTIVE, AgreementVersion, EvaluationMoment, IntakeAgreement
from warmeveranderen.intake.permissions import can_read_agreement
from warmeveranderen.intake.queries import pending_signatures, upcoming_evaluation_moments
from warmeveranderen.notifications.calendar import CalendarEvent, calendar_source
from warmeveranderen.notifications.people import (
    advisers_by_school,
    local_day,
    members_by_school,
    roles_in,
    schools_seen_by,
)
from warmeveranderen.notifications.rules import Due, in_locale, lookback, not_yet_sent, offset, reminder_rule
from warmeveranderen.permissions import advises_school

CATEGORY = "intake"


@reminder_rule("signature_waiting", CATEGORY, description="Intakeovereenkomst wacht op een handtekening")
def signature_waiting(now):
    """Each signatory who has not signed a version that has been ready for `signature_wait_days`."""
    days = offset("signature_wait_days")
    since = now - timedelta(days=days + lookback())
    # Only the versions that became ready within the lookback: one stuck for months is not read again.
    pending = [(v, u, ready) for v, u, ready in pending_signatures(now - timedelta(days=days), since)
               if u is not None and u.is_active]
    for (version, user, ready), _user, key, when in not_yet_sent(
        "signature_waiting", pending, key=lambda p: f"agreement-version-{p[0].id}",
        occurrence=lambda p: f"ready-{p[2]:%Y-%m-%dT%H:%M}", recipients=lambda p: [p[1]],
    ):
        school = version.agreement.school
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=school,
                title=_("De intakeovereenkomst van %(school)s wacht op jouw handtekening", school=school.name),
                body=_("Versie %(n)s staat sinds %(date)s klaar om te ondertekenen. Lees ze na en onderteken ze in "
                       "de app.", n=version.number, date=format_day_long(ready)),
                url=url_for("intake.sign", school_id=school.id),
            )


@reminder_rule("evaluation_soon", CATEGORY, description="Evaluatiemoment binnen twee weken")
def evaluation_soon(now):
    """The directors, board members and advisers of the school, `evaluation_days` before an
    evaluation moment of the agreement in force."""
    today = local_day(now)
    days = offset("evaluation_days")
    moments = upcoming_evaluation_moments(today + timedelta(days=max(days - lookback(), 0)),
                                          today + timedelta(days=days))
    if not moments:
        return
    schools = {m.version.agreement.school for m in moments}
    people = members_by_school({s.id for s in schools}, DIRECTOR, BOARD)
    for school_id, advisers in advisers_by_school(schools).items():
        people[school_id].extend(a for a in advisers if a not in people[school_id])
    for moment, user, key, when in not_yet_sent(
        "evaluation_soon", moments, key=lambda m: f"school-{m.version.agreement.school_id}-evaluation",
        occurrence=lambda m: f"on-{m.on_date}", recipients=lambda m: people.get(m.version.agreement.school_id, []),
    ):
        school = moment.version.agreement.school
        with in_locale(user):
            yield Due(
                recipient=user, object_key=key, occurrence=when, school=school,
                title=_("Evaluatiemoment op %(date)s (%(school)s)", date=format_day_long(moment.on_date),
                        school=school.name),
                body=_("Directie, bestuur en begeleiding evalueren samen hoe de samenwerking loopt. Lees de "
                       "overeenkomst na en plan het gesprek."),
                url=url_for("intake.agreement", school_id=school.id),
            )


@calendar_source
def evaluation_events(user: User, school=None):
    """The evaluation moments of the agreements in force of the person's schools."""
    schools = schools_seen_by(user, school, lambda u, s: can_read_agreement(u, s))
    if school is None:
        schools = [s for s in schools if roles_in(user, s) & {DIRECTOR, BOARD} or advises_school(user, s)]
    if not schools:
        return
    by_id = {s.id: s for s in schools}
    moments = db.session.execute(
        db.select(EvaluationMoment, IntakeAgreement.school_id)
        .join(AgreementVersion, AgreementVersion.id == EvaluationMoment.version_id)
        .join(IntakeAgreement, IntakeAgreement.id == AgreementVersion.agreement_id)
        .where(IntakeAgreement.school_id.in_(list(by_id)), AgreementVersion.state == ACTIVE)
        .order_by(EvaluationMoment.on_date)
    ).all()
    with in_locale(user):
        for moment, school_id in moments:
            s = by_id[school_id]
            yield CalendarEvent(
                uid=f"evaluation-{moment.id}@warmeveranderen",
                summary=_("Evaluatiemoment intakeovereenkomst (%(school)s)", school=s.name),
                start=moment.on_date,
                url=url_for("intake.agreement", school_id=s.id), school=s,
            )
