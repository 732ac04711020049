"""Guests of an advice round: people asked for advice besides the forum (initiatiefrecht mits adviesplicht:
the pupil whose idea became the initiative is asked too, even when not a forum member).

Who to ask comes from the features' `@advice_invitees` parts (warmeveranderen/parts.py); the forum keeps
them as RoundGuest rows when the round opens, so the permission to advise does not depend on what an
other feature says later.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import FORUM
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound, RoundGuest
from warmeveranderen.i18n import in_locale
from warmeveranderen.notifications.services import notify
from warmeveranderen.parts_between import invitees_for
from warmeveranderen.permissions import has_role

NOTIFY_CATEGORY = "forum"


def invite_guests(advice_round: AdviceRound, subject_kind: str, subject, question_body: Callable) -> list[RoundGuest]:
    """Ask the subject's invitees who are members of the school but not of its forum; tell each of them."""
    school = advice_round.school
    guests = []
    for user, reason in invitees_for(subject_kind, subject):
        if not user.active or not has_role(user, school) or has_role(user, school, FORUM):
            continue
        guest = RoundGuest(round=advice_round, user_id=user.id, reason=(reason or "")[:200])
        db.session.add(guest)
        guests.append((guest, user))
    db.session.flush()
    url = url_for("forum.round", school_id=school.id, round_id=advice_round.id) + "#mijn-advies"
    for guest, user in guests:
        with in_locale(user):
            notify([user], category=NOTIFY_CATEGORY, school=school, url=url,
                   title=_("Je wordt om advies gevraagd: %(title)s", title=advice_round.subject_title),
                   body=_("Je bent %(reason)s; daarom vraagt het vliegwiel ook jouw advies.", reason=guest.reason)
                   + "\n\n" + question_body(advice_round))
    return [guest for guest, _user in guests]
