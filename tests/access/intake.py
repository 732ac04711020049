"""Access rules of the intake agreement (see warmeveranderen/intake/permissions.py for the why)."""

from tests.access import COORDINATOR, SCHOOL

EDITORS = frozenset({"coordinator", "adviser", "director"})
OPENERS = frozenset({"coordinator", "adviser"})
PARTIES = frozenset({"coordinator", "director", "board"})
# Readers of the whole agreement while it is not shared with the school (the world's is not).
FULL_READERS = frozenset({"coordinator", "adviser", "director", "board"})

RULES = {
    "intake.terms": {"GET": COORDINATOR, "POST": COORDINATOR},
    "intake.overview": {"GET": COORDINATOR},
    "intake.agreement": {"GET": SCHOOL},
    "intake.open_intake": {"POST": OPENERS},
    "intake.edit": {"GET": EDITORS, "POST": EDITORS},
    "intake.withdraw": {"POST": EDITORS},
    "intake.discard": {"POST": EDITORS},
    "intake.amend": {"POST": EDITORS},
    "intake.sign": {"GET": PARTIES, "POST": PARTIES},
    "intake.end": {"GET": PARTIES, "POST": PARTIES},
    "intake.share": {"POST": frozenset({"director"}), "data": lambda w: {"shared": "y"}},
    "intake.print_agreement": {"GET": FULL_READERS},
    "intake.history": {"GET": FULL_READERS},
}


def url_args(world) -> dict:
    from tests.factories_intake import make_agreement

    # An agreement awaiting signatures: the signing pages render for the parties.
    make_agreement(world, "awaiting")
    return {}
