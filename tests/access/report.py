"""Access rules of issue 16's additions to the programme: searches, structure corrections and the audit log,
and the data exchange (exports and imports of intakes, people and roles, and the structure)."""

from tests.access import COORDINATOR

RULES = {
    "programme.school_suggestions": {"GET": COORDINATOR},
    "programme.merge": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.remove": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.audit_log": {"GET": COORDINATOR},
    "exchange.index": {"GET": COORDINATOR},
    "exchange.export": {"GET": COORDINATOR},
    "exchange.import_part": {"GET": COORDINATOR, "POST": COORDINATOR},
}


def url_args(world) -> dict:
    return {"what": "school", "thing_id": world.other_school.id, "dataset": "structuur"}
