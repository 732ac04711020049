"""Access rules of the discussion per initiative: everyone who may see the school reads and comments;
the author edits (within 15 minutes, here the flywheel member) and deletes; the director and the
coordinator may also delete (moderation)."""

from tests.access import SCHOOL

RULES = {
    "discussion.post": {"POST": SCHOOL, "data": lambda w: {"body": "Goed plan, @Flywheel Lead!"}},
    "discussion.edit": {"GET": {"flywheel"}, "POST": {"flywheel"}, "data": lambda w: {"body": "Aangepast."}},
    "discussion.delete": {"POST": {"flywheel", "director", "coordinator"}},
    "discussion.mark_read": {"POST": SCHOOL},
}


def url_args(world) -> dict:
    from tests.factories_sprints import InitiativeFactory
    from warmeveranderen.discussion import services

    initiative = InitiativeFactory(school=world.school)
    comment = services.post(initiative, world.users["flywheel"], "Wie neemt de foto's?", [])
    return {"comment_id": comment.id}
