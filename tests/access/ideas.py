"""Access rules of the idea box: everyone who may see the school reads the ideas and comments;
every member of the school (whatever their role) submits and supports and follows initiatives; the
flywheel answers."""

from tests.access import FLYWHEEL, SCHOOL, SCHOOL_MEMBERS

RULES = {
    "ideas.index": {"GET": SCHOOL},
    "ideas.activity": {"GET": SCHOOL},
    "ideas.new": {"GET": SCHOOL_MEMBERS, "POST": SCHOOL_MEMBERS,
                  "data": lambda w: {"title": "Een moestuin", "body": "Omdat we dan buiten leren."}},
    "ideas.detail": {"GET": SCHOOL},
    "ideas.support": {"POST": SCHOOL_MEMBERS},
    "ideas.comment": {"POST": SCHOOL, "data": lambda w: {"body": "Goed idee!"}},
    "ideas.answer": {"POST": FLYWHEEL, "data": lambda w: {"state": "not_now", "reason": "Eerst de speelplaats."}},
    # Following an initiative of the school (initiative_id from the sprints' resolver): every member.
    "ideas.follow": {"POST": SCHOOL_MEMBERS},
    "ideas.unfollow": {"POST": SCHOOL_MEMBERS},
}


def url_args(world) -> dict:
    from tests.factories_ideas import IdeaFactory

    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    return {"idea_id": idea.id}
