"""Access rules of the REST API (/api/v1): the same predicates as the pages, by personal API token.

tests/test_access_matrix.py calls these routes with a token of the role's person (scope write),
never a session cookie: anonymous callers get 401, a person who may not see the school 404 and a
person who sees it but may not do this 403 (either counts as refused here; tests/test_api.py pins
which one)."""

from tests.access import ALL, COORDINATOR, DIRECTOR, LOGGED_IN, SCHOOL, SCHOOL_MEMBERS

FLYWHEEL_EDIT = frozenset({"director", "flywheel_lead", "flywheel"})

RULES = {
    "api-docs.openapi_json": {"GET": ALL},
    "api_read.schools": {"GET": LOGGED_IN},
    "api_read.school": {"GET": SCHOOL},
    "api_read.sprints": {"GET": SCHOOL},
    "api_read.initiatives": {"GET": SCHOOL},
    "api_read.ideas": {"GET": SCHOOL},
    "api_read.advice_rounds": {"GET": SCHOOL},
    "api_read.decisions": {"GET": SCHOOL},
    "api_read.indicator_ratings": {"GET": frozenset({"coordinator", "adviser", "director", "board", "flywheel_lead",
                                                     "flywheel"})},
    "api_write.create_idea": {"POST": SCHOOL_MEMBERS,
                              "json": lambda w: {"title": "Een idee via de API", "body": "Waarom: omdat het kan."}},
    "api_write.create_initiative": {"POST": FLYWHEEL_EDIT,
                                    "json": lambda w: {"title": "Via de API", "building_block": "culture"}},
    "api_read.tasks": {"GET": SCHOOL},
    "api_write.create_task": {"POST": FLYWHEEL_EDIT, "json": lambda w: {"title": "Een taak via de API"}},
}

# Webhooks (pages, with the session like every page): a school's by its director and the coordinator;
# the programme-wide ones by the coordinator. "Test versturen" posts to a receiver nobody listens on.
RULES.update({
    "webhooks.school_hooks": {"GET": DIRECTOR, "POST": DIRECTOR,
                              "data": lambda w: {"url": "http://127.0.0.1:9/hook", "events": "decision_recorded"}},
    "webhooks.school_hook": {"GET": DIRECTOR},
    "webhooks.test": {"POST": DIRECTOR},
    "webhooks.remove": {"POST": DIRECTOR},
    "webhooks.programme_hooks": {"GET": COORDINATOR, "POST": COORDINATOR,
                                 "data": lambda w: {"url": "http://127.0.0.1:9/hook", "events": "sprint_started"}},
    "webhooks.programme_hook": {"GET": COORDINATOR},
    "webhooks.programme_test": {"POST": COORDINATOR},
    "webhooks.programme_remove": {"POST": COORDINATOR},
})


def url_args(world) -> dict:
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications import webhooks

    hook, _secret = webhooks.create(world.school.id, "http://127.0.0.1:9/hook", ["decision_recorded"],
                                    world.users["director"])
    programme_hook, _secret = webhooks.create(None, "http://127.0.0.1:9/all", ["sprint_closed"],
                                              world.users["coordinator"])
    db.session.commit()
    return {"hook_id": hook.id, "programme_hook_id": programme_hook.id}  # initiative_id: tests/access/sprints.py
