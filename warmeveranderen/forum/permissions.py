"""Who may do what in a school's forum.

- Everyone who may see the school (its people, its advisers, the coordinator) reads the forum:
  advice is visible with the author's name; it is not a vote and not anonymous.
- Forum members give advice, and the guests a round asked (the author of the idea behind an
  initiative, while they belong to the school). Advisers comment in a supporting role; they never advise or decide.
- The flywheel (and the director) plan sessions, set the agenda and keep the minutes.
- The subject's owner (the initiator) or the flywheel's trekker responds to advice and decides.
"""

from __future__ import annotations

from warmeveranderen.domain import DIRECTOR, FLYWHEEL, FORUM
from warmeveranderen.forum.subjects import subject_kind
from warmeveranderen.permissions import _authenticated, can_view_school, has_role, is_flywheel_lead, permission


@permission
def can_view_forum(user, school) -> bool:
    return can_view_school(user, school)


@permission
def can_manage_forum(user, school) -> bool:
    """Sessions, agenda, rounds and minutes: the flywheel and the director."""
    return has_role(user, school, FLYWHEEL, DIRECTOR)


@permission
def is_forum_member(user, school) -> bool:
    return has_role(user, school, FORUM)


def is_round_guest(user, advice_round) -> bool:
    """Asked for advice on this round without being a forum member (e.g. the author of the idea behind it)."""
    return _authenticated(user) and any(g.user_id == user.id for g in advice_round.guests)


@permission
def can_give_advice(user, advice_round) -> bool:
    """The school's forum members advise, and the people the round asked as guests (the deadline is
    checked by the service); they must still belong to the school."""
    school = advice_round.school
    return is_forum_member(user, school) or (is_round_guest(user, advice_round) and has_role(user, school))


@permission
def can_comment_on_round(user, advice_round) -> bool:
    return can_view_forum(user, advice_round.school)


def owners_of(advice_round) -> list:
    """The people who own the round's subject (may be empty if the subject is gone)."""
    kind = subject_kind(advice_round.subject_kind)
    if kind is None:
        return []
    subject = kind.loader(advice_round.subject_id)
    return [u for u in kind.owner_users(subject) if u is not None] if subject is not None else []


@permission
def can_decide(user, advice_round) -> bool:
    """Respond to advice and record the decision: the initiator or the flywheel's trekker."""
    if not _authenticated(user):
        return False
    school = advice_round.school
    if is_flywheel_lead(user, school):
        return True
    if not has_role(user, school):
        return False
    return any(owner.id == user.id for owner in owners_of(advice_round))
