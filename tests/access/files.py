"""Access rules of attachments: the parent's permissions. Whoever sees the initiative downloads its files;
the flywheel and the director add them; the uploader (here a flywheel member) or an editor removes one.
A member of another school gets 404 for every file URL (not 403: a file's existence is not revealed)."""

import io

from tests.access import FLYWHEEL, SCHOOL

EDITORS = FLYWHEEL | {"director"}
HIDDEN = {"refused": {"outsider": 404}}


def _pdf(world):
    from tests.files_helpers import PDF_BYTES

    return {"file": (io.BytesIO(PDF_BYTES), "agenda.pdf")}


RULES = {
    "files.upload": {"GET": EDITORS, "POST": EDITORS, "data": _pdf, **HIDDEN},
    "files.download": {"GET": SCHOOL, **HIDDEN},
    "files.preview": {"GET": SCHOOL, **HIDDEN},
    "files.remove": {"POST": EDITORS, **HIDDEN},
}


def url_args(world) -> dict:
    from tests.factories_sprints import InitiativeFactory
    from tests.files_helpers import attach, png_bytes

    initiative = InitiativeFactory(school=world.school)
    photo = attach("initiative", initiative.id, world.users["flywheel"], png_bytes((40, 30)), "foto.png")
    return {"parent_kind": "initiative", "parent_id": initiative.id, "attachment_id": photo.id}
