"""Access rules of the vision: the school reads; the flywheel writes, publishes and endorses; flywheel and
forum score AMORE; the adviser follows and comments; sharing opens the current vision to the network."""

from tests.access import FLYWHEEL, FORUM, PROGRAMME, SCHOOL

SHARERS = FLYWHEEL | {"director"}

RULES = {
    "vision.index": {"GET": SCHOOL},
    "vision.draft": {"GET": FLYWHEEL | PROGRAMME},
    "vision.edit": {
        "GET": FLYWHEEL,
        "POST": FLYWHEEL,
        "data": lambda w: {"revision": "0", "reason": "Waarom wij bestaan.", "save": "Opslaan"},
    },
    "vision.comment": {"POST": FLYWHEEL | {"adviser"}, "data": lambda w: {"body": "Mooi begin."}},
    "vision.publish": {"POST": FLYWHEEL, "data": lambda w: {"revision": "0", "change_note": "Tweede versie."}},
    "vision.share": {"POST": SHARERS, "data": lambda w: {"shared": "y"}},
    "vision.version": {"GET": SCHOOL},
    "vision.compare_versions": {"GET": SCHOOL},
    "vision.amore": {
        "GET": SCHOOL,
        "POST": FLYWHEEL | FORUM,
        "data": lambda w: {"ambitious": "4", "motivating": "3", "distinctive": "5", "relevant": "4", "authentic": "2"},
    },
    "vision.amore_chart": {"GET": SCHOOL},
    "vision.endorse": {
        "GET": FLYWHEEL,
        "POST": FLYWHEEL,
        "data": lambda w: {"groups": ["staff", "parent"], "endorsed_on": _today(), "changes": "Niets."},
    },
    "vision.current": {"GET": SCHOOL},
    "vision.poster": {"GET": SCHOOL},
    # The network's inspiration page: the people of its schools, its advisers and the coordinator.
    "vision.network_visions": {"GET": SCHOOL},
}


def _today() -> str:
    from warmeveranderen.timeutil import today

    return today().isoformat()


def url_args(world) -> dict:
    from tests.factories_vision import EndorsementFactory, VisionFactory, VisionVersionFactory

    vision = VisionFactory(school=world.school)
    first = VisionVersionFactory(vision=vision, number=1, published_by=world.users["flywheel_lead"])
    EndorsementFactory(version=first, recorded_by=world.users["flywheel_lead"])
    VisionVersionFactory(vision=vision, number=2, published_by=world.users["flywheel_lead"], change_note="Tweede.")
    return {"version_number": 2, "section": "reason"}
