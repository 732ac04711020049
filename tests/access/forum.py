"""Access rules of the forum: everyone of the school reads it; forum members advise; the flywheel
and the director plan sessions and put subjects to the forum; the initiative's owner (the
flywheel member in the world) or the trekker responds and decides."""

from datetime import timedelta

from tests.access import DIRECTOR, FLYWHEEL, FORUM, SCHOOL

MANAGE = FLYWHEEL | frozenset({"director"})
DECIDE = FLYWHEEL  # the owner ("flywheel") and the trekker ("flywheel_lead")

RULES = {
    "forum.overview": {"GET": SCHOOL},
    "forum.members": {"GET": SCHOOL, "POST": DIRECTOR | FLYWHEEL},
    "forum.new_session": {"GET": MANAGE, "POST": MANAGE},
    "forum.session": {"GET": SCHOOL},
    "forum.edit_session": {"GET": MANAGE, "POST": MANAGE},
    "forum.minutes": {"GET": MANAGE, "POST": MANAGE},
    "forum.new_round": {"GET": MANAGE, "POST": MANAGE},
    "forum.round": {"GET": SCHOOL},
    "forum.give_advice": {"POST": FORUM},
    "forum.comment": {"POST": SCHOOL},
    "forum.respond": {"POST": DECIDE},
    "forum.decide": {"POST": DECIDE},
    "forum.archive": {"GET": SCHOOL},
}


def url_args(world) -> dict:
    from tests.factories_forum import (
        AdviceFactory,
        AdviceRoundFactory,
        ForumInitiativeFactory,
        ForumSessionFactory,
    )
    from warmeveranderen.timeutil import utcnow

    # No sprint of our own: the sprints' resolver sets up the school's cadence.
    initiative = ForumInitiativeFactory(school=world.school, owner=world.users["flywheel"])
    session = ForumSessionFactory(school=world.school)
    advice_round = AdviceRoundFactory(
        school=world.school, subject_id=initiative.id, subject_title=initiative.title, session=session,
        deadline=utcnow() - timedelta(days=1),
    )
    advice = AdviceFactory(round=advice_round, author=world.users["forum"], stance="objection",
                           reasoning="Te weinig tijd voorzien.")
    return {"session_id": session.id, "round_id": advice_round.id, "advice_id": advice.id}
